import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { expandFeatures, type FeatureName } from '../../data/features.js';
import type { MapUpdateDetail } from '../sn-decision-map.js';
import { gridPoints } from './geometry.js';
import type { RunModel } from './training-run.js';

/**
 * What the network view draws, kept in step with the decision map as a Lit reactive controller:
 * every layer's outputs over the map's grid (from the map's one pass) and the model's weights,
 * read after each map so that the lines and the thumbnails show the same moment.
 */
export class NetworkFeed implements ReactiveController {
  /** Every layer's outputs over the grid, the output last. */
  maps: readonly Float32Array[] = [];
  weights: readonly Float32Array[] = [];
  domain: MapUpdateDetail['domain'] | undefined;
  /** Cells a side of the maps' grid (coarser while training). */
  resolution: number;
  private inputGrid: { readonly key: string; readonly maps: Float32Array } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** The model the view shows, if any (the first run's). */
    private readonly model: () => RunModel | undefined,
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
    this.maps = [];
    this.weights = [];
    this.host.requestUpdate();
  }

  /** Takes a map's layers, then reads the weights of the model that drew it. */
  onMapUpdate(detail: MapUpdateDetail): void {
    this.maps = detail.layers ?? [];
    this.domain = detail.domain;
    this.resolution = detail.resolution;
    this.host.requestUpdate();
    void this.refreshWeights();
  }

  private async refreshWeights(): Promise<void> {
    const model = this.model();
    if (!model) return;
    const weights = await model.getWeights().catch(() => undefined); // a model disposed meanwhile has none
    if (weights && model === this.model()) {
      this.weights = weights;
      this.host.requestUpdate();
    }
  }
}
