import { expect, test, type Download, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';

/** The library's API as the page imports it (types only; the code runs in the browser). */
type Library = typeof import('../src/index.js');

/**
 * Save and load in a real browser, through the library bundle the demo site serves
 * (dist/demo/shadernet.js): localStorage, IndexedDB, downloads and picked files, and a
 * corrupted upload. The page is the bundle itself, so the module loads from the same origin.
 */

/** Imports the library in the page, trains a small model, and returns its predictions. */
async function trainInPage(page: Page): Promise<number[]> {
  await page.goto('/shadernet.js');
  return page.evaluate(async () => {
    const sn = (await import('/shadernet.js' as string)) as Library;
    const data = sn.makeCircles({ nSamples: 120, factor: 0.3, noise: 0.05, randomState: 1 });
    const model = new sn.Sequential({ seed: 3 });
    model.add(new sn.Dense({ units: 8, activation: 'relu', inputDim: 2 }));
    model.add(new sn.Dense({ units: 1, activation: 'sigmoid' }));
    model.compile({ optimizer: new sn.Adam({ learningRate: 0.02 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    await model.fit({ data: data.x, shape: [120, 2] }, data.y, { epochs: 3, verbose: 0, seed: 4 });
    (globalThis as unknown as { model: unknown; probe: unknown }).model = model;
    (globalThis as unknown as { probe: unknown }).probe = { data: data.x.slice(0, 40), shape: [20, 2] };
    return Array.from(await model.predict({ data: data.x.slice(0, 40), shape: [20, 2] }));
  });
}

test('localStorage and IndexedDB round trips give bitwise-identical predictions', async ({ page }) => {
  const expected = await trainInPage(page);
  for (const url of ['localstorage://e2e-model', 'indexeddb://e2e-model']) {
    const loaded = await page.evaluate(async (destination) => {
      const sn = (await import('/shadernet.js' as string)) as Library;
      const { model, probe } = globalThis as unknown as {
        model: InstanceType<Library['Sequential']>;
        probe: { data: Float64Array; shape: [number, number] };
      };
      await model.save(destination);
      const copy = await sn.loadModel(destination);
      const predictions = Array.from(await copy.predict(probe));
      copy.dispose();
      return { predictions, backend: copy.backend ?? 'disposed' };
    }, url);
    expect(loaded.predictions, url).toEqual(expected);
  }
});

test('downloads:// saves model.json + weights; loading those files back (as picked) is exact; a truncated file is refused', async ({
  page,
}) => {
  const expected = await trainInPage(page);
  const downloads: Download[] = [];
  page.on('download', (download) => downloads.push(download));
  await page.evaluate(async () => {
    const { model } = globalThis as unknown as { model: { save(url: string): Promise<unknown> } };
    await model.save('downloads://circles');
  });
  await expect.poll(() => downloads.length).toBe(2);
  const files = await Promise.all(
    downloads.map(async (d) => ({ name: d.suggestedFilename(), bytes: [...(await readFile((await d.path())!))] })),
  );
  expect(files.map((f) => f.name).sort()).toEqual(['circles.json', 'circles.weights.bin']);

  const result = await page.evaluate(async (picked) => {
    const sn = (await import('/shadernet.js' as string)) as Library;
    const { probe } = globalThis as unknown as { probe: { data: Float64Array; shape: [number, number] } };
    const asFiles = (list: typeof picked) => list.map((f) => new File([new Uint8Array(f.bytes)], f.name));
    const copy = await sn.loadModel(asFiles(picked));
    const predictions = Array.from(await copy.predict(probe));
    copy.dispose();
    // The same upload with the weights cut short: a clear, typed error and no model.
    const truncated = picked.map((f) => (f.name.endsWith('.bin') ? { ...f, bytes: f.bytes.slice(0, f.bytes.length - 8) } : f));
    const error = await sn.loadModel(asFiles(truncated)).then(
      () => 'loaded',
      (e: Error) => `${e.name}: ${e.message}`,
    );
    return { predictions, error };
  }, files);
  expect(result.predictions).toEqual(expected);
  expect(result.error).toMatch(/^(ShapeError|ValueError): .*(bytes|byte length|truncated)/i);
});
