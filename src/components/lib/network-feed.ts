import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { expandFeatures, type FeatureName } from '../../data/features.js';
import type { MapUpdateDetail } from '../sn-decision-map.js';
import { gridPoints } from './geometry.js';
import type { TrainingRun } from './training-run.js';

/**
 * What the network view draws, kept in step with the decision map as a Lit reactive controller:
 * every layer's outputs over the map's grid (from the map's one pass) and the model's weights,
 * read with that pass (TrainingRun.weightsOfLastMap: right behind it in the device's queue, so an
 * epoch submitted meanwhile does not hold them back) so that the lines and the thumbnails show the
 * same moment as the map. Both reach the host together, in one update: while a model trains on the
 * page's thread, every render of the playground (and redraw of the view's thumbnails) is taken
 * from the training loop's thread.
 */
export class NetworkFeed implements ReactiveController {
  /** Every layer's outputs over the grid, the output last. */
  maps: readonly Float32Array[] = [];
  weights: readonly Float32Array[] = [];
  domain: MapUpdateDetail['domain'] | undefined;
  /** Cells a side of the maps' grid (coarser while training). */
  resolution: number;
  private inputGrid: { readonly key: string; readonly maps: Float32Array } | undefined;
  /** Map updates taken so far: only the newest one's weights are shown. */
  private updates = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The run whose model the view shows, if any (the first). */
    private readonly run: () => TrainingRun | undefined,
    resolution: number,
  ) {
    this.resolution = resolution;
    host.addController(this);
  }

  hostConnected(): void {}

  /** The input features over the maps' grid (rows × features), for the view's input column. */
  inputMaps(features: readonly FeatureName[]): Float32Array | undefined {
    const domain = this.domain;
    if (!domain) return undefined;
    const key = `${features.join()}|${domain.xMin},${domain.xMax},${domain.yMin},${domain.yMax}|${this.resolution}`;
    if (this.inputGrid?.key !== key) {
      const rows = this.resolution * this.resolution;
      this.inputGrid = { key, maps: expandFeatures(gridPoints(domain, this.resolution), rows, features) };
    }
    return this.inputGrid.maps;
  }

  /** Forgets the last model's maps and weights (a new model is coming). */
  clear(): void {
    this.updates++;
    this.maps = [];
    this.weights = [];
    this.host.requestUpdate();
  }

  /** Takes a map's layers and the weights the map was drawn with: shown together, in one update. */
  onMapUpdate(detail: MapUpdateDetail): void {
    const update = ++this.updates;
    const run = this.run();
    const show = (weights: readonly Float32Array[] | undefined): void => {
      // A newer map came meanwhile (it brings its own weights), or the model changed.
      if (update !== this.updates || run !== this.run()) return;
      this.maps = detail.layers ?? [];
      this.domain = detail.domain;
      this.resolution = detail.resolution;
      if (weights) this.weights = weights;
      this.host.requestUpdate();
    };
    if (!run) return show(undefined);
    // A model disposed meanwhile has no weights: its maps are shown with the last ones.
    run.weightsOfLastMap().then(show, () => show(undefined));
  }
}
