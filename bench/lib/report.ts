// Tables of a bench report, as aligned text (console) or Markdown (README), for both runners.
import { roof } from './calibration.js';
import { coldStartTable } from './cold-start.js';
import { ENGINES, ratio, type BenchReport, type Engine, type Figure } from './workloads.js';

type Cell = string | number | undefined;

export function formatNumber(value: number | undefined, digits = 3): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toPrecision(digits);
}

const formatRatio = (value: number | undefined) => (value === undefined ? '—' : `${formatNumber(value, 2)}×`);

export function render(headers: readonly string[], rows: readonly (readonly Cell[])[], markdown: boolean): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : (c ?? '—'))))];
  if (markdown) {
    const line = (r: readonly Cell[]) => `| ${r.join(' | ')} |`;
    return [line(cells[0]!), line(headers.map(() => '---')), ...cells.slice(1).map(line)].join('\n');
  }
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => String(r[i]).length)));
  const line = (r: readonly Cell[]) =>
    r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]!) : String(c).padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function cellOf(figure: Figure | undefined, value: (f: Figure) => number | undefined): Cell {
  if (!figure) return undefined;
  if (figure.skipped) return 'skipped';
  if (figure.error) return 'error';
  return value(figure);
}

/** The engines present in a report, in the canonical order. */
export function enginesOf(figures: readonly Figure[]): Engine[] {
  return ENGINES.filter((e) => figures.some((f) => f.engine === e));
}

const short = (engine: Engine) => engine.replace('tfjs-', '');

export function reportTables(report: Pick<BenchReport, 'figures' | 'calibration' | 'coldStart'>, markdown = false): string {
  const figures = report.figures;
  const engines = enginesOf(figures);
  const others = engines.filter((e) => e !== 'shadernet');
  const find = (workload: string, engine: Engine) => figures.find((f) => f.workload === workload && f.engine === engine);
  const workloadsOf = (kind: Figure['kind']) => [...new Set(figures.filter((f) => f.kind === kind).map((f) => f.workload))];
  const ratioHeaders = others.map((e) => `÷ ${short(e)}`);
  const vs = (text: string) => (others.length ? text : '');
  const out: string[] = [];

  const kernels = workloadsOf('kernel');
  if (kernels.length) {
    out.push(
      markdown
        ? '**Kernels, GFLOP/s** (ratio: shadernet ÷ peer)'
        : `Kernels — GFLOP/s (2·rows·inputs·units per op)${vs('; ratios shadernet ÷ peer')}`,
    );
    out.push(
      render(
        ['kernel', ...engines.map(short), ...ratioHeaders],
        kernels.map((w) => [
          w,
          ...engines.map((e) => cellOf(find(w, e), (f) => f.gflops)),
          ...others.map((e) => formatRatio(ratio(figures, w, e))),
        ]),
        markdown,
      ),
    );
  }

  const trainings = workloadsOf('training');
  if (trainings.length) {
    const sn = (w: string) => find(w, 'shadernet');
    out.push(
      markdown
        ? '**Training, samples/s** (ratio: shadernet ÷ peer)'
        : `\nTraining — samples/s, ms/step (shadernet), dispatches and submits from model.stats()${vs('; ratios shadernet ÷ peer')}`,
    );
    out.push(
      render(
        [
          'model',
          'rows',
          ...engines.map((e) => `${short(e)} samples/s`),
          'ms/step',
          'dispatches/step',
          'submits/epoch',
          'reads/epoch',
          ...ratioHeaders,
        ],
        trainings.map((w) => [
          w.replace(/^train /, ''),
          sn(w)?.rows ?? find(w, others[0]!)?.rows,
          ...engines.map((e) => cellOf(find(w, e), (f) => f.samplesPerSecond)),
          sn(w)?.msPerStep,
          sn(w)?.dispatchesPerStep,
          sn(w)?.submitsPerEpoch,
          sn(w)?.readsPerEpoch,
          ...others.map((e) => formatRatio(ratio(figures, w, e))),
        ]),
        markdown,
      ),
    );
    if (others.length) {
      out.push(markdown ? '**Training, ms/step**' : '\nTraining — ms/step (rows timed where bounded)');
      out.push(
        render(
          ['model', ...engines.map(short)],
          trainings.map((w) => [
            w.replace(/^train /, ''),
            ...engines.map((e) => {
              const f = find(w, e);
              const cell = cellOf(f, (x) => x.msPerStep);
              return typeof cell === 'number' && f?.rows !== sn(w)?.rows ? `${formatNumber(cell)} (${f?.rows} rows)` : cell;
            }),
          ]),
          markdown,
        ),
      );
    }
  }

  if (trainings.length && figures.some((f) => f.valAccuracy !== undefined)) {
    // Same data, same model, same optimizer: a peer far from shadernet's accuracy is not comparable.
    out.push(
      markdown
        ? '**Training sanity: validation accuracy after the last timed epoch**'
        : '\nTraining sanity — validation accuracy after the last timed epoch (same data, model and Adam)',
    );
    out.push(
      render(
        ['model', ...engines.map(short)],
        trainings.map((w) => [w.replace(/^train /, ''), ...engines.map((e) => cellOf(find(w, e), (f) => f.valAccuracy))]),
        markdown,
      ),
    );
  }

  const predicts = workloadsOf('predict');
  if (predicts.length) {
    out.push(
      markdown
        ? '**Predict, ms per grid** (ratio: peer time ÷ shadernet time)'
        : `\nPredict — ms per grid (probabilities on the CPU)${vs('; ratios peer time ÷ shadernet time')}`,
    );
    out.push(
      render(
        ['grid', ...engines.map(short), ...ratioHeaders],
        predicts.map((w) => [
          w.replace(/^predict /, ''),
          ...engines.map((e) => cellOf(find(w, e), (f) => f.ms)),
          ...others.map((e) => formatRatio(ratio(figures, w, e))),
        ]),
        markdown,
      ),
    );
  }

  const paths = kernelPathTable(report, markdown);
  if (paths) out.push(paths);

  const roofline = rooflineTable(report, markdown);
  if (roofline) out.push(roofline);

  const problems = figures.filter((f) => f.error);
  if (problems.length) out.push(`\nErrors:\n${problems.map((f) => `  ${f.engine} / ${f.workload}: ${f.error}`).join('\n')}`);
  if (report.coldStart?.length) out.push(coldStartTable(report.coldStart, markdown));
  return out.join(markdown ? '\n\n' : '\n');
}

