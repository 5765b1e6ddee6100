/**
 * Where the network view puts its units: one column per layer (inputs, hidden layers, output),
 * left to right, each column's units stacked and centred vertically. The tallest column of at
 * most `maxRows` units sets the height; a column with more units than fit (an expanded wide
 * layer) wraps into several sub-columns of smaller thumbnails instead of growing the view.
 */

export interface LayoutOptions {
  /** Space between two units of a column, px. */
  readonly gap: number;
  /** Horizontal space between two columns (where the edges run), px: the least, when fitting `width`. */
  readonly columnGap: number;
  /** With `width`: the columns spread to fill it, their gaps growing up to `maxColumnGap`. */
  readonly width?: number | undefined;
  readonly maxColumnGap?: number | undefined;
  /** Units a column stacks before the view stops growing taller. */
  readonly maxRows: number;
  /** Thumbnail size and gap of a wrapped column, px. */
  readonly smallSize: number;
  readonly smallGap: number;
  /** Margins around the columns: room for titles above, "+N more" below, labels left. */
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/** A column to lay out: how many units it draws and at what thumbnail size. */
export interface ColumnSpec {
  readonly count: number;
  readonly size: number;
}

/** A unit's box, its top-left corner and side, px. */
export interface UnitBox {
  readonly x: number;
  readonly y: number;
  readonly size: number;
}

export interface ColumnLayout {
  readonly x: number;
  readonly width: number;
  readonly units: readonly UnitBox[];
}

export interface NetworkLayout {
  readonly width: number;
  readonly height: number;
  readonly columns: readonly ColumnLayout[];
}

const span = (n: number, size: number, gap: number): number => (n > 0 ? n * size + (n - 1) * gap : 0);

export function layoutNetwork(columns: readonly ColumnSpec[], o: LayoutOptions): NetworkLayout {
  const inner = Math.max(0, ...columns.map((c) => span(Math.min(c.count, o.maxRows), c.size, o.gap)));
  const out: ColumnLayout[] = [];
  let x = o.left;
  for (const column of columns) {
    const wraps = span(column.count, column.size, o.gap) > inner;
    const size = wraps ? o.smallSize : column.size;
    const gap = wraps ? o.smallGap : o.gap;
    const rows = wraps ? Math.max(1, Math.floor((inner + gap) / (size + gap))) : Math.max(1, column.count);
    const used = span(Math.min(rows, column.count), size, gap);
    const top = o.top + (inner - used) / 2;
    const units: UnitBox[] = [];
    for (let i = 0; i < column.count; i++) {
      units.push({ x: x + Math.floor(i / rows) * (size + gap), y: top + (i % rows) * (size + gap), size });
    }
    const width = span(Math.ceil(column.count / rows), size, gap);
    out.push({ x, width, units });
    x += width + o.columnGap;
  }
  const width = (out.length ? x - o.columnGap : x) + o.right;
  const spare =
    o.width === undefined || out.length < 2
      ? 0
      : Math.min(((o.maxColumnGap ?? o.columnGap) - o.columnGap) * (out.length - 1), o.width - width);
  if (spare >= 1) {
    const extra = Math.floor(spare / (out.length - 1));
    const spread = out.map((c, i) => ({ ...c, x: c.x + i * extra, units: c.units.map((u) => ({ ...u, x: u.x + i * extra })) }));
    return { width: width + extra * (out.length - 1), height: o.top + inner + o.bottom, columns: spread };
  }
  return { width, height: o.top + inner + o.bottom, columns: out };
}

/** A cubic Bézier from the right side of one box to the left side of another (SVG path data). */
export function edgePath(from: UnitBox, to: UnitBox): string {
  const x1 = from.x + from.size;
  const y1 = from.y + from.size / 2;
  const x2 = to.x;
  const y2 = to.y + to.size / 2;
  const mid = (x1 + x2) / 2;
  const r = (v: number): number => Math.round(v * 10) / 10;
  return `M${r(x1)} ${r(y1)}C${r(mid)} ${r(y1)} ${r(mid)} ${r(y2)} ${r(x2)} ${r(y2)}`;
}
