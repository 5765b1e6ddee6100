// Builds shadernet. Usage: node esbuild.mjs <target...> [--port N]
//   lib    dist/lib/index.js (ESM) + .d.ts declarations (tsc)
//   demo   dist/demo/ — the static demo site, hostable by any static server (with lib: + .d.ts);
//          includes the bench page (bench.html, TF.js bundled, its .wasm files in dist/demo/tfjs/)
//   tests  .build/test/**/*.test.mjs for `node --test`
//   bench  .build/bench/*.mjs
//   examples .build/examples/*.mjs (npm run tutorial)
//   serve  builds the demo, watches, and serves it on localhost (prints the URL)
// WGSL files are imported as text everywhere (loader `text`), so the browser bundle, the
// Node build and the tests all run the very same shader sources from shaders/.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, watchFile, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateKernelsOrExit, watchShaders } from './scripts/generate-kernels.mjs';

const args = process.argv.slice(2);
const targets = args.filter((a) => !a.startsWith('--') && !/^\d+$/.test(a));
const portFlag = args.indexOf('--port');
const port = portFlag >= 0 ? Number(args[portFlag + 1]) : Number(process.env.PORT ?? 8080);

// src/kernels/generated/ (kernel specs reflected from shaders/) is fresh for every target.
generateKernelsOrExit();

const common = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  sourcemap: true,
  loader: { '.wgsl': 'text' },
  logLevel: 'warning',
  // Dawn's Node bindings and node:fs are loaded only in Node, by dynamic imports in
  // src/gpu/adapter.ts that browsers never reach.
  external: ['webgpu', 'node:*'],
};

function filesUnder(dir, suffix) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, suffix));
    else if (path.endsWith(suffix)) out.push(path);
  }
  return out;
}

/** Bundles every .ts file of a folder of Node scripts into .build/<folder>/*.mjs. */
async function buildNodeScripts(folder) {
  rmSync(`.build/${folder}`, { recursive: true, force: true });
  await esbuild.build({
    ...common,
    entryPoints: readdirSync(folder).filter((f) => f.endsWith('.ts')).map((f) => join(folder, f)),
    outdir: `.build/${folder}`,
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    packages: 'external',
  });
}

// The demo site: main.js (the playground page), components.js (every sn- element, for other
// pages) and shadernet.js (the library); code splitting puts what they share (the library,
// lit) in one chunk, so a page importing both components.js and shadernet.js loads it once.
const demoOptions = {
  ...common,
  entryPoints: ['demo/main.ts', 'demo/components.ts', 'demo/shadernet.ts', 'demo/bench.ts'],
  outdir: 'dist/demo',
  platform: 'browser',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
};

// WorkerModel's worker script for the demo: one self-contained module (a worker has no shared chunks to load).
const demoWorkerOptions = {
  ...common,
  entryPoints: { 'shadernet-worker': 'src/worker/entry.ts' },
  outdir: 'dist/demo',
  platform: 'browser',
  minify: true,
};

const DEMO_PAGES = ['index.html', 'embed.html', 'bench.html'];

// TF.js's wasm backend (bench page only) loads these at run time; served locally, never from a CDN.
const TFJS_WASM_DIR = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';

function copyDemoStatic() {
  mkdirSync('dist/demo/tfjs', { recursive: true });
  for (const page of DEMO_PAGES) cpSync(`demo/${page}`, `dist/demo/${page}`);
  for (const file of readdirSync(TFJS_WASM_DIR).filter((f) => f.endsWith('.wasm'))) cpSync(join(TFJS_WASM_DIR, file), `dist/demo/tfjs/${file}`);
}

const builds = {
  async lib() {
    rmSync('dist/lib', { recursive: true, force: true });
    await esbuild.build({
      ...common,
      // worker.js: WorkerModel's worker script (package export `shadernet/worker`), next to
      // index.js, where WorkerModel looks for it by default (new URL('./worker.js', import.meta.url)).
      entryPoints: { index: 'src/index.ts', worker: 'src/worker/entry.ts' },
      outdir: 'dist/lib',
      platform: 'neutral',
      packages: 'external',
    });
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  },
  async demo() {
    rmSync('dist/demo', { recursive: true, force: true });
    await esbuild.build(demoOptions);
    await esbuild.build(demoWorkerOptions);
    copyDemoStatic();
    // Declarations of components.js and shadernet.js for pages written in TypeScript: with the
    // production build (`lib demo`), not on every e2e run (tsc takes a while).
    if (targets.includes('lib')) {
      execFileSync('npx', ['tsc', '-p', 'demo/tsconfig.types.json'], { stdio: 'inherit' });
      for (const name of ['components', 'shadernet']) {
        writeFileSync(`dist/demo/${name}.d.ts`, `export * from './types/demo/${name}.js';\n`);
      }
    }
  },
  async tests() {
    rmSync('.build/test', { recursive: true, force: true });
    await esbuild.build({
      ...common,
      entryPoints: filesUnder('test', '.test.ts'),
      outdir: '.build/test',
      outbase: 'test',
      outExtension: { '.js': '.mjs' },
      platform: 'node',
      packages: 'external',
    });
  },
  async bench() {
    await buildNodeScripts('bench');
  },
  async examples() {
    await buildNodeScripts('examples');
  },
  async serve() {
    copyDemoStatic();
    const context = await esbuild.context({ ...demoOptions, minify: false });
    await context.watch();
    const workerContext = await esbuild.context({ ...demoWorkerOptions, minify: false });
    await workerContext.watch();
    const { hosts, port: actual } = await context.serve({ servedir: 'dist/demo', port, host: '127.0.0.1' });
    // The HTML pages are not part of esbuild's graph: copy them again when they change.
    for (const page of DEMO_PAGES) watchFile(`demo/${page}`, { interval: 500 }, () => copyDemoStatic());
    watchShaders(); // a .wgsl edit regenerates src/kernels/generated/, which esbuild's watch picks up
    const origin = `http://${hosts[0] ?? '127.0.0.1'}:${actual}`;
    console.log(`shadernet demo: ${origin}/  (embedding example: ${origin}/embed.html; benchmark: ${origin}/bench.html; Ctrl+C to stop)`);
    console.log('Needs a WebGPU browser; headless Chromium without a GPU: --enable-unsafe-webgpu --use-webgpu-adapter=swiftshader');
  },
};

if (targets.length === 0) {
  console.error(`usage: node esbuild.mjs <${Object.keys(builds).join('|')}>... [--port N]`);
  process.exit(2);
}
for (const target of targets) {
  const build = builds[target];
  if (!build) {
    console.error(`unknown target '${target}'`);
    process.exit(2);
  }
  await build();
  const out = { tests: '.build/test', bench: '.build/bench', examples: '.build/examples' }[target] ?? `dist/${target}`;
  if (target !== 'serve') console.log(`built ${target} → ${relative('.', out)}`);
}
