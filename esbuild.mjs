// Builds shadernet. Usage: node esbuild.mjs <target...> [--port N]
//   lib    the npm package's code in dist/lib: every module of src/ as ES2022 JavaScript with its
//          .d.ts (tsc, one file per module, so consumers' bundlers tree-shake by module), plus
//          WorkerModel's worker script as one self-contained file (dist/lib/worker/shadernet-worker.js)
//   demo   dist/demo/ — the static demo site, hostable by any static server; includes the bench
//          page (bench.html, TF.js and jax-js bundled, TF.js's .wasm files in dist/demo/tfjs/)
//   tests  .build/test/**/*.test.mjs, one per test file (`node --test .build/test/<dir>/<file>.test.mjs`),
//          and .build/unit/, which `npm run test:unit` runs: the GPU test files in one bundle
//          (one process, one GpuContext), the others through one-line imports
//   bench  .build/bench/*.mjs
//   examples .build/examples/*.mjs (npm run tutorial)
//   serve  builds the demo, watches, and serves it on localhost (prints the URL)
// Node scripts (tests, bench, examples) get the Node entry (src/node.ts) injected, as the
// package's `node` export condition gives Node users: Dawn's WebGPU and file:// models.
// package.json's "sideEffects" also names the sources with side effects (src/node.ts, the
// elements, demo pages): these builds bundle sources under the same package.json, and a module
// it does not name is dropped when nothing uses its exports.
// Every target first regenerates src/kernels/generated/ from shaders/ (scripts/generate-kernels.mjs);
// only bench/ still imports .wgsl files as text, for its A/B baselines.
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, watchFile, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { generateKernelsOrExit, watchShaders } from './scripts/generate-kernels.mjs';
import { minifyCssTemplates } from './scripts/minify-css.mjs';
import { minifyHtmlTemplates } from './scripts/minify-html.mjs';

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
};

/** Node scripts: packages stay external (node_modules is there) and the Node entry is loaded first. */
const nodeScript = {
  ...common,
  platform: 'node',
  packages: 'external',
  inject: ['src/node.ts'],
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
    ...nodeScript,
    entryPoints: readdirSync(folder)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(folder, f)),
    outdir: `.build/${folder}`,
    outExtension: { '.js': '.mjs' },
  });
}

// The demo site: main.js (the playground page), components.js (every sn- element, for other
// pages) and shadernet.js (the library); code splitting puts what they share (the library,
// lit) in one chunk, so a page importing both components.js and shadernet.js loads it once.
const demoOptions = {
  ...common,
  entryPoints: ['demo/main.ts', 'demo/components.ts', 'demo/shadernet.ts', 'demo/bench.ts', 'demo/network.ts'],
  outdir: 'dist/demo',
  platform: 'browser',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  // The bench page reports jax-js's version (its package exports no version, nor its package.json).
  define: { JAX_JS_VERSION: JSON.stringify(JSON.parse(readFileSync('node_modules/@jax-js/jax/package.json', 'utf8')).version) },
};

// WorkerModel's worker script: one self-contained module (a worker has no shared chunks to load,
// and bundlers copy or re-bundle it as it is: no bare imports left in it).
const workerOptions = (outdir) => ({
  ...common,
  entryPoints: { 'shadernet-worker': 'src/worker/entry.ts' },
  outdir,
  platform: 'browser',
  minify: true,
});

const DEMO_PAGES = ['index.html', 'embed.html', 'bench.html', 'network.html'];

// TF.js's wasm backend (bench page only) loads these at run time; served locally, never from a CDN.
const TFJS_WASM_DIR = 'node_modules/@tensorflow/tfjs-backend-wasm/dist';

function copyDemoStatic() {
  mkdirSync('dist/demo/tfjs', { recursive: true });
  for (const page of DEMO_PAGES) cpSync(`demo/${page}`, `dist/demo/${page}`);
  for (const file of readdirSync(TFJS_WASM_DIR).filter((f) => f.endsWith('.wasm')))
    cpSync(join(TFJS_WASM_DIR, file), `dist/demo/tfjs/${file}`);
}

/**
 * TypeScript < 6 has no WebGPU in its DOM library: package.json's `types@<6` conditions point
 * those versions at these shims, which add @webgpu/types to the declarations they re-export.
 * TypeScript ≥ 6 ships WebGPU's types itself, and @webgpu/types would conflict with them.
 */
function writeWebGpuTypeShims() {
  const { exports } = JSON.parse(readFileSync('package.json', 'utf8'));
  for (const entry of Object.values(exports)) {
    const shim = typeof entry === 'object' ? entry['types@<6'] : undefined;
    if (!shim) continue;
    const target = relative(dirname(shim), entry.types).replace(/\.d\.ts$/, '.js');
    mkdirSync(dirname(shim), { recursive: true });
    writeFileSync(shim, `/// <reference types="@webgpu/types" />\nexport * from '${target.startsWith('.') ? target : `./${target}`}';\n`);
  }
}

