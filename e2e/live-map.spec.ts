/**
 * The decision map is live while training (issue 13, item 1): it redraws during the run, not only
 * after it, in worker and page modes alike. Fingerprints of the map's canvas are taken in the page
 * at the moment each epoch is reported, so what is compared was on screen mid-training.
 */
import { expect, test, type Page } from '@playwright/test';
import { SCREENSHOTS, openPlayground, waitForEpoch, watchProblems } from './helpers.js';

test.use({ viewport: { width: 1280, height: 800 } });

/** Records, at every change of the playground's data-epoch, the epoch, the map's canvas fingerprint and its `live` flag. */
async function recordMapPerEpoch(page: Page): Promise<void> {
  await page.evaluate(() => {
    const playground = document.querySelector('sn-playground')!;
    const frames: { epoch: number; width: number; hash: number; live: boolean; running: boolean }[] = [];
    (window as unknown as { mapFrames: typeof frames }).mapFrames = frames;
    new MutationObserver(() => {
      const map = playground.shadowRoot!.querySelector('section.output sn-decision-map')!;
      const canvas = map.shadowRoot!.querySelector('canvas')!;
      const data = canvas.width ? canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data : new Uint8ClampedArray();
      let hash = 0;
      for (let i = 0; i < data.length; i += 7) hash = (Math.imul(hash, 31) + data[i]!) | 0;
      const epoch = Number(playground.getAttribute('data-epoch'));
      if (frames[frames.length - 1]?.epoch === epoch) return;
      frames.push({
        epoch,
        width: canvas.width,
        hash,
        live: map.hasAttribute('live'),
        running: playground.getAttribute('data-running') === 'true',
      });
    }).observe(playground, { attributes: true, attributeFilter: ['data-epoch'] });
  });
}

for (const mode of ['worker', 'page'] as const) {
  test(`${mode} mode: the map of "MLP, 128 hidden units" changes between epochs 1 and 3, drawn while training`, async ({ page }) => {
    test.setTimeout(120_000);
    const problems = watchProblems(page);
    const playground = await openPlayground(page, mode === 'page' ? '#worker=0' : '');
    await page.getByRole('button', { name: /MLP, 128 hidden units/ }).click();
    await expect(playground).toHaveAttribute('data-epoch', '0');
    await recordMapPerEpoch(page);
    // Mid-training, caught on an animation frame: what a user sees while it learns. After epoch 4, so
    // that taking the screenshot (which holds up the page's thread) cannot delay the redraws checked below.
    await page.waitForFunction(
      () => {
        const p = document.querySelector('sn-playground')!;
        return Number(p.getAttribute('data-epoch')) >= 5 && p.getAttribute('data-running') === 'true';
      },
      undefined,
      { polling: 'raf', timeout: 90_000 },
    );
    await page.screenshot({ path: `${SCREENSHOTS}/live-map-${mode}-training.png` });
    await waitForEpoch(playground, 10, 90_000);
    const frames = await page.evaluate(
      () =>
        (window as unknown as { mapFrames: { epoch: number; width: number; hash: number; live: boolean; running: boolean }[] }).mapFrames,
    );
    const at = (epoch: number) => frames.find((f) => f.epoch === epoch);
    const first = at(1);
    const third = at(3);
    expect(first, JSON.stringify(frames)).toBeDefined();
    expect(third, JSON.stringify(frames)).toBeDefined();
    // Mid-training, the map is live (a coarse grid) and shows a newer model at epoch 3 than at epoch 1.
    expect(third!.running && third!.live, JSON.stringify(third)).toBe(true);
    expect(third!.width).toBeLessThan(200);
    expect(third!.hash, JSON.stringify(frames)).not.toBe(first!.hash);
    // Once done, the map is back at full resolution.
    const map = playground.locator('section.output sn-decision-map');
    await expect(map).not.toHaveAttribute('live');
    await expect.poll(() => map.evaluate((m) => m.shadowRoot!.querySelector('canvas')!.width)).toBe(200);
    expect(problems).toEqual([]);
  });
}
