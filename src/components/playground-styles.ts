import { css } from 'lit';

/** The playground's layout and its own pieces (panels, messages, compare cards, share field). */
export const playgroundStyles = css`
  :host {
    display: block;
    max-width: 1480px;
    margin: 0 auto;
  }
  .panel {
    background: var(--sn-panel);
    border: 1px solid var(--sn-line);
    border-radius: 10px;
    padding: 14px 16px;
    min-width: 0;
  }
  .stack {
    display: grid;
    gap: 12px;
  }
  .top {
    display: grid;
    gap: 8px;
    margin-bottom: 12px;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 12px 20px;
  }
  .controls {
    padding-top: 10px;
    padding-bottom: 10px;
    gap: 8px 16px;
  }
  .controls sn-training-controls {
    flex: 1 1 auto;
  }
  .right-tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  .segmented {
    display: inline-flex;
    border: 1px solid var(--sn-line);
    border-radius: 7px;
    overflow: hidden;
  }
  .segmented button {
    border: 0;
    border-radius: 0;
    background: #fff;
  }
  .segmented button + button {
    border-left: 1px solid var(--sn-line);
  }
  .segmented button[aria-pressed='true'] {
    background: var(--sn-accent-soft);
    color: var(--sn-accent);
    font-weight: 650;
  }
  .presets .segmented {
    margin-left: auto;
  }
  .presets {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 10px;
    width: 100%;
  }
  details.help {
    font-size: 12px;
    color: var(--sn-muted);
  }
  details.help summary {
    cursor: pointer;
  }
  details.help p {
    margin: 4px 0 0;
  }
  .right-tools details.help[open] {
    flex-basis: 100%;
  }
  .copied {
    font-size: 13px;
    color: #116329;
  }
  kbd {
    font: 11px var(--sn-mono);
    border: 1px solid var(--sn-line);
    border-bottom-width: 2px;
    border-radius: 4px;
    padding: 0 4px;
    background: #fff;
  }
  .message {
    display: flex;
    align-items: flex-start;
    gap: 12px;
    justify-content: space-between;
    border-radius: 8px;
    padding: 8px 12px;
    border: 1px solid;
    overflow-wrap: anywhere;
  }
  .message.error {
    background: #fff5f5;
    border-color: #ffb3b8;
    color: #8a0c1f;
  }
  .optimizer {
    margin-top: 14px;
    padding-top: 12px;
    border-top: 1px solid var(--sn-line);
  }
  .add-value {
    display: grid;
    gap: 2px;
  }
  .add-value input {
    flex: 1;
  }
  .message.info {
    background: #f3f6ff;
    border-color: #c5cff5;
    color: #24307a;
  }
  .message p {
    margin: 0;
  }
  /* One screen at 1280×800: data | network and model | output (map, curves). */
  .main {
    display: grid;
    gap: 12px;
    grid-template-columns: 240px minmax(0, 1fr) minmax(430px, 480px);
    grid-template-areas: 'data network output' 'data model output';
    grid-template-rows: auto 1fr;
    align-items: start;
  }
  .main.compare {
    grid-template-columns: 250px minmax(0, 1fr) minmax(0, 1fr);
    grid-template-areas: 'data compare compare' 'model compare compare';
  }
  .data {
    grid-area: data;
  }
  .network {
    grid-area: network;
  }
  .model {
    grid-area: model;
  }
  .output {
    grid-area: output;
  }
  .output h2 {
    margin-bottom: 4px;
  }
  /*
   * The map's square shrinks with the window's height, so that it stays on screen under the curves
   * with its x axis (ticks and label: 40px under the square). The view is 54px wider than the
   * square (the y axis); at 1280×800 the square starts ~540px down, so 100vh - 534px leaves the
   * axis label ~7px above the window's bottom edge.
   */
  .output sn-dataset-view {
    max-width: max(250px, calc(100vh - 534px));
    margin: 6px auto 0;
  }
  .compare-panel {
    grid-area: compare;
  }
  @media (max-width: 1100px) {
    .main {
      grid-template-columns: minmax(250px, 0.75fr) minmax(0, 1fr);
      grid-template-areas: 'data output' 'network output' 'model model';
    }
    .main.compare {
      grid-template-columns: minmax(250px, 0.75fr) minmax(0, 1fr);
      grid-template-areas: 'data compare' 'model compare';
    }
  }
  @media (max-width: 760px) {
    .main,
    .main.compare {
      grid-template-columns: minmax(0, 1fr);
      grid-template-areas: 'output' 'compare' 'network' 'data' 'model';
    }
    .panel {
      padding: 12px;
    }
  }
  .edit {
    display: grid;
    gap: 8px;
    margin-top: 16px;
    padding-top: 12px;
    border-top: 1px solid var(--sn-line);
  }
  .edit .segmented button {
    min-height: 30px;
    font-size: 13px;
  }
  .check {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  .small {
    font-size: 12px;
    color: var(--sn-muted);
    margin: 0;
  }
  .map-options {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 2px 14px;
    margin: 4px 0 6px;
    font-size: 13px;
  }
  .map-options input[type='range'] {
    width: 110px;
  }
  .map-options output {
    font-variant-numeric: tabular-nums;
    min-width: 2.6em;
  }
  .hint {
    font-size: 12px;
    color: var(--sn-muted);
    margin: 0 0 8px;
  }
  .entries {
    list-style: none;
    margin: 0 0 10px;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .entries li {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    border: 1px solid var(--sn-line);
    border-radius: 999px;
    padding: 2px 4px 2px 12px;
    background: var(--sn-soft);
    font-size: 13px;
  }
  .entries button {
    min-height: 26px;
    border-radius: 999px;
  }
  .cards {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(270px, 1fr));
    gap: 12px;
  }
  .card {
    border: 1px solid var(--sn-line);
    border-radius: 8px;
    padding: 10px 12px;
    min-width: 0;
  }
  .card h3 {
    text-transform: none;
    letter-spacing: 0;
    color: var(--sn-text);
    font-size: 14px;
    margin: 0;
  }
  .card .meta {
    font-size: 12px;
    color: var(--sn-muted);
    margin: 0 0 8px;
  }
  .card sn-metrics-chart {
    margin-top: 10px;
  }
  .log {
    margin-top: 12px;
  }
  .model-file {
    margin-top: 14px;
    padding-top: 12px;
    border-top: 1px solid var(--sn-line);
  }
  .model-file input[type='file'] {
    position: absolute;
    width: 1px;
    height: 1px;
    opacity: 0;
    overflow: hidden;
  }
  .share {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
    width: 100%;
  }
  .share input {
    flex: 1;
    min-width: 0;
    font: 12px var(--sn-mono);
  }
`;
