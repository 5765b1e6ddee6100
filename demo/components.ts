/**
 * The component bundle (dist/demo/components.js): every sn- element, registered on import,
 * plus the helpers they share. Import the library from dist/demo/shadernet.js (the same code,
 * shared through one chunk), e.g.:
 *
 *   import { Sequential, Dense, makeCircles } from './shadernet.js';
 *   import './components.js';
 */
export { SnDatasetView, domainConverter, type PointAddDetail, type PointRemoveDetail } from './components/sn-dataset-view.js';
export { SnDecisionMap, type GridPredictor, type MapUpdateDetail } from './components/sn-decision-map.js';
export { SnUnitMaps } from './components/sn-unit-maps.js';
export { SnModelBuilder, kerasSummary } from './components/sn-model-builder.js';
export { SnTrainingControls, type TrainAction, type TrainingSettings } from './components/sn-training-controls.js';
export { SnMetricsChart, type TrainingSpeed } from './components/sn-metrics-chart.js';
export { SnTrainingLog } from './components/sn-training-log.js';
export { SnPresets } from './components/sn-presets.js';
export { SnDatasetPicker, type CsvLoadDetail } from './components/sn-dataset-picker.js';
export { SnGpuStatus, type GpuStateDetail, type GpuStatusState } from './components/sn-gpu-status.js';
export { SnPlayground, type PlaygroundEpochDetail } from './components/sn-playground.js';
export { TrainingRun, stepSeed, type EpochEndDetail, type StepEndDetail, type TrainingRunOptions, type RunData } from './lib/training-run.js';
export { COOLWARM, CLASS_COLORS, coolwarmCss } from './lib/colors.js';
export { domainOf, gridPoints, type Domain, type PointSet } from './lib/geometry.js';
export { parseCsv, CsvError } from './lib/csv.js';
export { PRESETS, decodeState, encodeState, type LayerSpec, type PlaygroundState, type Preset } from './lib/state.js';
