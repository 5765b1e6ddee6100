import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';

/**
 * The layers of src/, bottom first. A file may import from its own layer and from the layers
 * it `sits on` (and, transitively, what those sit on); anything else is an upward or sideways
 * import. Siblings (reference, data, gpu) do not import each other.
 *
 *   leaf        errors.ts, show.ts, version.ts, runtime.ts: no imports of the library
 *   spec        pure data types of networks, losses, optimizers and schedules, activations,
 *               dropout masks, metrics, backends (and pure helpers on them)
 *   reference   the float64 oracle and CPU engine's maths         (spec)
 *   data        dataset generators, seeded RNG                    (spec)
 *   gpu         device, pipelines, dispatch plumbing              (spec)
 *   kernels     typed constructors of WGSL dispatches             (gpu)
 *   engine      plans and backends                                (kernels, reference)
 *   model       Sequential, the Keras API, save/load              (engine, data)
 *   worker      the model in a Web Worker                         (model)
 *   entry       index.ts, the public API                          (worker)
 *   node        node.ts, node/: the Node entry                    (entry)
 *   components  the Lit elements                                  (entry)
 */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  leaf: [],
  spec: ['leaf'],
  reference: ['spec'],
  data: ['spec'],
  gpu: ['spec'],
  kernels: ['gpu'],
  engine: ['kernels', 'reference'],
  model: ['engine', 'data'],
  worker: ['model'],
  entry: ['worker'],
  node: ['entry'],
  components: ['entry'],
};

/** Layer of a path relative to src/ (posix separators). */
function layerOf(file: string): string {
  const [top, ...rest] = file.split('/');
  if (rest.length === 0) {
    const layer = TOP_LEVEL_FILES[top!];
    if (layer === undefined) throw new Error(`src/${file} belongs to no layer: add it to LAYERS in test/build/layering.test.ts.`);
    return layer;
  }
  if (!(top! in LAYERS)) throw new Error(`src/${top}/ belongs to no layer: add it to LAYERS in test/build/layering.test.ts.`);
  return top!;
}

/** Files directly under src/. */
const TOP_LEVEL_FILES: Readonly<Record<string, string>> = {
  'errors.ts': 'leaf',
  'show.ts': 'leaf',
  'version.ts': 'leaf',
  'runtime.ts': 'leaf',
  'index.ts': 'entry',
  'node.ts': 'node',
};

/** What layer `from` may import: itself, and everything below it. */
function reachableLayers(from: string): Set<string> {
  const out = new Set<string>([from]);
  const visit = (layer: string): void => {
    for (const below of LAYERS[layer]!) {
      if (out.has(below)) continue;
      out.add(below);
      visit(below);
    }
  };
  visit(from);
  return out;
}

const SRC = 'src';

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'generated') out.push(...sourceFiles(path));
    } else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** The import graph: src-relative file → the src-relative files it imports (static, type-only and re-exports alike). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const path of sourceFiles(SRC)) {
    const file = relative(SRC, path).split('\\').join('/');
    const { importedFiles } = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
    const targets = importedFiles
      .map((ref) => ref.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\.js$/, '.ts'))
      .filter((target) => !target.includes('/generated/'));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself), by Tarjan's algorithm. */
function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return found;
}

/** One concrete cycle through `component`'s first file, for the failure message. */
function cyclePath(graph: Map<string, string[]>, component: readonly string[]): string {
  const members = new Set(component);
  const start = component[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let at = v; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
        return [...path, start].join(' → ');
      }
      if (!previous.has(w)) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return component.join(', ');
}

describe('layering of src/', () => {
  const graph = importGraph();

  test('the parser sees the imports (sanity: engine/backward.ts imports kernels and spec, index.ts re-exports)', () => {
    assert.ok(graph.get('engine/backward.ts')!.includes('kernels/dense.ts'));
    assert.ok(graph.get('engine/backward.ts')!.includes('engine/step.ts'), 'import type { … } from is seen');
    assert.ok(graph.get('index.ts')!.includes('model/sequential.ts'), 'export { … } from is seen');
    assert.ok(graph.size > 100);
  });

  test('no file imports from a layer above its own (or from a sibling)', () => {
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      const allowed = reachableLayers(layerOf(file));
      for (const target of targets) {
        if (!graph.has(target)) violations.push(`src/${file} → src/${target}: no such file`);
        else if (!allowed.has(layerOf(target))) {
          violations.push(`src/${file} → src/${target} (${layerOf(file)} may not import ${layerOf(target)})`);
        }
      }
    }
    assert.deepEqual(violations, [], `upward imports:\n${violations.join('\n')}`);
  });

  test('the file graph has no import cycle', () => {
    const unexpected = cycles(graph).map((component) => cyclePath(graph, component));
    assert.deepEqual(unexpected, [], `import cycles:\n${unexpected.join('\n')}`);
  });

  test('the cycle finder finds a planted cycle and names it', () => {
    const planted = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
    ]);
    assert.deepEqual(cycles(planted), [['a.ts', 'b.ts', 'c.ts']]);
    assert.equal(cyclePath(planted, ['a.ts', 'b.ts', 'c.ts']), 'a.ts → b.ts → c.ts → a.ts');
  });
});
