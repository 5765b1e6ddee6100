/** demo/network.html: <sn-network-view> on a model the real engine trains (2→8→8→1 on circles; ?layers=128 for a wide one). */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { screenshot, watchProblems } from './helpers.js';

/** A hash of every thumbnail's pixels, per unit. */
async function thumbnails(view: Locator): Promise<string[]> {
  return view.evaluate((element) =>
    [...element.shadowRoot!.querySelectorAll<HTMLCanvasElement>('.unit canvas')].map((canvas) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let h = 0;
      for (let i = 0; i < data.length; i++) h = (Math.imul(h, 31) + data[i]!) | 0;
      return String(h);
    }),
  );
}

/** Opens the page and waits until `epoch` epochs are trained and shown. */
async function open(page: Page, query: string, epoch: number): Promise<Locator> {
  await page.goto(`/network.html${query}`);
  await expect(page.locator('body')).toHaveAttribute('data-epoch', new RegExp(`^([${epoch}-9]|\\d\\d+)$`), { timeout: 60_000 });
  return page.locator('sn-network-view');
}

test.setTimeout(90_000);

test('the network view draws every unit, and edges coloured by the sign of getWeights()', async ({ page }) => {
  const problems = watchProblems(page);
  const view = await open(page, '?epochs=12', 1);
  // 2 inputs + 8 + 8 + 1 output; 2·8 + 8·8 + 8·1 edges.
  await expect(view).toHaveAttribute('data-units', '19');
  await expect(view).toHaveAttribute('data-edges', '88');
  const early = await thumbnails(view);
  // New weights and maps repaint the same elements: no unit or edge is re-created.
  const sameNodes = await view.evaluateHandle((element) => {
    const root = element.shadowRoot!;
    const before = [root.querySelector('.unit[data-column="2"][data-unit="5"]'), root.querySelector('path.e')];
    return () => before.every((node) => node?.isConnected);
  });
  expect(early).toHaveLength(19);
  // Every map is painted: no blank (all-zero) canvas.
  expect(early.filter((h) => h === '0')).toEqual([]);
  await expect(page.locator('body')).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  await expect.poll(async () => (await thumbnails(view)).filter((h, i) => h !== early[i]).length).toBeGreaterThan(10);
  expect(await sameNodes.evaluate((check) => check())).toBe(true);

  const { edges, weights } = await view.evaluate(async (element) => {
    const weights = (await window.networkDemo!.model.getWeights()).map((w) => [...w]);
    const edges = [...element.shadowRoot!.querySelectorAll('path.e')].map((path) => ({
      layer: Number(path.getAttribute('data-layer')),
      from: Number(path.getAttribute('data-from')),
      to: Number(path.getAttribute('data-to')),
      weight: Number(path.getAttribute('data-weight')),
      rgb: (getComputedStyle(path).stroke.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number),
    }));
    return { edges, weights };
  });
  expect(edges).toHaveLength(88);
  const outputs = [8, 8, 1];
  for (const e of edges) {
    const expected = weights[2 * e.layer]![e.from * outputs[e.layer]! + e.to]!;
    expect(e.weight).toBeCloseTo(expected, 6);
    const [r, , b] = e.rgb as [number, number, number];
    // coolwarm: blue for negative, red for positive.
    if (expected < 0) expect(b, `edge ${e.layer}:${e.from}→${e.to} (w ${expected})`).toBeGreaterThan(r + 40);
    if (expected > 0) expect(r, `edge ${e.layer}:${e.from}→${e.to} (w ${expected})`).toBeGreaterThan(b + 40);
  }
  expect(edges.some((e) => e.weight < 0) && edges.some((e) => e.weight > 0)).toBe(true);
  await screenshot(page, 'network-trained');

  // Hover a hidden unit: its large map, bias and incoming weights.
  const unit = view.locator('.unit[data-column="1"][data-unit="3"]');
  await unit.hover();
  const tip = view.locator('.tip');
  await expect(tip).toContainText('Layer 1, unit 4');
  await expect(tip).toContainText('bias');
  await expect(tip.locator('li')).toHaveCount(2);
  const bias = weights[1]![3]!;
  await expect(tip).toContainText(`${bias < 0 ? '−' : '+'}${Math.abs(bias).toFixed(3)}`);
  await screenshot(page, 'network-hover-unit');
  // Hover an edge: its weight.
  const strongest = edges.reduce((a, e) => (Math.abs(e.weight) > Math.abs(a.weight) ? e : a));
  await view.locator(`path.hit[data-edge="${edges.indexOf(strongest)}"]`).hover({ force: true });
  await expect(tip).toContainText(`w = ${strongest.weight < 0 ? '−' : '+'}${Math.abs(strongest.weight).toFixed(3)}`);
  await screenshot(page, 'network-hover-edge');

  // Keyboard: focus a unit, Enter pins it (the tooltip stays), Escape unpins.
  await page.mouse.move(0, 0);
  await unit.focus();
  await page.keyboard.press('Enter');
  await expect(unit).toHaveAttribute('aria-pressed', 'true');
  await unit.blur();
  await expect(tip).toContainText('Pinned');
  await screenshot(page, 'network-pinned');
  await unit.focus();
  await page.keyboard.press('Escape');
  await expect(unit).toHaveAttribute('aria-pressed', 'false');
  expect(problems).toEqual([]);
});

test('a 128-unit layer shows its strongest units and "+N more", which expands', async ({ page }) => {
  const problems = watchProblems(page);
  const view = await open(page, '?layers=128&epochs=3', 1);
  await expect(page.locator('body')).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  const more = view.locator('.more[data-column="1"]');
  await expect(more).toHaveText('+118 more');
  await expect(view).toHaveAttribute('data-units', String(2 + 10 + 1));
  // The ten shown are the units of largest Σ|outgoing w|.
  const { shown, strongest } = await view.evaluate(async (element) => {
    const weights = await window.networkDemo!.model.getWeights();
    const out = weights[2]!; // 128×1 kernel
    const order = [...out.keys()].sort((a, b) => Math.abs(out[b]!) - Math.abs(out[a]!) || a - b);
    const shown = [...element.shadowRoot!.querySelectorAll<HTMLElement>('.unit[data-column="1"]')].map((u) => Number(u.dataset['unit']));
    return { shown, strongest: order.slice(0, 10).sort((a, b) => a - b) };
  });
  expect(shown).toEqual(strongest);
  await screenshot(page, 'network-wide');
  await more.click();
  await expect(view).toHaveAttribute('data-units', String(2 + 128 + 1));
  await expect(more).toHaveText('fewer');
  await screenshot(page, 'network-wide-expanded');
  await more.click();
  await expect(view).toHaveAttribute('data-units', '13');
  expect(problems).toEqual([]);
});
