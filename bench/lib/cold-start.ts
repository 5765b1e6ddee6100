// Cold start: the first epoch of the first model on a fresh device (its pipelines not compiled
// yet) against a warm epoch of the same model, without and with model.warm() before fit. Run
// first in a fresh process or page, before any other workload compiles anything.
import type { GpuContext } from '../../src/index.js';
import { render } from './report.js';
import { buildShadernetModel, tutorialEpoch } from './shadernet-runner.js';
import { trainingData, tutorialTraining, TUTORIAL_MODELS } from './workloads.js';

export interface ColdStartFigure {
  readonly model: string;
  /** model.warm() ran (and resolved) before the first fit. */
  readonly precompiled: boolean;
  /** How long warm() took. */
  readonly precompileMs?: number;
  /** Wall time of the first fit({ epochs: 1 }): plans, data upload, compiling (or waiting for) pipelines, the epoch. */
  readonly firstEpochMs: number;
  /** Median wall time of the next fits of one epoch. */
  readonly warmEpochMs: number;
  /** firstEpochMs ÷ warmEpochMs (the goal: ≤ 2). */
  readonly ratio: number;
  /** Pipelines compiled on the device for the model (fit, validation, and predict after warm). */
  readonly pipelines: number;
  /** Milliseconds the device spent compiling them (KernelRegistry.compileMs). */
  readonly compileMs: number;
  /** How pipelines were created: `sync` or `async` (the runtime's default). */
  readonly compilation: string;
}

const WARM_EPOCHS = 3;

/** Without, then with, warm(); each on a device of its own from `newContext` (disposed here). */
export async function measureColdStart(newContext: () => Promise<GpuContext>): Promise<ColdStartFigure[]> {
  const model = TUTORIAL_MODELS[2]; // 2→128→1, the tutorial's model and the playground's default
  const workload = tutorialTraining(model);
  const data = trainingData(workload);
  const { x, options } = tutorialEpoch(data, workload.batchSize);
  const figures: ColdStartFigure[] = [];
  for (const precompiled of [false, true]) {
    const ctx = await newContext();
    const sequential = buildShadernetModel(model.hidden, ctx);
    try {
      let precompileMs: number | undefined;
      if (precompiled) {
        const started = performance.now();
        await sequential.warm();
        precompileMs = performance.now() - started;
      }
      const timeFit = async (): Promise<number> => {
        const started = performance.now();
        await sequential.fit(x, data.y, options);
        return performance.now() - started;
      };
      const firstEpochMs = await timeFit();
      const warm: number[] = [];
      for (let i = 0; i < WARM_EPOCHS; i++) warm.push(await timeFit());
      const warmEpochMs = warm.sort((a, b) => a - b)[WARM_EPOCHS >> 1]!;
      figures.push({
        model: model.label,
        precompiled,
        ...(precompileMs === undefined ? {} : { precompileMs }),
        firstEpochMs,
        warmEpochMs,
        ratio: firstEpochMs / warmEpochMs,
        pipelines: ctx.kernels.pipelineCount,
        compileMs: ctx.kernels.compileMs,
        compilation: ctx.kernels.compilation,
      });
    } finally {
      sequential.dispose();
      ctx.dispose();
    }
  }
  return figures;
}

/** The cold-start table (text or markdown). */
export function coldStartTable(figures: readonly ColdStartFigure[], markdown: boolean): string {
  const headers = ['model', 'warm() first', 'warm() ms', 'first epoch ms', 'warm epoch ms', 'first ÷ warm', 'pipelines', 'compile ms'];
  const rows = figures.map((f) => [
    f.model,
    f.precompiled ? 'yes' : 'no',
    f.precompileMs === undefined ? '—' : f.precompileMs.toFixed(0),
    f.firstEpochMs.toFixed(0),
    f.warmEpochMs.toFixed(0),
    `${f.ratio.toFixed(2)}×`,
    String(f.pipelines),
    f.compileMs.toFixed(0),
  ]);
  const compilation = figures[0]?.compilation ?? '';
  const title = `Cold start — first epoch of the first model on a fresh device vs a warm epoch (pipelines created ${compilation})`;
  return `${markdown ? `**${title}**` : title}\n${render(headers, rows, markdown)}`;
}
