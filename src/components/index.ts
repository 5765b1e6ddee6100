/**
 * `shadernet/components`: every sn- element, registered on import, plus the helpers they share.
 * Each element also has its own entry (`shadernet/components/sn-decision-map`, ...) for pages
 * that take one.
 *
 *   import { Sequential, Dense, makeCircles } from 'shadernet';
 *   import 'shadernet/components';
 */
export { SnDatasetView, domainConverter, type PointAddDetail, type PointRemoveDetail } from './sn-dataset-view.js';
export { SnDecisionMap, type GridPredictor, type MapUpdateDetail } from './sn-decision-map.js';
export { SnUnitMaps } from './sn-unit-maps.js';
export { SnNetworkView, type NetworkLayer, type NetworkUnit } from './sn-network-view.js';
export { SnModelBuilder, kerasSummary } from './sn-model-builder.js';
export { SnTrainingControls, type TrainAction, type TrainingSettings } from './sn-training-controls.js';
export { SnMetricsChart, type TrainingSpeed } from './sn-metrics-chart.js';
export { SnTrainingLog } from './sn-training-log.js';
export { SnPresets } from './sn-presets.js';
export { SnDatasetPicker, type CsvLoadDetail } from './sn-dataset-picker.js';
export { SnGpuStatus, type GpuStateDetail, type GpuStatusState } from './sn-gpu-status.js';
export { SnPlayground, type PlaygroundEpochDetail } from './sn-playground.js';
export { SnSweep, type SweepPickDetail } from './sn-sweep.js';
export {
  TrainingRun,
  stepSeed,
  type EpochEndDetail,
  type StepEndDetail,
  type TrainingRunOptions,
  type RunData,
} from './lib/training-run.js';
export { COOLWARM, CLASS_COLORS, coolwarmCss } from './lib/colors.js';
export { domainOf, gridPoints, type Domain, type PointSet } from './lib/geometry.js';
export { parseCsv, CsvError } from './lib/csv.js';
export { PRESETS, type LayerSpec, type PlaygroundState, type Preset } from './lib/state.js';
export { decodeState, encodeState } from './lib/url-codec.js';
