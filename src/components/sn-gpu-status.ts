import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { WebGPUUnavailableError, requestGpu, type AdapterReport, type GpuContext } from '../index.js';

/** Where the component is: also reflected as the host's `data-state` attribute. */
export type GpuStatusState = 'loading' | 'ready' | 'unavailable' | 'error' | 'lost';

/** Detail of the `sn-gpu-state` event. */
export interface GpuStateDetail {
  readonly state: GpuStatusState;
  /** The live context while `state` is 'ready', else undefined. */
  readonly context: GpuContext | undefined;
}

/** One error that happened after start-up: a WebGPU uncaptured error or an uncaught page error. */
interface PageError {
  readonly source: 'gpu' | 'page';
  readonly message: string;
}

/** The device limits the demo shows, with how to print each. */
const SHOWN_LIMITS = [
  ['maxStorageBufferBindingSize', 'bytes'],
  ['maxBufferSize', 'bytes'],
  ['maxComputeWorkgroupsPerDimension', 'count'],
  ['maxComputeInvocationsPerWorkgroup', 'count'],
  ['maxComputeWorkgroupSizeX', 'count'],
  ['maxComputeWorkgroupStorageSize', 'bytes'],
] as const satisfies readonly (readonly [keyof GPUSupportedLimits, 'bytes' | 'count'])[];

/** Keeps the page from growing without bound if something fails in a loop. */
const MAX_ERRORS = 20;

/**
 * Asks for a GPU with `requestGpu()` and shows what it found: the adapter and the limits
 * that matter for training, or, when WebGPU is missing, why and what to do about it. After
 * start-up it keeps watching: device loss and uncaught errors (WebGPU's and the page's) are
 * shown in the panel, never only in the console.
 *
 * With `cpu-fallback` (set by a page that trains on the library's CPU engine when WebGPU is
 * missing, as `<sn-playground>` does), the unavailable state is one line where the adapter
 * normally is: the CPU backend runs instead. Why WebGPU is missing and what to do unfold from it.
 *
 * The host's `data-state` attribute says where it is (`loading`, `ready`, `unavailable`,
 * `error`, `lost`) and `data-errors` counts the errors shown. The GPU context is released
 * when the element leaves the document.
 *
 * @fires sn-gpu-state - `CustomEvent<GpuStateDetail>` each time the state changes.
 */
