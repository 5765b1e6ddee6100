/**
 * Pipeline compilation: the registry's background (async) path, and compiling a model's
 * pipelines ahead of fit (warm). Each test makes GPU contexts of its own: the suite's shared one
 * holds other files' pipelines, and these tests count compilations on a fresh device.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Dense, GpuContext, GpuError, makeCircles, Sequential, type MatrixLike } from '../../src/index.js';
import { runKernels, BoundKernel } from '../../src/gpu/dispatch.js';
import type { KernelSpec } from '../../src/gpu/kernel-spec.js';
import type { PipelineCompilation } from '../../src/gpu/registry.js';

/** A one-entry kernel: `out[i] = 1` for i < n; `body` replaces the store (to make it invalid). */
function fillSpec(name: string, body = 'out[i] = 1.0;'): KernelSpec {
  return {
    name,
    source: `struct Params { n: u32 }
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@compute @workgroup_size(64) fn fill(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i < params.n) { ${body} }
}`,
    bindings: [
      { binding: 0, name: 'params', access: 'uniform' },
      { binding: 1, name: 'out', access: 'read_write' },
    ],
    overrides: {},
    entryPoints: { fill: { bindings: ['params', 'out'], overrides: [], workgroupSize: [64, 1, 1] } },
    uniform: { structName: 'Params', size: 4, fields: { n: { offset: 0, type: 'u32' } } },
  };
}

/** Runs `body` on a fresh context with the given compilation, counting the device's pipeline creations. */
async function withContext(
  compilation: PipelineCompilation,
  body: (ctx: GpuContext, created: { sync: number; async: number }) => Promise<void>,
): Promise<void> {
  const ctx = await GpuContext.create({ pipelineCompilation: compilation });
  const created = { sync: 0, async: 0 };
  const device = ctx.device;
  const createSync = device.createComputePipeline.bind(device);
  const createAsync = device.createComputePipelineAsync.bind(device);
  device.createComputePipeline = (descriptor) => {
    created.sync++;
    return createSync(descriptor);
  };
  device.createComputePipelineAsync = (descriptor) => {
    created.async++;
    return createAsync(descriptor);
  };
  try {
    await body(ctx, created);
  } finally {
    ctx.dispose();
  }
}

