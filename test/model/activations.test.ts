/**
 * The new activations on the CPU side: Dense's `alpha` option, the float64 reference (its
 * erf and every derivative formula the kernels share), and save → load of alpha.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UnsupportedError, ValueError } from '../../src/errors.js';
import { ACTIVATIONS, type Activation } from '../../src/spec/activations.js';
import { Dense } from '../../src/model/layers.js';
import { Sequential } from '../../src/model/sequential.js';
import { deserializeModel, serializeModel } from '../../src/model/serialization.js';
import * as ref from '../../src/reference/index.js';
import { expectClose, randomArray } from '../helpers/numeric.js';

describe('Dense alpha option', () => {
  test('defaults: leaky_relu 0.2 (keras.activations.leaky_relu), elu 1.0; none for the others', () => {
    assert.equal(new Dense({ units: 2, activation: 'leaky_relu' }).alpha, 0.2);
    assert.equal(new Dense({ units: 2, activation: 'elu' }).alpha, 1);
    assert.equal(new Dense({ units: 2, activation: 'elu', alpha: 0 }).alpha, 0);
    assert.equal(new Dense({ units: 2, activation: 'leaky_relu', alpha: 3 }).alpha, 3);
    for (const activation of ['linear', 'relu', 'gelu', 'softplus', 'swish'] as const) {
      assert.equal(new Dense({ units: 2, activation }).alpha, undefined);
    }
  });

  test('ValueError for an alpha on an activation without one, and for non-finite or negative values', () => {
    const bad: readonly [Activation, unknown, RegExp][] = [
      ['relu', 0.1, /only for the activations leaky_relu and elu; 'relu' has no parameter/],
      ['gelu', 1, /'gelu' has no parameter/],
      ['leaky_relu', -0.1, /finite number ≥ 0, got -0.1/],
      ['elu', Number.NaN, /got NaN/],
      ['elu', Infinity, /got Infinity/],
      ['leaky_relu', '0.3', /got "0.3"/],
    ];
    for (const [activation, alpha, message] of bad) {
      assert.throws(
        () => new Dense({ units: 2, activation, alpha: alpha as number }),
        (error: unknown) => error instanceof ValueError && message.test(error.message),
      );
    }
    assert.throws(() => new Dense({ units: 2, alpha: 0.1 }), ValueError, 'linear (the default) has no alpha');
  });

  test('unknown activation names list every activation', () => {
    assert.throws(
      () => new Dense({ units: 2, activation: 'mish' as Activation }),
      (error: unknown) => error instanceof ValueError && error.message.includes(ACTIVATIONS.join(', ')),
    );
  });
});

describe('float64 reference', () => {
  test('erf / erfc / Φ against published values (relative error < 1e-14)', () => {
    const cases: readonly [(v: number) => number, number, number][] = [
      [ref.erf, 0.1, 0.1124629160182849],
      [ref.erf, 0.5, 0.5204998778130465],
      [ref.erf, 1, 0.8427007929497149],
      [ref.erf, -2, -0.9953222650189527],
      [ref.erfc, 2.5, 4.06952017444959e-4],
      [ref.erfc, 3, 2.209049699858544e-5],
      [ref.erfc, 5, 1.537459794428035e-12],
      [ref.erfc, 10, 2.088487583762545e-45],
      [ref.erfc, -1, 1.842700792949715],
      [ref.normalCdf, -5, 2.866515718791939e-7],
      [ref.normalCdf, 1.96, 0.9750021048517795],
    ];
    for (const [f, x, expected] of cases) expectClose([f(x)], [expected], { rtol: 1e-14, atol: 0 }, `${f.name}(${x})`);
    assert.equal(ref.erf(0), 0);
    assert.equal(ref.erfc(Infinity), 0);
    assert.equal(ref.erfc(-Infinity), 2);
  });

  const variants: readonly [Activation, number | undefined][] = [
    ...ACTIVATIONS.map((a) => [a, undefined] as [Activation, undefined]),
    ['leaky_relu', 0],
    ['leaky_relu', 1.7],
    ['elu', 0.3],
    ['elu', 2],
  ];
  for (const [activation, alpha] of variants) {
    test(`${activation}${alpha === undefined ? '' : `(alpha=${alpha})`}: the kernels' derivative formula (through y, or z) matches finite differences`, () => {
      // Away from the kinks at 0; over [-30, 30] to reach the saturated tails.
      const z = randomArray(200, 77, -30, 30).map((v) => (Math.abs(v) < 0.05 ? v + 0.1 : v));
      const step = 1e-6;
      const formula = Array.from(z, (v) => ref.activationSlope(activation, ref.activate(activation, v, alpha), alpha, v));
      const numeric = Array.from(
        z,
        (v) => (ref.activate(activation, v + step, alpha) - ref.activate(activation, v - step, alpha)) / (2 * step),
      );
      expectClose(formula, numeric, { rtol: 1e-6, atol: 1e-8 }, `${activation}'`);
    });
  }

  test('values: Keras definitions at sample points', () => {
    const close = (a: number, b: number, what: string) => expectClose([a], [b], { rtol: 1e-12, atol: 1e-300 }, what);
    close(ref.activate('leaky_relu', -2), -0.4, 'leaky_relu(-2), default slope 0.2');
    close(ref.activate('elu', -1, 1), Math.expm1(-1), 'elu(-1)');
    close(ref.activate('gelu', 1), 0.8413447460685429, 'gelu(1) = Φ(1)');
    close(ref.activate('softplus', 0), Math.LN2, 'softplus(0)');
    close(ref.activate('softplus', -800), 0, 'softplus(-800), no overflow');
    close(ref.activate('softplus', 800), 800, 'softplus(800), no overflow');
    close(ref.activate('swish', 2), 2 / (1 + Math.exp(-2)), 'swish(2)');
    assert.throws(() => ref.activationSlope('gelu', 0.5), /needs the pre-activation z/);
  });
});

describe('save → load of the new activations (CPU engine)', () => {
  const build = () => {
    const model = new Sequential({ backend: 'cpu', seed: 2, name: 'activations' });
    model.add(new Dense({ units: 5, activation: 'leaky_relu', alpha: 0.05, inputDim: 3 }));
    model.add(new Dense({ units: 4, activation: 'elu', alpha: 2 }));
    model.add(new Dense({ units: 4, activation: 'gelu' }));
    model.add(new Dense({ units: 3, activation: 'softplus' }));
    model.add(new Dense({ units: 3, activation: 'swish' }));
    model.add(new Dense({ units: 2, activation: 'leaky_relu' }));
    model.add(new Dense({ units: 1, activation: 'sigmoid' }));
    return model;
  };

  test('round trip keeps activations and non-default alphas; predictions identical', async () => {
    const model = build();
    const artifact = await serializeModel(model);
    const configs = artifact.modelJson.modelTopology.config.layers.map((l) => l.config as { activation?: string; alpha?: number });
    assert.deepEqual(
      configs.map((c) => [c.activation, c.alpha]),
      [
        ['leaky_relu', 0.05],
        ['elu', 2],
        ['gelu', undefined],
        ['softplus', undefined],
        ['swish', undefined],
        ['leaky_relu', undefined],
        ['sigmoid', undefined],
      ],
      'Keras names; alpha written only when it is not the default',
    );
    assert.ok(!('alpha' in configs[5]!), 'a default alpha leaves the config plain Keras');
    const loaded = deserializeModel(JSON.parse(JSON.stringify(artifact.modelJson)), artifact.weightData, { backend: 'cpu' });
    assert.deepEqual(
      (loaded.layers as Dense[]).map((l) => [l.activation, l.alpha]),
      [
        ['leaky_relu', 0.05],
        ['elu', 2],
        ['gelu', undefined],
        ['softplus', undefined],
        ['swish', undefined],
        ['leaky_relu', 0.2],
        ['sigmoid', undefined],
      ],
    );
    const x = { data: randomArray(30, 5, -3, 3), shape: [10, 3] as [number, number] };
    assert.deepEqual([...(await loaded.predict(x))], [...(await model.predict(x))]);
    model.dispose();
    loaded.dispose();
  });

  test('loading checks alpha: unknown-parameter activations, negative or non-numeric values, and Keras 3 activation dicts', async () => {
    const artifact = await serializeModel(build());
    const withConfig = (index: number, patch: Record<string, unknown>) => {
      const json = JSON.parse(JSON.stringify(artifact.modelJson)) as {
        modelTopology: { config: { layers: { config: Record<string, unknown> }[] } };
      };
      Object.assign(json.modelTopology.config.layers[index]!.config, patch);
      return json;
    };
    assert.throws(
      () => deserializeModel(withConfig(2, { alpha: 0.5 }), artifact.weightData, { backend: 'cpu' }),
      /activation 'gelu' has no parameter/,
    );
    assert.throws(() => deserializeModel(withConfig(0, { alpha: -1 }), artifact.weightData, { backend: 'cpu' }), ValueError);
    assert.throws(
      () => deserializeModel(withConfig(0, { alpha: 'big' }), artifact.weightData, { backend: 'cpu' }),
      /alpha must be a number/,
    );
    assert.throws(() => deserializeModel(withConfig(0, { activation: 'mish' }), artifact.weightData, { backend: 'cpu' }), UnsupportedError);
    // Keras 3 writes built-in activations as { module, class_name: 'function', config: name }.
    const keras3 = deserializeModel(
      withConfig(4, { activation: { module: 'keras.activations', class_name: 'function', config: 'swish', registered_name: 'swish' } }),
      artifact.weightData,
      { backend: 'cpu' },
    );
    assert.equal((keras3.layers[4] as Dense).activation, 'swish');
    keras3.dispose();
  });
});
