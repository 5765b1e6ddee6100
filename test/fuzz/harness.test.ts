/**
 * The fuzz harness can fail: each way a call can break the invariant (another exception, a
 * hang, a prototype change, memory left allocated, a model that no longer trains) is reported,
 * and a failing property reports its seed and counterexample.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ValueError } from '../../src/errors.js';
import { assertTrains, CallerError, fuzz, outcome, SEPARABLE, smallClassifier } from '../helpers/fuzz.js';

const reports =
  (pattern: RegExp) =>
  (error: unknown): boolean => {
    assert.ok(error instanceof assert.AssertionError, `expected the harness's AssertionError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  };

test("a thrown TypeError, or a thrown non-Error, is reported; ShadernetErrors and the caller's errors are outcomes", async () => {
  await assert.rejects(
    outcome('a call', () => {
      throw new TypeError('deliberate');
    }),
    reports(/a call threw something other than a ShadernetError: TypeError: deliberate/),
  );
  await assert.rejects(
    outcome('a call', () => Promise.reject(new RangeError('deliberate'))),
    reports(/RangeError: deliberate/),
  );
  await assert.rejects(
    outcome('a call', () => {
      throw 'a string';
    }),
    reports(/a non-Error value: a string/),
  );
  const refused = await outcome('a call', () => {
    throw new ValueError('refused');
  });
  assert.ok(!refused.ok && refused.error instanceof ValueError);
  const passed = await outcome('a call', () => {
    throw new CallerError("the caller's own");
  });
  assert.ok(!passed.ok && passed.error instanceof CallerError);
  assert.deepEqual(await outcome('a call', () => 42), { ok: true, value: 42 });
});

test('a hang is reported (a promise that never settles, a synchronous call past the limit)', async () => {
  await assert.rejects(
    outcome('a call', () => new Promise(() => undefined), { timeoutMs: 50 }),
    reports(/did not settle within 50 ms/),
  );
  await assert.rejects(
    outcome(
      'a call',
      () => {
        const end = performance.now() + 80;
        while (performance.now() < end);
      },
      { timeoutMs: 50 },
    ),
    reports(/did not settle/),
  );
});

test('a change to Object.prototype or Array.prototype is reported', async () => {
  try {
    await assert.rejects(
      outcome('a call', () => {
        (Object.prototype as Record<string, unknown>)['polluted'] = true;
      }),
      reports(/changed a built-in prototype: Object.prototype.polluted was added/),
    );
  } finally {
    delete (Object.prototype as Record<string, unknown>)['polluted'];
  }
  const original = Array.prototype.includes;
  try {
    await assert.rejects(
      outcome('a call', () => {
        Array.prototype.includes = () => true;
      }),
      reports(/Array.prototype.includes was replaced/),
    );
  } finally {
    Array.prototype.includes = original;
  }
});

test('memory left allocated past the limit is reported', async () => {
  await assert.rejects(
    outcome('a call', () => new ArrayBuffer(8 * 2 ** 20), { arrayBufferBytes: 2 ** 20 }),
    reports(/left 8 MiB of ArrayBuffers allocated \(limit 1 MiB\)/),
  );
});

test('a failing property reports its counterexample, seed and how to replay it', async (t) => {
  await assert.rejects(
    fuzz(
      t,
      'deliberately failing',
      fc.integer({ min: 0, max: 100 }),
      async (n) => {
        await outcome(`f(${n})`, () => {
          if (n > 50) throw new TypeError(`${n} is too big`);
        });
      },
      200,
    ),
    (error: unknown) => {
      assert.ok(error instanceof assert.AssertionError);
      assert.match(error.message, /deliberately failing: \d+ cases .*seed \d+/);
      assert.match(error.message, /f\(51\) threw something other than a ShadernetError: TypeError: 51 is too big/); // shrunk to the boundary
      assert.match(error.message, /Replay: SHADERNET_FUZZ_SEED=\d+/);
      return true;
    },
  );
});

test('a model that cannot train any more fails assertTrains', async () => {
  const model = smallClassifier({ backend: 'cpu' });
  // A fit still running leaves the model busy: compile() in assertTrains refuses.
  const running = model.fit(SEPARABLE.x, SEPARABLE.y, { epochs: 200, verbose: 0 });
  await assert.rejects(assertTrains(model), { name: 'StateError' });
  model.stopTraining = true;
  await running;
  model.dispose();
  await assert.rejects(assertTrains(model), { name: 'StateError' });
});