@customElement('sn-gpu-status')
export class SnGpuStatus extends LitElement {
  static override styles = css`
    :host {
      display: block;
      --ok: #1a7f37;
      --ok-bg: #dafbe1;
      --warn: #9a6700;
      --warn-bg: #fff8c5;
      --bad: #cf222e;
      --bad-bg: #ffebe9;
      --line: #d0d7de;
      --muted: #59636e;
    }
    section {
      background: #fff;
      border: 1px solid var(--line);
      border-radius: 10px;
      padding: 20px 24px;
    }
    section.unavailable {
      border-color: #d4a72c;
      background: #fffdf3;
    }
    section.error,
    section.lost {
      border-color: #ff8182;
      background: #fffafa;
    }
    section + section {
      margin-top: 16px;
    }
    section.compact {
      padding: 6px 12px;
      border-radius: 8px;
    }
    section.compact p.line {
      margin: 0;
    }
    section.compact summary {
      cursor: pointer;
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 10px;
      list-style-position: outside;
    }
    section.compact details[open] summary {
      margin-bottom: 10px;
    }
    section.compact summary::-webkit-details-marker {
      display: none;
    }
    section.compact summary::before {
      content: '▸';
      color: var(--muted);
      width: 0.8em;
    }
    section.compact details[open] summary::before {
      content: '▾';
    }
    .adapter-line {
      color: var(--muted);
      font-size: 0.9rem;
      overflow-wrap: anywhere;
    }
    .title {
      display: flex;
      align-items: center;
      gap: 10px;
      margin: 0 0 12px;
      font-size: 1.15rem;
      font-weight: 600;
    }
    .badge {
      font-size: 0.75rem;
      font-weight: 600;
      letter-spacing: 0.02em;
      text-transform: uppercase;
      border-radius: 999px;
      padding: 2px 10px;
    }
    .badge.ready {
      color: var(--ok);
      background: var(--ok-bg);
    }
    .badge.loading {
      color: var(--warn);
      background: var(--warn-bg);
    }
    .badge.cpu {
      color: #24307a;
      background: #dde4ff;
    }
    section.cpu {
      border-color: #c5cff5;
      background: #f6f8ff;
    }
    /* The CPU line is a sentence: on a narrow page it wraps as text, not badge, text, link stacked. */
    section.cpu summary {
      display: block;
    }
    section.cpu summary::before {
      display: inline-block;
      margin-right: 4px;
    }
    section.cpu summary > * + * {
      margin-left: 6px;
    }
    section.cpu .message {
      color: #6f4e00;
    }
    section.cpu h3 {
      margin-top: 12px;
    }
    .more {
      color: var(--muted);
      font-size: 0.85rem;
      text-decoration: underline dotted;
    }
    .badge.error,
    .badge.lost {
      color: var(--bad);
      background: var(--bad-bg);
    }
    h3 {
      margin: 20px 0 8px;
      font-size: 0.8rem;
      font-weight: 600;
      text-transform: uppercase;
      letter-spacing: 0.04em;
      color: var(--muted);
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      align-items: baseline;
      gap: 6px 24px;
      margin: 0;
    }
    dt {
      color: var(--muted);
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    @media (max-width: 600px) {
      section {
        padding: 16px;
      }
      dl {
        grid-template-columns: minmax(0, 1fr);
        gap: 0;
      }
      dd {
        margin-bottom: 8px;
      }
    }
    code,
    .mono {
      font-family: ui-monospace, SFMono-Regular, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace;
      font-size: 0.88em;
    }
    code {
      background: #eff2f5;
      border-radius: 4px;
      padding: 1px 5px;
      white-space: nowrap;
    }
    .none {
      color: var(--muted);
      font-style: italic;
    }
    .message {
      margin: 0 0 12px;
      padding: 10px 12px;
      border-left: 3px solid currentColor;
      background: rgba(0, 0, 0, 0.03);
      border-radius: 0 6px 6px 0;
      overflow-wrap: anywhere;
    }
    .unavailable .message {
      color: #6f4e00;
    }
    .error .message,
    .lost .message {
      color: #a40e26;
    }
    ul {
      margin: 0;
      padding-left: 1.2em;
    }
    li + li {
      margin-top: 6px;
    }
    p {
      margin: 0 0 8px;
    }
    button {
      font: inherit;
      font-weight: 600;
      margin-top: 12px;
      padding: 6px 14px;
      border-radius: 6px;
      border: 1px solid var(--line);
      background: #f6f8fa;
      cursor: pointer;
    }
    button:hover {
      background: #eef1f4;
    }
    .loading-text {
      color: var(--muted);
      margin: 0;
    }
    .errors {
      border-color: #ff8182;
    }
    .errors ul {
      list-style: none;
      padding: 0;
    }
    .errors li {
      display: grid;
      grid-template-columns: 3.5em 1fr;
      align-items: baseline;
      gap: 12px;
    }
    .errors li + li {
      margin-top: 10px;
      padding-top: 10px;
      border-top: 1px solid #f0f2f4;
    }
    .source {
      justify-self: start;
      font-size: 0.72rem;
      font-weight: 600;
      text-transform: uppercase;
      color: var(--bad);
      background: var(--bad-bg);
      border-radius: 4px;
      padding: 1px 6px;
    }
    .errors .mono {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
  `;

  /**
   * One line while starting and when ready (the adapter, with the details and limits behind a
   * disclosure), for pages where the GPU is not the subject. Problems always show in full
   * (except a missing WebGPU where the page trains on the CPU: see `cpuFallback`).
   */
  @property({ type: Boolean, reflect: true }) compact = false;

  /**
   * The page trains on the CPU (float64 reference engine) when WebGPU is unavailable: say so on
   * the adapter line, with the explanation of what is missing folded into it.
   */
  @property({ type: Boolean, reflect: true, attribute: 'cpu-fallback' }) cpuFallback = false;

  /** Passed to `requestAdapter`; changing it requests a new adapter and device. */
  @property({ attribute: 'power-preference' })
  powerPreference: GPUPowerPreference | undefined = undefined;

  @state() private status: GpuStatusState = 'loading';
  @state() private report: AdapterReport | undefined;
  @state() private limits: Readonly<Record<string, number>> = {};
  @state() private problem: { name: string; message: string } | undefined;
  @state() private errors: readonly PageError[] = [];

  private ctx: GpuContext | undefined;
  /** Bumped on every start and release, so a late `requestGpu()` result is recognised as stale. */
  private generation = 0;

  /** The live GPU context while the state is 'ready'; undefined otherwise. */
  get context(): GpuContext | undefined {
    return this.ctx;
  }

  /** The current state, as in `data-state`. */
  get state(): GpuStatusState {
    return this.status;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('error', this.onWindowError);
    window.addEventListener('unhandledrejection', this.onUnhandledRejection);
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('error', this.onWindowError);
    window.removeEventListener('unhandledrejection', this.onUnhandledRejection);
    this.release();
  }

