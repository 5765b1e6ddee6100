/**
 * The demo components' form fields, one template each: a labelled select of choices, a
 * labelled whole-number field clamped to its limits, a checkbox, a segmented button group.
 * Native elements only, so every field is reachable with Tab and named for screen readers (and
 * tests) by its aria-label.
 */
import { html, nothing, type TemplateResult } from 'lit';

export interface SelectField<T> {
  /** Text of the label around the select. */
  readonly label: string | TemplateResult;
  /** The select's accessible name (default: `label` when it is text). */
  readonly name?: string;
  readonly options: readonly T[];
  readonly selected: T;
  /** The option's value attribute (default: String). */
  readonly value?: (option: T) => string;
  /** The option's text (default: its value). */
  readonly text?: (option: T) => string;
  readonly disabled?: boolean;
  /** Class of the label. */
  readonly class?: string;
  readonly title?: string;
  /** Called with the chosen option. */
  readonly change: (option: T) => void;
}

export function selectField<T>(f: SelectField<T>): TemplateResult {
  const value = f.value ?? String;
  const text = f.text ?? value;
  const name = f.name ?? (typeof f.label === 'string' ? f.label : '');
  return html`<label class=${f.class ?? nothing} title=${f.title ?? nothing}
    >${f.label}
    <select
      aria-label=${name}
      ?disabled=${f.disabled ?? false}
      @change=${(e: Event) => {
        const chosen = f.options.find((o) => value(o) === (e.target as HTMLSelectElement).value);
        if (chosen !== undefined) f.change(chosen);
      }}
    >
      ${f.options.map((o) => html`<option value=${value(o)} .selected=${o === f.selected}>${text(o)}</option>`)}
    </select></label
  >`;
}

/** `choices`, with `current` added in order if it is not one of them (a value from a link). */
export function withCurrent(choices: readonly number[], current: number): readonly number[] {
  return choices.includes(current) ? choices : [...choices, current].sort((a, b) => a - b);
}

export interface IntegerField {
  readonly label: string | TemplateResult;
  readonly name: string;
  readonly value: number;
  readonly limits: readonly [number, number];
  readonly step?: number;
  readonly disabled?: boolean;
  /** Class of the label, and of the input. */
  readonly class?: string;
  readonly inputClass?: string;
  /** Called with the entered number, rounded and clamped to the limits (the field shows it so). */
  readonly change: (value: number) => void;
  /** Shown after the input, inside the label (a button, say). */
  readonly after?: TemplateResult;
}

/** The whole number typed in `input`, clamped to [lo, hi]; `current` when it is not a number. Writes it back. */
export function clampInteger(input: HTMLInputElement, [lo, hi]: readonly [number, number], current: number): number {
  const v = Number(input.value);
  const value = input.value.trim() !== '' && Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : current;
  input.value = String(value);
  return value;
}

export function integerField(f: IntegerField): TemplateResult {
  const input = html`<input
    class=${f.inputClass ?? nothing}
    type="number"
    min=${f.limits[0]}
    max=${f.limits[1]}
    step=${f.step ?? nothing}
    aria-label=${f.name}
    .value=${String(f.value)}
    ?disabled=${f.disabled ?? false}
    @change=${(e: Event) => f.change(clampInteger(e.target as HTMLInputElement, f.limits, f.value))}
  />`;
  return html`<label class=${f.class ?? nothing}>${f.label} ${f.after ? html`<span class="line">${input} ${f.after}</span>` : input}</label>`;
}

export interface RangeField {
  readonly label: string | TemplateResult;
  readonly name: string;
  readonly limits: readonly [number, number];
  readonly step: number;
  readonly value: number;
  /** The value as shown beside the slider. */
  readonly shown: string;
  readonly disabled?: boolean;
  readonly class?: string;
  /** While dragging (optional), and once let go. */
  readonly input?: (value: number) => void;
  readonly change: (value: number) => void;
}

/** A labelled slider with its value beside it. */
export function rangeField(f: RangeField): TemplateResult {
  const read = (e: Event): number => Number((e.target as HTMLInputElement).value);
  return html`<label class=${f.class ?? nothing}
    >${f.label}
    <span class="line">
      <input
        type="range"
        min=${f.limits[0]}
        max=${f.limits[1]}
        step=${f.step}
        .value=${String(f.value)}
        ?disabled=${f.disabled ?? false}
        aria-label=${f.name}
        @input=${(e: Event) => f.input?.(read(e))}
        @change=${(e: Event) => f.change(read(e))}
      /><output>${f.shown}</output>
    </span>
  </label>`;
}

export function checkbox(label: string, checked: boolean, change: (checked: boolean) => void, disabled = false): TemplateResult {
  return html`<label class="check"
    ><input type="checkbox" .checked=${checked} ?disabled=${disabled} @change=${(e: Event) => change((e.target as HTMLInputElement).checked)} /> ${label}</label
  >`;
}

/** A row of toggle buttons, one pressed. */
export function segmented(
  name: string,
  buttons: readonly { readonly label: string; readonly pressed: boolean; readonly onClick: () => void }[],
): TemplateResult {
  return html`<div class="segmented" role="group" aria-label=${name}>
    ${buttons.map((b) => html`<button aria-pressed=${b.pressed ? 'true' : 'false'} @click=${b.onClick}>${b.label}</button>`)}
  </div>`;
}