describe('async pipeline compilation', () => {
  test('a pipeline requested twice while compiling is compiled once, and usable once ready', async () => {
    await withContext('async', async (ctx, created) => {
      const spec = fillSpec('fill_twice');
      const first = ctx.kernels.pipeline(spec, 'fill');
      const second = ctx.kernels.pipeline(spec, 'fill');
      assert.equal(second, first, 'the same KernelPipeline');
      assert.equal(created.async, 1);
      assert.equal(created.sync, 0);
      assert.equal(ctx.kernels.pendingCount, 1);
      assert.throws(() => first.pipeline, GpuError, 'encoding before ready() is refused by name');
      // Bind groups need only the layout: a plan is built while its pipeline compiles.
      const out = ctx.createStorage('fill out', 70);
      const kernel = new BoundKernel(ctx, first, { out }, [2, 1, 1]).setParams({ n: 70 });
      await runKernels(ctx, 'fill', [kernel]); // awaits ready() itself
      assert.equal(ctx.kernels.pendingCount, 0);
      assert.ok(first.pipeline, 'compiled');
      assert.deepEqual([...(await ctx.readFloats(out))], new Array<number>(70).fill(1));
      assert.equal(ctx.kernels.pipeline(spec, 'fill'), first, 'cached after compiling too');
      assert.equal(created.async, 1);
      assert.ok(ctx.kernels.compileMs > 0, 'compile time is counted');
      kernel.dispose();
    });
  });

  test('a pipeline that fails to compile rejects ready() with a GpuError naming its kernel and entry point', async () => {
    await withContext('async', async (ctx) => {
      const good = ctx.kernels.pipeline(fillSpec('fill_good'), 'fill');
      const bad = ctx.kernels.pipeline(fillSpec('fill_broken', 'out[i] = undefined_name;'), 'fill');
      await assert.rejects(ctx.kernels.ready(), (error: unknown) => {
        assert.ok(error instanceof GpuError, `a GpuError, got ${String(error)}`);
        assert.match(error.message, /fill_broken\.fill/);
        return true;
      });
      assert.ok(good.pipeline, 'the other pipeline compiled');
      assert.throws(() => bad.pipeline, /fill_broken\.fill.*failed to compile/s);
      assert.equal(ctx.kernels.pendingCount, 0);
      await ctx.kernels.ready(); // the failure is reported once; nothing is left compiling
      assert.notEqual(ctx.kernels.pipeline(fillSpec('fill_broken', 'out[i] = undefined_name;'), 'fill'), bad, 'a new request tries again');
      await assert.rejects(ctx.kernels.ready(), GpuError);
    });
  });

  test('disposing the context while pipelines compile is safe', async () => {
    const ctx = await GpuContext.create({ pipelineCompilation: 'async' });
    for (let i = 0; i < 3; i++) ctx.kernels.pipeline(fillSpec(`fill_disposed_${i}`), 'fill');
    assert.equal(ctx.kernels.pendingCount, 3);
    ctx.dispose();
    assert.equal(ctx.kernels.pendingCount, 0, 'abandoned');
    await ctx.kernels.ready(); // nothing to wait for
    await assert.rejects(ctx.pipelinesReady(), /disposed/);
    // Let the abandoned compilations settle (resolve or reject): no unhandled rejection follows.
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  test('sync compilation creates at once', async () => {
    await withContext('sync', async (ctx, created) => {
      const kernel = ctx.kernels.pipeline(fillSpec('fill_sync'), 'fill');
      assert.ok(kernel.pipeline);
      assert.deepEqual(created, { sync: 1, async: 0 });
      assert.equal(ctx.kernels.pendingCount, 0);
    });
  });
});

const circles = makeCircles({ nSamples: 96, factor: 0.4, noise: 0.1, randomState: 2 });
const x: MatrixLike = { data: circles.x, shape: [circles.nSamples, 2] };

function mlp(gpu: GpuContext): Sequential {
  const model = new Sequential({ gpu, backend: 'webgpu', seed: 1 });
  model.add(new Dense({ units: 12, activation: 'tanh', inputDim: 2 }));
  model.add(new Dense({ units: 1, activation: 'sigmoid' }));
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

describe('model.warm()', () => {
  for (const compilation of ['sync', 'async'] as const) {
    test(`after warm, fit, evaluate and predict compile no new pipeline (${compilation})`, async () => {
      await withContext(compilation, async (ctx, created) => {
        const model = mlp(ctx);
        await model.warm();
        const warmed = model.stats().pipelines;
        assert.ok(warmed > 0, 'warm compiled pipelines');
        assert.equal(created.sync + created.async, warmed);
        assert.equal(ctx.kernels.pendingCount, 0, 'warm resolves once they are compiled');
        await model.fit(x, circles.y, { epochs: 2, batchSize: 16, verbose: 0, validationSplit: 0.25 });
        assert.equal(model.stats().compileMs, 0, 'the first epoch did not compile');
        await model.evaluate(x, circles.y);
        await model.predict(x);
        await model.predictLayers(x);
        assert.equal(model.stats().pipelines, warmed, 'no pipeline after warm');
        assert.equal(created.sync + created.async, warmed);
        model.dispose();
      });
    });
  }

  test('without warm, the first epoch reports its compile time, the next ones none', async () => {
    await withContext('async', async (ctx) => {
      const model = mlp(ctx);
      await model.fit(x, circles.y, { epochs: 1, batchSize: 16, verbose: 0 });
      assert.ok(model.stats().compileMs > 0, `compileMs ${model.stats().compileMs}`);
      await model.fit(x, circles.y, { epochs: 1, batchSize: 16, verbose: 0 });
      assert.equal(model.stats().compileMs, 0);
      model.dispose();
    });
  });

  test('fit may start before warm resolves: it waits, and nothing compiles twice', async () => {
    await withContext('async', async (ctx, created) => {
      const model = mlp(ctx);
      const warming = model.warm();
      await model.fit(x, circles.y, { epochs: 1, batchSize: 16, verbose: 0 });
      await warming;
      assert.equal(created.async, model.stats().pipelines);
      model.dispose();
    });
  });

  test('warm needs compile() and a known input size, and checks its options', async () => {
    const model = new Sequential({ backend: 'cpu' });
    model.add(new Dense({ units: 1 }));
    await assert.rejects(model.warm(), /compile\(\)/);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    await assert.rejects(model.warm(), /input size is unknown/);
    await assert.rejects(model.warm({ sampleWeight: 'yes' as unknown as boolean }), /sampleWeight must be true or false/);
    model.dispose();
  });

  test('warm on the CPU engine resolves (nothing to compile)', async () => {
    const model = new Sequential({ backend: 'cpu' });
    model.add(new Dense({ units: 1, inputDim: 2, activation: 'sigmoid' }));
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
    await model.warm({ sampleWeight: true });
    assert.equal(model.stats().pipelines, 0);
    model.dispose();
  });
});