  /** Releases the current context (if any) and asks for a GPU again. */
  async start(): Promise<void> {
    this.release();
    const run = this.generation;
    this.status = 'loading';
    this.problem = undefined;
    this.errors = [];
    let ctx: GpuContext;
    try {
      ctx = await requestGpu(this.powerPreference === undefined ? {} : { powerPreference: this.powerPreference });
    } catch (error) {
      if (run !== this.generation) return;
      this.problem = describe(error);
      this.status = error instanceof WebGPUUnavailableError ? 'unavailable' : 'error';
      return;
    }
    if (run !== this.generation) {
      // Disconnected or restarted while the request was in flight.
      ctx.dispose();
      return;
    }
    this.ctx = ctx;
    this.report = ctx.adapter;
    this.limits = Object.fromEntries(SHOWN_LIMITS.map(([name]) => [name, ctx.limits[name]]));
    ctx.device.addEventListener('uncapturederror', this.onGpuError);
    void ctx.device.lost.then((info) => {
      // A context released on purpose (disconnect, restart) is no longer this.ctx.
      if (this.ctx !== ctx) return;
      this.release();
      this.problem = { name: `Reason: ${info.reason}`, message: info.message || 'WebGPU gave no message.' };
      this.status = 'lost';
    });
    this.status = 'ready';
  }

  private release(): void {
    this.generation++;
    const ctx = this.ctx;
    this.ctx = undefined;
    if (!ctx) return;
    ctx.device.removeEventListener('uncapturederror', this.onGpuError);
    ctx.dispose();
  }

  private readonly onGpuError = (event: GPUUncapturedErrorEvent): void => {
    this.addError('gpu', `${event.error.constructor.name}: ${event.error.message}`);
  };

  private readonly onWindowError = (event: ErrorEvent): void => {
    this.addError('page', event.error instanceof Error ? `${event.error.name}: ${event.error.message}` : event.message);
  };

  private readonly onUnhandledRejection = (event: PromiseRejectionEvent): void => {
    const { name, message } = describe(event.reason);
    this.addError('page', `Unhandled rejection: ${name}: ${message}`);
  };

