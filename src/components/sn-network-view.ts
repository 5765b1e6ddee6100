import { LitElement, css, html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { coolwarmCss } from './lib/colors.js';
import { DEFAULT_DOMAIN, gridPoints, type Domain } from './lib/geometry.js';
import { paintMap, type MapMode } from './lib/map-render.js';
import { edgeStyle, paintUnit, sampleUnit, weightScale, type EdgeStyle, type UnitMapSource } from './lib/network-colors.js';
import { edgePath, layoutNetwork, type ColumnLayout, type NetworkLayout, type UnitBox } from './lib/network-layout.js';
import { denseParams, incomingWeights, visibleEdges, visibleUnits, type DenseParams, type Edge } from './lib/network-select.js';
import { baseStyles } from './shared-styles.js';

/** A Dense layer as the view draws it (the playground's LayerSpec fits). */
export interface NetworkLayer {
  readonly units: number;
  readonly activation: string;
  /** Default true: getWeights() then has a bias array after the layer's kernel. */
  readonly useBias?: boolean;
}

/** A unit of the view: `column` 0 is the input features, column i the i-th Dense layer (the output last). */
export interface NetworkUnit {
  readonly column: number;
  readonly unit: number;
}

type Hover =
  | { readonly kind: 'unit'; readonly at: NetworkUnit }
  | { readonly kind: 'edge'; readonly edge: Edge; readonly x: number; readonly y: number };

const THUMB = 36;
const OUTPUT_THUMB = 72;
const TIP_WIDTH = 212;
const TIP_MAP = 150;
const MAX_EDGES_PER_LAYER = 600;
const fmt = (v: number): string => (v < 0 ? '−' : '+') + Math.abs(v).toFixed(3);

/**
 * The network, TensorFlow Playground style: input features → each Dense layer → output, every
 * unit a live thumbnail of its output over the plane, weights as curves coloured by sign (blue
 * negative, red positive, coolwarm) and as wide as |w| (relative to the layer's largest).
 *
 * Feed it what a training run already has: `layers` (every Dense layer, output last), `weights`
 * (`model.getWeights()`), and `maps`, the `layers` of `<sn-decision-map with-layers>`'s
 * `map-update` event (every layer's outputs over its grid, from its one GPU pass) with that
 * event's `resolution` and `domain`. New weights or maps only update attributes and repaint
 * canvases; no element is re-created.
 *
 * Wide layers show their `max-units` units of largest outgoing weight magnitude and a
 * "+N more" button that shows them all. Hovering (or focusing) a unit shows its map at full
 * size, its bias and incoming weights; hovering an edge shows its weight. Clicking a unit (or
 * Enter on it) pins it: its tooltip stays and its edges stand out; Escape unpins.
 *
 * @fires unit-pin - `CustomEvent<NetworkUnit | null>` when a unit is pinned or unpinned.
 */
@customElement('sn-network-view')
export class SnNetworkView extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host{display:block}
      .scroll{overflow:auto;max-width:100%}
      .net{position:relative;margin:0 auto}
      svg{position:absolute;inset:0;overflow:visible}
      .e{fill:none;transition:opacity .15s}
      .hit{fill:none;stroke:transparent;stroke-width:8px}
      svg.focused .e:not(.on){opacity:.07}
      .unit{position:absolute;padding:0;min-height:0;border:1px solid #aeb7c0;border-radius:3px;background:#fff;line-height:0;box-shadow:0 1px 2px rgb(0 0 0/.12)}
      .unit:hover,.unit.on{border-color:var(--sn-text)}
      .unit[aria-pressed=true]{outline:2px solid var(--sn-text);outline-offset:1px}
      .unit canvas{width:100%;height:100%;border-radius:2px}
      .bias{position:absolute;left:-4px;bottom:-4px;width:8px;height:8px;border:1px solid #fff;border-radius:2px}
      .title,.name{position:absolute;top:6px;font-size:12px;white-space:nowrap;color:var(--sn-muted);line-height:1.25}
      .title{transform:translateX(-50%);text-align:center}
      .title b{color:var(--sn-text);font-weight:600}
      .name{transform:translate(-100%,-50%);font-family:var(--sn-mono)}
      .more{position:absolute;transform:translateX(-50%);min-height:24px;padding:1px 8px;font-size:12px;border-radius:12px;white-space:nowrap}
      .tip{position:absolute;width:${TIP_WIDTH}px;z-index:1;background:#fff;border:1px solid var(--sn-line);border-radius:6px;box-shadow:0 4px 14px rgb(0 0 0/.15);padding:8px 10px;font-size:12px;pointer-events:none}
      .tip canvas{display:block;width:${TIP_MAP}px;height:${TIP_MAP}px;border:1px solid #8c959f;margin:4px 0}
      .tip p{margin:2px 0}
      .tip ul{margin:2px 0;padding:0;list-style:none;font-family:var(--sn-mono)}
      .sw{display:inline-block;width:9px;height:9px;border-radius:2px;margin-right:4px}
      .legend{font-size:12px;color:var(--sn-muted);margin:4px 0 0;text-align:center}
    `,
  ];

  /** Names of the input features, in the model's input order. */
  @property({ attribute: false }) features: readonly string[] = ['x1', 'x2'];
  /** Every Dense layer, the output last. */
  @property({ attribute: false }) layers: readonly NetworkLayer[] = [];
  /** The model's weights as `getWeights()` returns them ([kernel in×out, bias] per layer); no edges until they match `layers`. */
  @property({ attribute: false }) weights: readonly ArrayLike<number>[] = [];
  /** Every layer's outputs over the grid, rows × units each, the output last (`map-update`'s `layers`). */
  @property({ attribute: false }) maps: readonly Float32Array[] = [];
  /** The inputs over the grid, rows × features; default: the grid's (x1, x2) over `domain`. */
  @property({ attribute: false }) inputMaps: Float32Array | undefined;
  /** The grid's region (`map-update`'s `domain`), for the default input maps. */
  @property({ attribute: false }) domain: Domain | undefined;
  /** Grid cells per side of `maps`. */
  @property({ type: Number }) resolution = 200;
  /** How a single output unit is coloured: as `<sn-decision-map>`'s `mode`; default by its activation. */
  @property({ attribute: false }) mode: MapMode | undefined;
  /** Units a layer shows before "+N more" (the rest by largest outgoing |w|). */
  @property({ type: Number, attribute: 'max-units' }) maxUnits = 10;
  /** The pinned unit, if any. */
  @property({ attribute: false }) pinned: NetworkUnit | undefined;

  @state() private hover: Hover | undefined;
  @state() private expanded: ReadonlySet<number> = new Set();
  /** The host's width, px: the columns spread to fill it. */
  @state() private available = 0;
  private resize: ResizeObserver | undefined;
  private widths: number[] = [];
  private params: DenseParams[] | undefined;
  private scales: number[] = [];
  /** Each edge's path and style, computed when weights or the layout change, not on hover. */
  private drawnEdges: { readonly d: string; readonly style: EdgeStyle }[] = [];
  private visible: number[][] = [];
  private edges: Edge[] = [];
  private layout: NetworkLayout = { width: 0, height: 0, columns: [] };
  private grid: { key: string; points: Float32Array } | undefined;
  private draws = 0;
  private cap = 10;

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize ??= new ResizeObserver(([entry]) => {
      const width = Math.floor(entry?.contentRect.width ?? 0);
      if (Math.abs(width - this.available) >= 4) this.available = width;
    });
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const structure = ['layers', 'features', 'maxUnits', 'expanded', 'available'].some((key) => changed.has(key as keyof SnNetworkView));
    if (!structure && !changed.has('weights')) return;
    this.widths = [this.features.length, ...this.layers.map((l) => l.units)];
    this.params = denseParams(
      this.weights,
      this.widths,
      this.layers.map((l) => l.useBias ?? true),
    );
    this.scales = this.params?.map((p) => weightScale(p.kernel)) ?? [];
    const maxUnits = (this.cap = Math.max(1, Math.round(this.maxUnits) || 10));
    this.visible = visibleUnits(this.widths, this.params, maxUnits, this.expanded);
    this.edges = this.params ? visibleEdges(this.visible, this.params, MAX_EDGES_PER_LAYER) : [];

    const last = this.widths.length - 1;
    this.layout = layoutNetwork(
      this.visible.map((units, c) => ({ count: units.length, size: c === last && units.length === 1 ? OUTPUT_THUMB : THUMB })),
      {
        gap: 10,
        columnGap: 40,
        maxColumnGap: 160,
        width: this.available || undefined,
        maxRows: maxUnits,
        smallSize: 16,
        smallGap: 3,
        top: 46,
        bottom: 40,
        // Room for the input labels (monospace, ~8 px a character at 12 px).
        left: Math.max(52, 16 + 8 * Math.max(0, ...this.features.map((name) => name.length))),
        right: 12,
      },
    );
    const crowd = this.widths.map(() => 0);
    for (const e of this.edges) crowd[e.layer]!++;
    this.drawnEdges = this.edges.map((e) => ({
      d: edgePath(this.box(e.layer, e.from)!, this.box(e.layer + 1, e.to)!),
      style: edgeStyle(e.weight, this.scales[e.layer] ?? 1, crowd[e.layer]),
    }));
    const pin = this.pinned;
    if (pin && !(pin.column <= last && pin.unit < (this.widths[pin.column] ?? 0))) this.pinned = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const onlyFocus = [...changed.keys()].every((k) => k === 'hover' || k === 'pinned');
    if (!onlyFocus) this.drawThumbs();
    const big = this.renderRoot.querySelector<HTMLCanvasElement>('.tip canvas');
    const at = this.focusUnit();
    if (big && at) this.drawUnit(big, at.column, at.unit, this.resolution);
  }

  /** The map source of a unit, or undefined while its data is missing or of another shape. */
  private source(column: number, unit: number): UnitMapSource | undefined {
    const res = this.resolution;
    const stride = this.widths[column] ?? 0;
    let values: ArrayLike<number> | undefined = column === 0 ? this.inputMaps : this.maps[column - 1];
    if (column === 0 && !values && stride === 2) {
      const domain = this.domain ?? DEFAULT_DOMAIN;
      const key = `${domain.xMin},${domain.xMax},${domain.yMin},${domain.yMax},${res}`;
      if (this.grid?.key !== key) this.grid = { key, points: gridPoints(domain, res) };
      values = this.grid.points;
    }
    return values && values.length === res * res * stride && unit < stride ? { values, stride, unit, resolution: res } : undefined;
  }

  private drawUnit(canvas: HTMLCanvasElement, column: number, unit: number, size: number): void {
    const ctx = canvas.getContext('2d');
    const source = this.source(column, unit);
    if (!ctx) return;
    if (canvas.width !== size) canvas.width = canvas.height = size;
    if (!source) return ctx.clearRect(0, 0, size, size);
    const image = ctx.createImageData(size, size);
    const samples = sampleUnit(source, size);
    const output = column === this.widths.length - 1;
    if (output && this.mode && source.stride === 1 && this.mode.task !== 'multiclass') paintMap(samples, this.mode, image.data);
    else paintUnit(samples, column === 0 ? 'linear' : (this.layers[column - 1]?.activation ?? 'linear'), image.data);
    ctx.putImageData(image, 0, 0);
  }

  private drawThumbs(): void {
    for (const canvas of this.renderRoot.querySelectorAll<HTMLCanvasElement>('.unit canvas')) {
      const button = canvas.parentElement!;
      this.drawUnit(canvas, Number(button.dataset['column']), Number(button.dataset['unit']), canvas.width);
    }
    this.setAttribute('data-draws', String(++this.draws));
  }

  private focusUnit(): NetworkUnit | undefined {
    return this.hover?.kind === 'unit' ? this.hover.at : this.hover ? undefined : this.pinned;
  }

  private unitName(column: number, unit: number): string {
    if (column === 0) return this.features[unit] ?? `input ${unit + 1}`;
    const output = column === this.widths.length - 1;
    return output ? (this.widths[column] === 1 ? 'output' : `output ${unit + 1}`) : `L${column} #${unit + 1}`;
  }

  private longName({ column, unit }: NetworkUnit): string {
    if (column === 0) return `Input ${this.unitName(0, unit)}`;
    return column === this.widths.length - 1
      ? `Output${this.widths[column] === 1 ? '' : ` ${unit + 1}`}`
      : `Layer ${column}, unit ${unit + 1}`;
  }

  private box(column: number, unit: number): UnitBox | undefined {
    const i = this.visible[column]?.indexOf(unit) ?? -1;
    return i >= 0 ? this.layout.columns[column]?.units[i] : undefined;
  }

  private unitAt(target: EventTarget | null): NetworkUnit | undefined {
    const el = (target as Element | null)?.closest?.<HTMLElement>('.unit');
    return el ? { column: Number(el.dataset['column']), unit: Number(el.dataset['unit']) } : undefined;
  }

  private onPointerOver(event: PointerEvent): void {
    const at = this.unitAt(event.target);
    const index = (event.target as Element).getAttribute?.('data-edge');
    if (at) this.hover = { kind: 'unit', at };
    else if (index !== null && index !== undefined && this.edges[Number(index)]) {
      const rect = (event.currentTarget as HTMLElement).getBoundingClientRect();
      this.hover = { kind: 'edge', edge: this.edges[Number(index)]!, x: event.clientX - rect.left, y: event.clientY - rect.top };
    } else this.hover = undefined;
  }

  private onClick(event: Event): void {
    const more = (event.target as Element).closest?.<HTMLElement>('.more');
    if (more) {
      const column = Number(more.dataset['column']);
      const next = new Set(this.expanded);
      if (!next.delete(column)) next.add(column);
      this.expanded = next;
      return;
    }
    const at = this.unitAt(event.target);
    if (at) this.pin(this.pinned?.column === at.column && this.pinned.unit === at.unit ? undefined : at);
  }

  private pin(at: NetworkUnit | undefined): void {
    this.pinned = at;
    this.dispatchEvent(new CustomEvent<NetworkUnit | null>('unit-pin', { detail: at ?? null, bubbles: true, composed: true }));
  }

  private renderTip(): TemplateResult | typeof nothing {
    const hover = this.hover;
    const { width, height } = this.layout;
    const place = (x: number, y: number, right: number): string =>
      `left:${x + TIP_WIDTH + 12 <= width ? x + 12 : Math.max(0, right - TIP_WIDTH - 12)}px;top:${Math.max(0, Math.min(y - 20, height - 260))}px`;
    if (hover?.kind === 'edge') {
      // The weight of now, not of when the pointer came: new weights may arrive meanwhile.
      const e = hover.edge;
      const p = this.params?.[e.layer];
      const weight = p ? p.kernel[e.from * p.units + e.to]! : e.weight;
      return html`<div class="tip" role="status" style=${place(hover.x, hover.y, hover.x)}><p><b>${this.unitName(e.layer, e.from)} → ${this.unitName(e.layer + 1, e.to)}</b></p><p class="mono">w = ${fmt(weight)}</p></div>`;
    }
    const at = this.focusUnit();
    const box = at && this.box(at.column, at.unit);
    if (!at || !box) return nothing;
    const params = at.column > 0 ? this.params?.[at.column - 1] : undefined;
    const incoming = params ? incomingWeights(params, at.unit) : [];
    const bias = params?.bias?.[at.unit];
    const activation = at.column > 0 ? ` · ${this.layers[at.column - 1]?.activation}` : '';
    const pinned = this.pinned?.column === at.column && this.pinned.unit === at.unit;
    // prettier-ignore
    return html`<div class="tip" role="status" style=${place(box.x + box.size, box.y, box.x)}><p><b>${this.longName(at)}</b>${activation}</p><canvas aria-label="its output over the plane"></canvas>${
      bias === undefined ? nothing : html`<p class="mono">bias ${fmt(bias)}</p>`}${
      incoming.length ? html`<ul>${incoming.slice(0, 6).map((w) => html`<li><span class="sw" style="background:${edgeStyle(w.weight, this.scales[at.column - 1] ?? 1).color}"></span>${fmt(w.weight)} ← ${this.unitName(at.column - 1, w.from)}</li>`)}</ul>` : nothing}${
      incoming.length > 6 ? html`<p>+${incoming.length - 6} more incoming</p>` : nothing}${
      pinned ? html`<p>Pinned: click or Escape to unpin.</p>` : nothing}</div>`;
  }

  private renderColumn(col: ColumnLayout, c: number): TemplateResult {
    const last = this.widths.length - 1;
    const centre = col.x + col.width / 2;
    const hidden = (this.widths[c] ?? 0) - this.visible[c]!.length;
    const bottom = Math.max(...col.units.map((u) => u.y + u.size));
    // prettier-ignore
    return html`<div class="title" style="left:${centre}px">${c === 0 ? html`<b>Input</b>` : c === last ? html`<b>Output</b>` : html`<b>Layer ${c}</b><br>${this.widths[c]} ${this.layers[c - 1]!.activation}`}</div>${
      c === 0 ? col.units.map((u, i) => html`<span class="name" style="left:${u.x - 8}px;top:${u.y + u.size / 2}px">${this.unitName(0, this.visible[0]![i]!)}</span>`) : nothing}${
      c !== last && (this.widths[c] ?? 0) > this.cap
        ? html`<button class="more" data-column=${c} style="left:${centre}px;top:${bottom + 8}px" aria-expanded=${hidden > 0 ? 'false' : 'true'}>${hidden > 0 ? `+${hidden} more` : 'fewer'}</button>`
        : nothing}`;
  }

  protected override render(): TemplateResult {
    if (this.layers.length === 0) return html`<p class="legend">No layers to draw.</p>`;
    const { width, height, columns } = this.layout;
    const focus = this.focusUnit();
    const hovered = this.hover?.kind === 'edge' ? this.hover.edge : undefined;
    const touches = (e: Edge): boolean =>
      (!!hovered && e.layer === hovered.layer && e.from === hovered.from && e.to === hovered.to) ||
      (!!focus && ((e.layer === focus.column - 1 && e.to === focus.unit) || (e.layer === focus.column && e.from === focus.unit)));
    let drawn = 0;
    const units = columns.map((col, c) =>
      col.units.map((box, i) => {
        const unit = this.visible[c]![i]!;
        drawn++;
        const bias = c > 0 ? this.params?.[c - 1]?.bias?.[unit] : undefined;
        const on = focus?.column === c && focus.unit === unit;
        // prettier-ignore
        return html`<button class="unit ${on ? 'on' : ''}" style="left:${box.x}px;top:${box.y}px;width:${box.size}px;height:${box.size}px" data-column=${c} data-unit=${unit} aria-label="${this.unitName(c, unit)}${bias === undefined ? '' : `, bias ${fmt(bias)}`}" aria-pressed=${this.pinned?.column === c && this.pinned.unit === unit}><canvas width=${box.size} height=${box.size}></canvas>${
          bias === undefined || box.size < THUMB ? nothing : html`<span class="bias" style="background:${edgeStyle(bias, this.scales[c - 1] ?? 1).color}"></span>`}</button>`;
      }),
    );
    this.setAttribute('data-units', String(drawn));
    this.setAttribute('data-edges', String(this.edges.length));
    const paths = this.edges.map((e, i) => {
      const { d, style } = this.drawnEdges[i]!;
      return svg`<path class="e ${touches(e) ? 'on' : ''}" d=${d} stroke=${style.color} stroke-width=${style.width} stroke-opacity=${style.opacity} data-layer=${e.layer} data-from=${e.from} data-to=${e.to} data-weight=${e.weight}></path>`;
    });
    // One listener of each kind on the container (delegation), none per unit or edge.
    // prettier-ignore
    return html`<div class="scroll"><div class="net" style="width:${width}px;height:${height}px" @pointerover=${this.onPointerOver} @pointerleave=${this.leave} @focusin=${this.onFocus} @focusout=${this.leave} @click=${this.onClick} @keydown=${this.onKey}><svg class=${focus || hovered ? 'focused' : ''} width=${width} height=${height} aria-hidden="true">${paths}<g>${this.drawnEdges.map(({ d }, i) => svg`<path class="hit" d=${d} data-edge=${i}></path>`)}</g></svg>${
      columns.map((col, c) => this.renderColumn(col, c))}${units}${this.renderTip()}</div></div><p class="legend"><span class="sw" style="background:${coolwarmCss(0)}"></span>negative <span class="sw" style="background:${coolwarmCss(1)}"></span>positive · edge width ∝ |weight| · each unit: its output over the plane</p>`;
  }

  private leave(): void {
    this.hover = undefined;
  }

  private onFocus(event: FocusEvent): void {
    const at = this.unitAt(event.target);
    this.hover = at ? { kind: 'unit', at } : undefined;
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.pinned) this.pin(undefined);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-network-view': SnNetworkView;
  }
  interface HTMLElementEventMap {
    'unit-pin': CustomEvent<NetworkUnit | null>;
  }
}