// Test files that use the GPU run in one process (.build/unit/gpu.test.mjs): `node --test`
// gives every file its own process, and every process compiled its pipelines afresh (the first
// 1×1 dense case took 3.5 s under SwiftShader), while useGpu() gives all the files of a process
// one GpuContext, so one KernelRegistry. A file joins when it calls useGpu(), unless it starts
// itself as a child process (it mentions import.meta): that needs its own bundle.
function sharesGpuProcess(file) {
  const source = readFileSync(file, 'utf8');
  return /\buseGpu\(\)/.test(source) && !/import\.meta/.test(source);
}

/**
 * Wraps each file of the shared bundle in a describe() named after it, so the report and its
 * timings stay per file and a file's hooks (useGpu's) apply to its own tests only. The wrapper
 * opens on the line of the last import, so line numbers (and source maps) do not move. Code
 * between imports would run outside the wrapper: refused.
 */
function fileSuitePlugin(files) {
  const wrapped = new Set(files.map((file) => join(process.cwd(), file)));
  return {
    name: 'file-suite',
    setup(build) {
      // package.json's "sideEffects" does not name test files: these imports are all side effect.
      build.onResolve({ filter: /\.test\.ts$/ }, (args) => ({ path: join(args.resolveDir, args.path), sideEffects: true }));
      build.onLoad({ filter: /\.test\.ts$/ }, (args) => {
        if (!wrapped.has(args.path)) return undefined;
        const name = relative('test', relative(process.cwd(), args.path));
        const lines = readFileSync(args.path, 'utf8').split('\n');
        let lastImport = -1;
        for (let i = 0; i < lines.length; i++) {
          if (!/^import\s/.test(lines[i])) continue;
          for (let k = lastImport + 1; k < i; k++) {
            if (!/^\s*($|\/\/|\/\*|\*)/.test(lines[k]))
              throw new Error(
                `${args.path}:${k + 1}: code between imports cannot be wrapped in the file's suite; move it below the imports.`,
              );
          }
          while (!/;\s*$/.test(lines[i])) i++;
          lastImport = i;
        }
        lines[lastImport] += ` import { describe as describeFile } from 'node:test'; describeFile(${JSON.stringify(name)}, () => {`;
        return { contents: `${lines.join('\n')}\n});\n`, loader: 'ts' };
      });
    },
  };
}

const builds = {
  async lib() {
    rmSync('dist/lib', { recursive: true, force: true });
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
    // The elements' styles and templates ship minified (their sources stay readable): see
    // scripts/minify-css.mjs and scripts/minify-html.mjs.
    for (const file of filesUnder('dist/lib/components', '.js'))
      writeFileSync(file, minifyHtmlTemplates(minifyCssTemplates(readFileSync(file, 'utf8'))));
    writeWebGpuTypeShims();
    // Next to worker/worker-model.js, where WorkerModel looks for it by default; published
    // without a source map, as the rest of the package.
    await esbuild.build({ ...workerOptions('dist/lib/worker'), sourcemap: false });
    execFileSync(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze'], { stdio: 'inherit' });
  },
  async demo() {
    rmSync('dist/demo', { recursive: true, force: true });
    await esbuild.build(demoOptions);
    await esbuild.build(workerOptions('dist/demo'));
    copyDemoStatic();
  },
  async tests() {
    rmSync('.build/test', { recursive: true, force: true });
    rmSync('.build/unit', { recursive: true, force: true });
    const files = filesUnder('test', '.test.ts');
    await esbuild.build({
      ...nodeScript,
      entryPoints: files,
      outdir: '.build/test',
      outbase: 'test',
      outExtension: { '.js': '.mjs' },
    });
    // .build/unit/, what `npm run test:unit` runs: the shared GPU bundle, and a one-line import
    // of every other file's own bundle.
    const shared = files.filter(sharesGpuProcess);
    await esbuild.build({
      ...nodeScript,
      stdin: {
        contents: shared.map((file) => `import './${relative('test', file)}';`).join('\n'),
        resolveDir: 'test',
        sourcefile: 'gpu-suite.ts',
        loader: 'ts',
      },
      outfile: '.build/unit/gpu.test.mjs',
      plugins: [fileSuitePlugin(shared)],
    });
    for (const file of files.filter((f) => !shared.includes(f))) {
      const stub = join('.build/unit', relative('test', file)).replace(/\.ts$/, '.mjs');
      mkdirSync(dirname(stub), { recursive: true });
      writeFileSync(stub, `import '${relative(dirname(stub), join('.build/test', relative('test', file))).replace(/\.ts$/, '.mjs')}';\n`);
    }
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
    const workerContext = await esbuild.context({ ...workerOptions('dist/demo'), minify: false });
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
  if (target !== 'serve') console.log(`built ${target} → ${relative('.', out)}${target === 'tests' ? ' and .build/unit' : ''}`);
}
