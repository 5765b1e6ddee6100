/**
 * The package as users get it: `npm pack`, the tarball installed into a fresh project in a
 * temporary folder, and then what a user does with it: typecheck against it (TypeScript 5.9 and
 * the latest, bundler and nodenext resolution, with and without the DOM library), bundle its
 * browser entries with esbuild's and Vite's defaults, run a page built from it in Chromium, and
 * train the tutorial's MLP in Node. The consumer files are in e2e/package/ (see its README).
 */
import { expect, test, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { build as viteBuild, createLogger } from 'vite';
import { serveStatic } from '../scripts/serve-static.mjs';
import { TIME_BUDGET } from './budgets.js';

const run = promisify(execFile);
const REPO = process.cwd();
const FIXTURES = resolve(REPO, 'e2e/package');

/**
 * The size budget, in bytes of minified JavaScript loaded by a page (1 kB = 1000 bytes). Every
 * element together, the playground and its URL codec included, is over the components budget: it
 * has a ceiling of its own, a guard against growth (see README, Using the package). It was 365 kB
 * until the network view (+14.6 kB), the sweep (+11 kB) and the input features joined the elements.
 * The minimal page's was 150 kB until pipelines compiled in the background and model.warm()
 * (+2.9 kB: the registry's async path, compile time, the warm plans) and training data became
 * shared between the models of a device (engine/shared-datasets.ts, +2.2 kB), then 155 kB until
 * the fused MLP kernel (shaders/fused_mlp.wgsl, kernels/fused-mlp.ts, engine/kernel-choice.ts, +7.7 kB),
 * then 162.5 kB until the fused step over several workgroups (gradient slices, metrics records)
 * and the fused forward pass in predict and evaluate (+4.4 kB).
 */
const BUDGET = { minimalPage: 167_500, componentsPage: 250_000, everyElement: 400_000 } as const;

/** TypeScript compilers the consumer typecheck runs: the project's (5.9) and the latest. */
const COMPILERS = [
  { label: 'TypeScript 5.9', bin: 'node_modules/typescript/bin/tsc', major: 5 },
  { label: 'TypeScript latest', bin: 'node_modules/typescript-7/bin/tsc', major: 7 },
] as const;

interface Packed {
  readonly filename: string;
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly { readonly path: string }[];
}

let project = '';
let packed: Packed;
let server: Server | undefined;

const versionOf = (name: string): string =>
  (JSON.parse(readFileSync(resolve(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'shadernet-consumer-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', project], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
  // prepack (the library build) prints first; npm's JSON report is the rest, from a line '['.
  const [info] = JSON.parse(stdout.slice(stdout.search(/^\[$/m))) as Packed[];
  if (!info) throw new Error('npm pack printed no package');
  packed = info;
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
  // What a user installs: the package and Dawn for Node (webgpu, an optional peer); @types/node for the Node typecheck.
  await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      `./${packed.filename}`,
      `webgpu@${versionOf('webgpu')}`,
      `@types/node@${versionOf('@types/node')}`,
    ],
    { cwd: project },
  );
  cpSync(FIXTURES, project, { recursive: true });
  server = await serveStatic(project);
});

test.afterAll(async () => {
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (project) rmSync(project, { recursive: true, force: true });
});

/** The URL of `path` on a static server of this test. */
function urlOn(site: Server | undefined, path: string): string {
  const address = site?.address();
  if (!address || typeof address === 'string') throw new Error('the static server is not listening');
  return `http://127.0.0.1:${address.port}/${path}`;
}

test('the tarball: compiled modules and declarations, no source maps or shader sources; license, changelog, manifest', async () => {
  const paths = packed.files.map((f) => f.path);
  console.log(
    `tarball: ${(packed.size / 1000).toFixed(1)} kB packed, ${(packed.unpackedSize / 1000).toFixed(1)} kB unpacked, ${paths.length} files`,
  );
  expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
  expect(paths.filter((p) => p.startsWith('shaders/') || p.startsWith('src/') || p.endsWith('.wgsl'))).toEqual([]);
  for (const required of [
    'LICENSE',
    'README.md',
    'CHANGELOG.md',
    'custom-elements.json',
    'dist/lib/index.js',
    'dist/lib/index.d.ts',
    'dist/lib/node.js',
    'dist/lib/worker/shadernet-worker.js',
  ]) {
    expect(paths).toContain(required);
  }
  const manifest = JSON.parse(readFileSync(join(project, 'node_modules/shadernet/package.json'), 'utf8')) as Record<string, unknown>;
  expect(manifest['repository']).toBeTruthy();
  expect(manifest['keywords']).toContain('webgpu');
  expect(manifest['customElements']).toBe('custom-elements.json');
  expect(Array.isArray(manifest['sideEffects'])).toBe(true);
  expect(Object.keys(manifest['dependencies'] as object).sort()).toEqual(['@webgpu/types', 'lit']);
  const elements = JSON.parse(readFileSync(join(project, 'node_modules/shadernet/custom-elements.json'), 'utf8')) as {
    modules: { path: string; declarations?: { tagName?: string }[] }[];
  };
  const tags = elements.modules.flatMap((m) => (m.declarations ?? []).map((d) => d.tagName)).filter(Boolean);
  expect(tags).toContain('sn-decision-map');
  expect(tags.length).toBeGreaterThanOrEqual(12);
  for (const module of elements.modules) expect(paths).toContain(module.path);
});

test('the declarations typecheck strict with TypeScript 5.9 and the latest, bundler and nodenext, with and without the DOM library', async () => {
  const rows: string[] = [];
  for (const compiler of COMPILERS) {
    const version = (await run(process.execPath, [resolve(REPO, compiler.bin), '--version'])).stdout.trim();
    for (const resolution of ['bundler', 'nodenext'] as const) {
      for (const dom of [true, false]) {
        const variants = !dom && compiler.major < 6 ? [false, true] : [false];
        for (const skipLibCheck of variants) {
          const name = `tsconfig.${compiler.major}.${resolution}.${dom ? 'dom' : 'nodom'}${skipLibCheck ? '.skiplib' : ''}.json`;
          writeFileSync(
            join(project, name),
            JSON.stringify({
              compilerOptions: {
                strict: true,
                noEmit: true,
                target: 'ES2022',
                module: resolution === 'bundler' ? 'ESNext' : 'NodeNext',
                moduleResolution: resolution,
                lib: dom ? ['ES2022', 'DOM', 'DOM.Iterable'] : ['ES2022'],
                types: dom ? [] : ['node'],
                skipLibCheck,
              },
              files: dom ? ['types-node.ts', 'types-web.ts'] : ['types-node.ts'],
            }),
          );
          const output = await run(process.execPath, [resolve(REPO, compiler.bin), '-p', name], { cwd: project }).then(
            (r) => r.stdout,
            (error: { stdout?: string }) => error.stdout ?? String(error),
          );
          const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
          const inWebgpuTypes = errors.filter((line) => line.includes('node_modules/@webgpu/types/'));
          const elsewhere = errors.filter((line) => !inWebgpuTypes.includes(line));
          rows.push(
            `${version.padEnd(17)} ${resolution.padEnd(8)} ${dom ? 'DOM   ' : 'no DOM'} skipLibCheck ${String(skipLibCheck).padEnd(5)}: ` +
              `${elsewhere.length} errors${inWebgpuTypes.length ? ` (+${inWebgpuTypes.length} inside @webgpu/types, which needs the DOM library's types)` : ''}`,
          );
          // shadernet's declarations and the consumer's code: never an error.
          expect(elsewhere, `${version} ${name}`).toEqual([]);
          // @webgpu/types (referenced for TypeScript < 6 only) augments the DOM library: without
          // it, only skipLibCheck, the default of `tsc --init`, silences its own errors.
          if (dom || compiler.major >= 6 || skipLibCheck) expect(inWebgpuTypes, `${version} ${name}`).toEqual([]);
        }
      }
    }
  }
  console.log(`consumer typecheck:\n  ${rows.join('\n  ')}`);
});

/** Bundles `entry` (a file of the consumer project) and returns the output and esbuild's warnings. */
async function bundle(entry: string, options: esbuild.BuildOptions = {}): Promise<{ code: string; warnings: string[] }> {
  const result = await esbuild.build({
    absWorkingDir: project,
    entryPoints: [entry],
    bundle: true,
    write: false,
    logLevel: 'silent',
    ...options,
  });
  const code = (result.outputFiles ?? []).map((file) => file.text).join('\n');
  return { code, warnings: result.warnings.map((w) => w.text) };
}

/** Node-only code a browser bundle must not carry. */
function nodeCodeIn(code: string): string[] {
  return [...code.matchAll(/(?:from|import|require)\s*\(?\s*["'](node:[\w/]+|webgpu|fs|path|module|url)["']/g)].map((m) => m[1] ?? '');
}

test('every browser entry bundles with esbuild’s defaults: no warnings, no Node code', async () => {
  const entries = ['shadernet', 'shadernet/components', 'shadernet/worker'];
  const elements = readdirSync(join(project, 'node_modules/shadernet/dist/lib/components')).filter((f) => /^sn-.*\.js$/.test(f));
  entries.push(...elements.map((f) => `shadernet/components/${f.replace(/\.js$/, '')}`));
  for (const entry of entries) {
    const file = `entry-${entry.replace(/\W+/g, '-')}.js`;
    writeFileSync(join(project, file), `import * as api from '${entry}';\nconsole.log(api);\n`);
    const { code, warnings } = await bundle(file);
    expect(warnings, entry).toEqual([]);
    expect(nodeCodeIn(code), entry).toEqual([]);
  }
});

/** A page bundled for production with esbuild (`--bundle --minify --format=esm`): bytes, minified and gzipped. */
async function pageSize(entry: string): Promise<{ bytes: number; gzip: number }> {
  const { code, warnings } = await bundle(entry, { minify: true, format: 'esm' });
  expect(warnings).toEqual([]);
  return { bytes: Buffer.byteLength(code), gzip: gzipSync(code).byteLength };
}

test('the size budget: a minimal training page and the embedding page, minified; no dynamic import in the library', async () => {
  const kb = (n: number) => `${(n / 1000).toFixed(1)} kB`;
  const report = async (label: string, entry: string) => {
    const size = await pageSize(entry);
    console.log(`size: ${label}: ${kb(size.bytes)} minified (${kb(size.gzip)} gzip)`);
    return size;
  };
  const minimal = await report('minimal training page (Sequential + Dense + fit + predict)', 'minimal.js');
  const embed = await report("library + the embedding example's elements", 'embed.js');
  const everything = await report('library + every element (the playground included)', 'components.js');
  expect(minimal.bytes).toBeLessThanOrEqual(BUDGET.minimalPage);
  expect(embed.bytes).toBeLessThanOrEqual(BUDGET.componentsPage);
  // The whole set is reported, and kept from growing unnoticed.
  expect(everything.bytes).toBeLessThanOrEqual(BUDGET.everyElement);
  // A dynamic import of a module bundled into the same file makes esbuild wrap that part of the
  // bundle in lazy initialisers, which defeats tree-shaking: the browser entries have none (the
  // Node entry's import('webgpu') stays, for an optional package).
  const dist = join(project, 'node_modules/shadernet/dist/lib');
  const modules = (readdirSync(dist, { recursive: true }) as string[]).filter(
    (f) => f.endsWith('.js') && !f.startsWith('node') && !f.includes('shadernet-worker'),
  );
  expect(modules.filter((f) => /\bimport\s*\(/.test(readFileSync(join(dist, f), 'utf8')))).toEqual([]);
});

/** Opens a page of the consumer project and waits until its script says it is done, with no error. */
async function openDone(page: Page, url: string): Promise<void> {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  await expect(page.locator('body')).toHaveAttribute('data-state', /done|failed/, { timeout: TIME_BUDGET.training });
  expect(await page.locator('body').getAttribute('data-error'), url).toBeNull();
  expect(problems, url).toEqual([]);
}

test('a page built from the tarball with esbuild’s defaults trains, draws the decision map and the curves, with one copy of lit', async ({
  page,
}) => {
  const result = await esbuild.build({
    absWorkingDir: project,
    entryPoints: ['page.js'],
    bundle: true,
    outdir: 'out-esbuild',
    logLevel: 'silent',
  });
  expect(result.warnings).toEqual([]);
  cpSync(join(project, 'page.html'), join(project, 'out-esbuild/page.html'));
  await openDone(page, urlOn(server, 'out-esbuild/page.html'));
  const body = page.locator('body');
  expect(Number(await body.getAttribute('data-val-accuracy'))).toBeGreaterThanOrEqual(0.95);
  expect(Number(await body.getAttribute('data-map-passes'))).toBeGreaterThanOrEqual(1);
  expect(await body.getAttribute('data-lit-copies')).toBe('1');
  // The map is painted: many distinct colours on its canvas, not a blank or flat fill.
  const colours = await page.locator('sn-decision-map').evaluate((map) => {
    const canvas = map.shadowRoot?.querySelector('canvas');
    const pixels = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; pixels && i < pixels.length; i += 16)
      seen.add(((pixels[i] ?? 0) << 16) | ((pixels[i + 1] ?? 0) << 8) | (pixels[i + 2] ?? 0));
    return seen.size;
  });
  expect(colours).toBeGreaterThan(20);
  await expect(page.locator('sn-metrics-chart [data-testid="epoch"]')).toContainText('8');
  await expect(page.locator('sn-metrics-chart [data-testid="val_accuracy"]')).not.toHaveText('—');
  await page.screenshot({ path: 'test-results/screenshots/package-page.png', fullPage: true });
});

test('WorkerModel.create(model) with its default worker script works in an esbuild build (README’s pattern)', async ({ page }) => {
  const result = await esbuild.build({
    absWorkingDir: project,
    // The worker entry next to the page's bundle, where WorkerModel looks for it.
    entryPoints: { 'worker-page': 'worker-page.js', 'shadernet-worker': 'shadernet/worker' },
    bundle: true,
    format: 'esm',
    outdir: 'out-esbuild-worker',
    logLevel: 'silent',
  });
  expect(result.warnings).toEqual([]);
  cpSync(join(project, 'worker.html'), join(project, 'out-esbuild-worker/worker.html'));
  await openDone(page, urlOn(server, 'out-esbuild-worker/worker.html'));
  expect(await page.locator('body').getAttribute('data-backend')).toBe('webgpu');
  expect(Number(await page.locator('body').getAttribute('data-prediction'))).toBeGreaterThan(0);
});

test('Vite builds the library, the components and WorkerModel with its defaults: no warnings, no Node stubs; the pages work', async ({
  page,
}) => {
  const app = join(project, 'vite-app');
  cpSync(join(project, 'page.js'), join(app, 'page.js'));
  cpSync(join(project, 'worker-page.js'), join(app, 'worker-page.js'));
  writeFileSync(
    join(app, 'index.html'),
    readFileSync(join(project, 'page.html'), 'utf8').replace(
      '<script src="page.js"></script>',
      '<script type="module" src="./page.js"></script>',
    ),
  );
  cpSync(join(project, 'worker.html'), join(app, 'worker.html'));
  const warnings: string[] = [];
  const logger = createLogger('warn');
  logger.warn = (message) => void warnings.push(message);
  logger.warnOnce = (message) => void warnings.push(message);
  await viteBuild({
    root: app,
    logLevel: 'warn',
    customLogger: logger,
    build: { rollupOptions: { input: { index: join(app, 'index.html'), worker: join(app, 'worker.html') } } },
  });
  expect(warnings).toEqual([]);
  const outputs = readdirSync(join(app, 'dist/assets')).map((f) => join(app, 'dist/assets', f));
  const code = outputs
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  expect(code).not.toContain('__vite-browser-external');
  expect(nodeCodeIn(code)).toEqual([]);
  console.log(`vite: ${outputs.map((f) => `${relative(app, f)} ${(statSync(f).size / 1000).toFixed(1)} kB`).join(', ')}`);
  // Vite's default base is '/': the build is served from its own root.
  const site = await serveStatic(join(app, 'dist'));
  try {
    await openDone(page, urlOn(site, 'index.html'));
    expect(await page.locator('body').getAttribute('data-lit-copies')).toBe('1');
    await openDone(page, urlOn(site, 'worker.html'));
    expect(await page.locator('body').getAttribute('data-backend')).toBe('webgpu');
  } finally {
    await new Promise((done) => site.close(done));
  }
});

test('Node: the tutorial MLP trains from the tarball with no environment variables; require() works', async () => {
  const env = { PATH: process.env['PATH'] ?? '', HOME: project };
  const trained = JSON.parse(
    (await run(process.execPath, ['node-train.mjs'], { cwd: project, env })).stdout.trim().split('\n').at(-1) ?? '{}',
  ) as {
    valAccuracy: number;
    backend: string;
  };
  console.log(`node: tutorial MLP (2→128→1), 10 epochs: val accuracy ${trained.valAccuracy}, backend ${trained.backend}`);
  expect(trained.backend).toBe('webgpu');
  expect(trained.valAccuracy).toBeGreaterThanOrEqual(0.99);
  const required = JSON.parse((await run(process.execPath, ['require.cjs'], { cwd: project, env })).stdout) as {
    missing: string[];
    version: string;
  };
  expect(required.missing).toEqual([]);
  expect(required.version).toBe((JSON.parse(readFileSync(resolve(REPO, 'package.json'), 'utf8')) as { version: string }).version);
});
