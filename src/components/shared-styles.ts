/** Styles shared by the sn- components (each adopts them into its own shadow root). */
import { css } from 'lit';

export const baseStyles = css`
  :host {
    --sn-text: #1f2328;
    --sn-muted: #59636e;
    --sn-line: #d8dee4;
    --sn-panel: #ffffff;
    --sn-soft: #f6f8fa;
    --sn-accent: #3b4cc0;
    --sn-accent-soft: #e8ebfa;
    --sn-danger: #b4041f;
    --sn-mono: ui-monospace, SFMono-Regular, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace;
    color: var(--sn-text);
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
    font-size: 14px;
    line-height: 1.45;
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  button,
  select,
  input {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--sn-line);
    background: var(--sn-soft);
    border-radius: 6px;
    padding: 4px 10px;
    min-height: 32px;
    font-weight: 500;
  }
  button:hover:not(:disabled) {
    background: #eef1f4;
    border-color: #c4ccd4;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.5;
  }
  button.primary {
    background: var(--sn-accent);
    border-color: var(--sn-accent);
    color: #fff;
  }
  button.primary:hover:not(:disabled) {
    background: #2f3e9e;
  }
  button.icon {
    min-width: 32px;
    padding: 4px 6px;
    line-height: 1;
  }
  select,
  input[type='number'],
  input[type='text'] {
    border: 1px solid var(--sn-line);
    border-radius: 6px;
    background: #fff;
    padding: 4px 6px;
    min-height: 32px;
  }
  input[type='number'] {
    width: 6.5em;
  }
  input[type='range'] {
    accent-color: var(--sn-accent);
  }
  :focus-visible {
    outline: 2px solid var(--sn-accent);
    outline-offset: 2px;
  }
  .muted {
    color: var(--sn-muted);
  }
  .mono {
    font-family: var(--sn-mono);
    font-size: 0.92em;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  h2,
  h3 {
    margin: 0 0 8px;
    font-size: 12px;
    font-weight: 650;
    letter-spacing: 0.05em;
    text-transform: uppercase;
    color: var(--sn-muted);
  }
`;