/**
 * shadernet's two kernel paths side by side (the shadernet-fused and shadernet-layered engines):
 * training samples/s and predict ms with each, fused ÷ layered speed, dispatches per step, and
 * the path shadernet chose by itself. Undefined when the report has neither.
 */
export function kernelPathTable(report: Pick<BenchReport, 'figures'>, markdown = false): string | undefined {
  const figures = report.figures;
  const find = (workload: string, engine: Engine) => figures.find((f) => f.workload === workload && f.engine === engine);
  const forced = figures.filter((f) => (f.engine === 'shadernet-fused' || f.engine === 'shadernet-layered') && !f.skipped);
  const workloads = [...new Set(forced.map((f) => f.workload))];
  if (!workloads.length) return undefined;
  const speed = (f: Figure | undefined) => (f?.kind === 'predict' ? (f.ms > 0 ? 1 / f.ms : undefined) : f?.samplesPerSecond);
  const rows = workloads.map((w) => {
    const [chosen, fused, layered] = [find(w, 'shadernet'), find(w, 'shadernet-fused'), find(w, 'shadernet-layered')];
    const value = (f: Figure | undefined) => cellOf(f, (x) => (x.kind === 'predict' ? x.ms : x.samplesPerSecond));
    const [a, b] = [speed(fused), speed(layered)];
    return [
      w,
      value(fused),
      value(layered),
      formatRatio(a !== undefined && b !== undefined && b > 0 ? a / b : undefined),
      fused?.dispatchesPerStep !== undefined ? `${fused.dispatchesPerStep}, ${layered?.dispatchesPerStep ?? '—'}` : undefined,
      chosen?.kernels ?? (chosen ? '—' : undefined),
    ];
  });
  const heading = 'Kernel paths — training samples/s or predict ms per grid, each path forced; fused ÷ layered speed';
  return [
    markdown ? `**${heading}**` : `\n${heading}`,
    render(['workload', 'fused', 'layered', 'fused ÷ layered', 'dispatches/step (fused, layered)', 'shadernet chose'], rows, markdown),
  ].join(markdown ? '\n\n' : '\n');
}

/**
 * shadernet's kernels against the adapter's measured ceilings: achieved GFLOP/s and GB/s, each as
 * a % of the calibration peak, and the % of the roof at the kernel's arithmetic intensity.
 */
export function rooflineTable(report: Pick<BenchReport, 'figures' | 'calibration'>, markdown = false): string | undefined {
  const peaks = report.calibration;
  const kernels = report.figures.filter(
    (f) => f.engine === 'shadernet' && f.kind === 'kernel' && f.gflops !== undefined && f.gbps !== undefined && f.intensity !== undefined,
  );
  if (!peaks || !kernels.length) return undefined;
  const percent = (value: number) => `${formatNumber(100 * value, 2)} %`;
  const heading = `Roofline — measured peaks: ${formatNumber(peaks.peakGflops)} GFLOP/s (FMA kernel), ${formatNumber(peaks.peakGBs)} GB/s (copy kernel); ridge at ${formatNumber(peaks.ridgeIntensity)} FLOP/byte`;
  const rows = kernels.map((f) => {
    const attainable = roof(peaks, f.intensity!);
    return [
      f.workload,
      formatNumber(f.intensity!),
      f.gflops!,
      percent(f.gflops! / peaks.peakGflops),
      f.gbps!,
      percent(f.gbps! / peaks.peakGBs),
      f.intensity! < peaks.ridgeIntensity ? 'memory' : 'compute',
      percent(f.gflops! / attainable),
    ];
  });
  return [
    markdown ? `**${heading}**` : `\n${heading}`,
    render(['kernel (shadernet)', 'FLOP/byte', 'GFLOP/s', '% peak FLOP', 'GB/s', '% peak GB/s', 'bound', '% of roof'], rows, markdown),
  ].join(markdown ? '\n\n' : '\n');
}
