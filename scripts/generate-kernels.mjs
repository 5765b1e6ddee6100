// Generates src/kernels/generated/: every kernel family's KernelSpec data, reflected at build
// time from its WGSL, so the runtime ships no WGSL parser. Usage: node scripts/generate-kernels.mjs
// esbuild.mjs calls generateKernelsOrExit() before every target and watchShaders() in `serve`.
//   - one family per top-level shaders/*.wgsl file (shaders/lib/ holds helpers it includes);
//   - includes: `//!include <path>` lines at the top of a file (kernels/includes.mjs), and
//     `//!needs <names>` lines in an included file: what it reads of its includer, checked
//     against every kernel that includes it (kernels/needs.mjs);
//   - data from wgsl_reflect on the readable source (kernels/reflect.mjs); then each file is
//     minified (kernels/minify.mjs) and its own names shortened (kernels/mangle.mjs), and each
//     included file gets one module of its own, shared by its includers.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitIncludeModule, emitIndex, emitKernelModule } from './kernels/emit.mjs';
import { lineOrigin, resolveIncludes } from './kernels/includes.mjs';
import { mangleShaders } from './kernels/mangle.mjs';
import { minifyWgsl } from './kernels/minify.mjs';
import { needsProblems } from './kernels/needs.mjs';
import { reflectKernel } from './kernels/reflect.mjs';

// The repository root, from this file's place in it (scripts/).
const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const SHADERS_DIR = join(ROOT, 'shaders');
export const GENERATED_DIR = join(ROOT, 'src/kernels/generated');

/** Kernel families: the top-level .wgsl files of shaders/, by name. */
export function kernelFiles(dir = SHADERS_DIR) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.wgsl'))
    .sort()
    .map((f) => ({ family: basename(f, '.wgsl'), file: join(dir, f) }));
}

/** Writes `text` unless the file already holds it (so watchers and incremental builds see no change). */
function writeIfChanged(path, text) {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  writeFileSync(path, text);
  return true;
}

/**
 * Every kernel family of `shadersDir`, ready to emit: its reflected data, the paths of its
 * includes and its own text, each file minified and then mangled (one mapping for all files, so
 * an included file's module is shared). Throws, listing every refused kernel.
 */
export function buildKernels(shadersDir = SHADERS_DIR) {
  const kernels = [];
  const files = new Map(); // minified text by key: an include's path under shaders/, or `<family>.wgsl`
  const failures = [];
  for (const { family, file } of kernelFiles(shadersDir)) {
    let module;
    try {
      if (family === 'index') throw new Error("'index' is the generated index module's name; rename the shader");
      module = resolveIncludes(file);
      const unmet = needsProblems(module, shadersDir);
      if (unmet.length > 0)
        throw new Error(`kernel '${family}' breaks the contract of an included file (//!needs):\n  - ${unmet.join('\n  - ')}`);
      const data = reflectKernel(family, module.source);
      const includes = module.files.slice(0, -1).map((f) => relative(shadersDir, f).split('\\').join('/'));
      for (const [i, path] of includes.entries()) {
        if (!path.includes('/') || path.startsWith('../'))
          throw new Error(`includes ${path}: included files live in a subfolder of shaders/ (shaders/lib/)`);
        files.set(path, minifyWgsl(module.parts[i]));
      }
      files.set(`${family}.wgsl`, minifyWgsl(module.parts.at(-1)));
      kernels.push({ family, data, includes, sources: module.files.map((f) => relative(ROOT, f)) });
    } catch (error) {
      // wgsl_reflect counts lines of the whole module: name the file and line they come from.
      const message = module ? error.message.replace(/Line: (\d+)/, (_, line) => `at ${lineOrigin(module, Number(line))}`) : error.message;
      failures.push(`${relative(ROOT, file)}: ${message}`);
    }
  }
  if (failures.length > 0) throw new Error(`generate-kernels: ${failures.join('\n')}`);
  // The names WebGPU looks up: entry points (pipelines) and overrides (pipeline constants).
  const keep = kernels.flatMap(({ data }) => [...Object.keys(data.entryPoints), ...Object.keys(data.overrides)]);
  const { mangled, mapping } = mangleShaders(
    files,
    kernels.map((k) => [...k.includes, `${k.family}.wgsl`]),
    keep,
  );
  const text = (key) => mangled.get(key);
  return {
    kernels: kernels.map((k) => ({
      ...k,
      ownText: text(`${k.family}.wgsl`),
      source: [...k.includes, `${k.family}.wgsl`].map(text).join('\n'),
    })),
    includeModules: new Map([...mangled].filter(([key]) => key.includes('/'))),
    mapping,
  };
}

/**
 * Reflects every kernel family and (re)writes its data module, its includes' modules and the
 * index; removes modules that no longer exist. Throws, listing every refused kernel, before
 * writing anything.
 */
export function generateKernels({ shadersDir = SHADERS_DIR, outDir = GENERATED_DIR } = {}) {
  const { kernels, includeModules } = buildKernels(shadersDir);
  const families = kernels.map((k) => k.family);
  const outputs = new Map([
    ...kernels.map(({ family, data, includes, ownText, sources }) => [
      `${family}.ts`,
      emitKernelModule(data, { includes, ownText }, sources),
    ]),
    ...[...includeModules].map(([path, text]) => [path.replace(/\.wgsl$/, '.ts'), emitIncludeModule(path, text)]),
    ['index.ts', emitIndex(families)],
  ]);
  mkdirSync(outDir, { recursive: true });
  let written = 0;
  for (const [name, text] of outputs) {
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    written += Number(writeIfChanged(join(outDir, name), text));
  }
  for (const stale of filesUnder(outDir).filter((f) => !outputs.has(f))) rmSync(join(outDir, stale), { force: true });
  return { families, written };
}

/** Files under `dir`, as paths relative to it with '/' separators. */
function filesUnder(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(dir, path) : [path];
  });
}

/** generateKernels() for build scripts: a refused kernel prints why and exits with status 1. */
export function generateKernelsOrExit() {
  try {
    return generateKernels();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}

/** shaders/ and its subfolders. */
function foldersUnder(dir) {
  const sub = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
  return [dir, ...sub.flatMap((e) => foldersUnder(join(dir, e.name)))];
}

/**
 * Regenerates whenever a .wgsl file under shaders/ changes (esbuild's watch then rebuilds from
 * the new modules). Watches folders, not files: editors that save by renaming a new file over
 * the old one would leave a per-file watcher on the dead inode. Returns a function that stops it.
 */
export function watchShaders() {
  let timer;
  const regenerate = (file) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        const { written } = generateKernels();
        if (written > 0) console.log(`generate-kernels: ${file} changed, ${written} module(s) rewritten`);
      } catch (error) {
        console.error(error.message);
      }
    }, 50);
  };
  const watchers = foldersUnder(SHADERS_DIR).map((dir) =>
    watch(dir, (_event, file) => {
      if (file?.endsWith('.wgsl')) regenerate(relative(SHADERS_DIR, join(dir, file)));
    }),
  );
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
  };
}

// Run as a script (not imported, nor bundled into a test, where import.meta.url is the bundle's).
const self = fileURLToPath(import.meta.url);
if (basename(self) === 'generate-kernels.mjs' && process.argv[1] && resolve(process.argv[1]) === self) {
  const { families, written } = generateKernelsOrExit();
  console.log(
    `generate-kernels: ${families.length} kernel families, ${written} module(s) rewritten → ${relative(process.cwd(), GENERATED_DIR)}`,
  );
}
