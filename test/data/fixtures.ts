// Loads the scikit-learn golden fixtures from test/fixtures/sklearn (provenance in its README),
// relative to the repository root, where `npm test` runs. A missing file is a failure, not a
// skip: these files are the only outside evidence that the generators match scikit-learn.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One fixture file: a scikit-learn call's parameters and its output. */
export interface SklearnFixture {
  readonly fn: 'make_circles' | 'make_moons';
  readonly n_samples: number;
  readonly factor?: number;
  readonly noise: number | null;
  readonly random_state: number;
  readonly shuffle: boolean;
  readonly X: readonly (readonly [number, number])[];
  readonly y: readonly number[];
}

export const FIXTURES_DIR = resolve(process.cwd(), 'test/fixtures/sklearn');

export function loadFixture(name: string): SklearnFixture {
  if (!existsSync(FIXTURES_DIR)) {
    throw new Error(
      `The scikit-learn fixtures (test/fixtures/sklearn) are not under the working directory: ` +
        'run the tests from the repository root, as `npm test` does.',
    );
  }
  return JSON.parse(readFileSync(resolve(FIXTURES_DIR, name), 'utf8')) as SklearnFixture;
}