  private addError(source: PageError['source'], message: string): void {
    this.errors = [...this.errors, { source, message }].slice(-MAX_ERRORS);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('powerPreference') && this.hasUpdated && this.isConnected) void this.start();
    this.setAttribute('data-state', this.status);
    this.setAttribute('data-errors', String(this.errors.length));
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('status')) {
      this.dispatchEvent(
        new CustomEvent<GpuStateDetail>('sn-gpu-state', {
          detail: { state: this.status, context: this.ctx },
          bubbles: true,
          composed: true,
        }),
      );
    }
  }

  protected override render(): TemplateResult {
    return html`${this.renderState()}${this.renderErrors()}`;
  }

  private renderState(): TemplateResult {
    if (this.compact && (this.status === 'loading' || this.status === 'ready')) return this.renderCompact();
    switch (this.status) {
      case 'loading':
        return html`<section class="loading" aria-busy="true">
          <h2 class="title">GPU <span class="badge loading">starting</span></h2>
          <p class="loading-text">Asking the browser for a WebGPU adapter and device…</p>
        </section>`;
      case 'ready':
        return html`<section class="ready">
          <h2 class="title">GPU <span class="badge ready">ready</span></h2>
          ${this.renderAdapter()}
        </section>`;
      case 'unavailable':
        if (this.cpuFallback) return this.renderCpuFallback();
        return html`<section class="unavailable" role="alert">
          <h2 class="title">WebGPU unavailable</h2>
          <p class="message">${this.problem?.message}</p>
          ${this.renderAdvice()}
          <button @click=${() => void this.start()}>Try again</button>
        </section>`;
      case 'error':
        return html`<section class="error" role="alert">
          <h2 class="title">Could not start the GPU <span class="badge error">error</span></h2>
          <p class="message"><strong>${this.problem?.name}</strong>: ${this.problem?.message}</p>
          <button @click=${() => void this.start()}>Try again</button>
        </section>`;
      case 'lost':
        return html`<section class="lost" role="alert">
          <h2 class="title">GPU device lost <span class="badge lost">lost</span></h2>
          <p class="message"><strong>${this.problem?.name}</strong>. ${this.problem?.message}</p>
          <p>
            The device was lost (driver reset, GPU removed, or <code>device.destroy()</code>); everything on
            it is gone. Ask for a new one to continue.
          </p>
          <button @click=${() => void this.start()}>Try again</button>
          ${this.report ? html`<h3>Adapter that was lost</h3>${this.renderAdapterInfo(this.report)}` : nothing}
        </section>`;
    }
  }

  private renderCompact(): TemplateResult {
    if (this.status === 'loading') {
      return html`<section class="compact loading" aria-busy="true">
        <p class="line"><span class="badge loading">GPU starting</span> <span class="loading-text">Asking the browser for a WebGPU adapter and device…</span></p>
      </section>`;
    }
    const report = this.report;
    const parts = report ? [report.vendor, report.architecture, report.description].filter(Boolean) : [];
    return html`<section class="compact ready">
      <details>
        <summary>
          <span class="badge ready">GPU ready</span>
          <span class="adapter-line">${parts.length ? parts.join(' · ') : 'adapter details not reported'}${report?.isFallbackAdapter ? ' (software adapter: slow)' : ''}</span>
        </summary>
        ${this.renderAdapter()}
      </details>
    </section>`;
  }

  /**
   * The page trains on the CPU instead: one line where the adapter is normally shown, as high as
   * the compact ready line, so that the page below starts where it does with a GPU. Why WebGPU is
   * missing, what to do and "Try again" unfold from it (a details element: Enter or Space on the
   * focused line opens it).
   */
  private renderCpuFallback(): TemplateResult {
    return html`<section class="compact cpu" role="status" data-testid="backend">
      <details>
        <summary>
          <span class="badge cpu">CPU backend</span>
          <span class="adapter-line"><strong>WebGPU is unavailable in this browser</strong>: training runs on the CPU (float64 reference engine), slower</span>
          <span class="more">why, and what to do</span>
        </summary>
        <p class="message">${this.problem?.message}</p>
        ${this.renderAdvice()}
        <button @click=${() => void this.start()}>Try again</button>
      </details>
    </section>`;
  }

  /** What to do without WebGPU. */
  private renderAdvice(): TemplateResult {
    const list = html`<ul>
            <li>
              Open this page in a browser with WebGPU: Chrome or Edge 113+, Safari 26+, or Firefox 141+ on
              Windows, served over <code>https</code> or from <code>localhost</code>.
            </li>
            <li>
              If the browser has WebGPU but found no adapter, your GPU may be blocklisted or disabled: see
              <code>chrome://gpu</code>, and make sure hardware acceleration is on.
            </li>
            <li>
              Headless Chromium on a machine without a GPU needs the flags <code>--enable-unsafe-webgpu</code>
              <code>--use-webgpu-adapter=swiftshader</code> (SwiftShader, a CPU implementation: slow, but complete).
            </li>
          </ul>`;
    return html`<h3>What to do</h3>
      ${list}`;
  }

  private renderAdapter(): TemplateResult | typeof nothing {
    const report = this.report;
    if (!report) return nothing;
    return html`${this.renderAdapterInfo(report)}
      <h3>Limits</h3>
      <dl class="limits">
        ${SHOWN_LIMITS.map(
          ([name, kind]) =>
            html`<dt class="mono">${name}</dt>
              <dd>${formatLimit(this.limits[name], kind)}</dd>`,
        )}
      </dl>`;
  }

  private renderAdapterInfo(report: AdapterReport): TemplateResult {
    const text = (value: string) => (value ? value : html`<span class="none">not reported</span>`);
    return html`<dl class="adapter">
      <dt>Vendor</dt>
      <dd>${text(report.vendor)}</dd>
      <dt>Architecture</dt>
      <dd>${text(report.architecture)}</dd>
      <dt>Device</dt>
      <dd>${text(report.device)}</dd>
      <dt>Description</dt>
      <dd>${text(report.description)}</dd>
      <dt>Fallback adapter</dt>
      <dd>${report.isFallbackAdapter ? 'yes — software or limited adapter, expect low speed' : 'no'}</dd>
      <dt>Runtime</dt>
      <dd>${report.runtime}</dd>
    </dl>`;
  }

  private renderErrors(): TemplateResult | typeof nothing {
    if (this.errors.length === 0) return nothing;
    return html`<section class="errors" role="alert">
      <h2 class="title">Errors <span class="badge error">${this.errors.length}</span></h2>
      <ul>
        ${this.errors.map(
          (error) => html`<li><span class="source">${error.source}</span><span class="mono">${error.message.trim()}</span></li>`,
        )}
      </ul>
    </section>`;
  }
}

function describe(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

function formatLimit(value: number | undefined, kind: 'bytes' | 'count'): string {
  if (value === undefined) return 'not reported';
  const exact = value.toLocaleString('en-US');
  if (kind === 'count') return exact;
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let scaled = value;
  let unit = 0;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  if (unit === 0) return `${exact} bytes`;
  const rounded = Number.isInteger(scaled) ? String(scaled) : scaled.toFixed(1);
  return `${rounded} ${units[unit]} (${exact} bytes)`;
}

declare global {
  interface HTMLElementTagNameMap {
    'sn-gpu-status': SnGpuStatus;
  }
  interface HTMLElementEventMap {
    'sn-gpu-state': CustomEvent<GpuStateDetail>;
  }
}
