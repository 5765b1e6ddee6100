/**
 * The messages between a WorkerModel (main thread) and the worker that trains its model
 * (worker-loop.ts). Both sides import these types, so a change to one side that the other does
 * not follow fails the typecheck. Requests carry ids; every request gets exactly one `result`
 * or `error` answer. Large arrays going to the page (predictions, weights) are transferred.
 */
import {
  DeviceLostError,
  GpuError,
  NonFiniteError,
  ShadernetError,
  ShapeError,
  StateError,
  UnsupportedError,
  ValueError,
  WebGPUUnavailableError,
} from '../errors.js';
import type { BackendName } from '../spec/backend.js';
import type { EngineStats } from '../engine/stats.js';
import type { CompileConfig } from '../model/compile-config.js';
import type { HistoryParams, Logs } from '../model/callbacks.js';
import type { ModelJson } from '../model/io/format.js';

/** Callback methods of fit() that the worker forwards to the page. */
export const CALLBACK_HOOKS = ['onTrainBegin', 'onEpochBegin', 'onBatchEnd', 'onEpochEnd', 'onTrainEnd'] as const;
export type CallbackHook = (typeof CALLBACK_HOOKS)[number];

/** What the worker predicts after every epoch of a fit (see WorkerFitOptions.epochPredictions). */
export interface EpochPredictionRequest {
  readonly x: unknown;
  /** Every layer's outputs (predictLayers) instead of the output layer's (predict). */
  readonly allLayers: boolean;
}

/** fit()'s options without the callbacks (functions do not cross threads). */
export type WireFitOptions = Readonly<Record<string, unknown>>;

/** Requests from the page; `id` is unique per WorkerModel. */
export type Request = { readonly id: number } & (
  | {
      readonly kind: 'init';
      readonly modelJson: ModelJson;
      readonly weightData: ArrayBuffer;
      readonly backend: BackendName | 'auto';
      readonly seed: number | undefined;
    }
  | { readonly kind: 'compile'; readonly config: CompileConfig }
  | { readonly kind: 'warm'; readonly sampleWeight: boolean }
  | {
      readonly kind: 'fit';
      readonly x: unknown;
      readonly y: unknown;
      readonly options: WireFitOptions;
      /** The hooks the page has callbacks for: the worker waits for the page's answer to each. */
      readonly hooks: readonly CallbackHook[];
      readonly predictions: EpochPredictionRequest | undefined;
      readonly learningRate: number | undefined;
    }
  | { readonly kind: 'evaluate'; readonly x: unknown; readonly y: unknown; readonly options: Readonly<Record<string, unknown>> }
  | { readonly kind: 'predict'; readonly x: unknown; readonly batchSize: number | undefined; readonly allLayers: boolean }
  | { readonly kind: 'getWeights' }
  | { readonly kind: 'setWeights'; readonly weights: readonly Float32Array[] }
  | { readonly kind: 'summary'; readonly style: 'keras3' | 'keras2' }
  | { readonly kind: 'serialize'; readonly includeTrainingConfig: boolean }
  | { readonly kind: 'dispose' }
);

/** Notices from the page that need no answer. */
export type Notice =
  /**
   * To a worker's global scope (see WorkerHost): serve one more model on `port`. Every model of
   * one worker shares its GPU device, so pipelines compiled for one serve the next.
   */
  | { readonly kind: 'connect'; readonly port: MessageEndpoint & { start(): void; close(): void } }
  /** `model.stopTraining = true` on the page: the worker's fit stops at its next epoch or batch report. */
  | { readonly kind: 'stop' }
  /** The page ran its callbacks for event `callId`. */
  | {
      readonly kind: 'reply';
      readonly callId: number;
      readonly stopTraining: boolean;
      readonly learningRate: number | undefined;
      /** A callback threw: the worker's fit fails (the page rethrows its own error). */
      readonly failed: boolean;
    };

export type PageMessage = Request | Notice;

/** The model's state after a request, sent with every answer so that stats() and backend stay synchronous. */
export interface ModelStatus {
  readonly backend: BackendName | undefined;
  readonly stats: EngineStats;
}

/** History as data. */
export interface WireHistory {
  readonly params: HistoryParams;
  readonly epoch: readonly number[];
  readonly history: Readonly<Record<string, readonly number[]>>;
}

/** An error as data: name and message, plus the fields of the error classes that have some. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly epoch?: number;
  readonly layer?: string;
  readonly reason?: string;
}

/** Messages from the worker. */
export type WorkerMessage =
  | { readonly kind: 'result'; readonly id: number; readonly value: unknown; readonly status: ModelStatus }
  | { readonly kind: 'error'; readonly id: number; readonly error: WireError; readonly status: ModelStatus }
  | {
      readonly kind: 'event';
      /** The fit request this event belongs to. */
      readonly id: number;
      readonly callId: number;
      readonly hook: CallbackHook;
      /** Epoch (epoch hooks) or batch (onBatchEnd) index; 0 for the train hooks. */
      readonly index: number;
      readonly logs: Logs;
      /** After an epoch, with epochPredictions: the outputs (transferred). */
      readonly outputs?: readonly Float32Array[];
      /** The worker waits for a `reply` notice with this callId. */
      readonly awaitsReply: boolean;
    };

/** A message as an endpoint delivers it (a DOM MessageEvent fits). */
export interface EndpointMessage {
  readonly data: unknown;
}

/**
 * The side of a Worker (or MessagePort) a WorkerModel talks through. Typed structurally, so Node
 * and worker code see it without the DOM library; only ArrayBuffers are ever transferred.
 */
export interface MessageEndpoint {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  addEventListener(type: 'message', listener: (event: EndpointMessage) => void): void;
  removeEventListener(type: 'message', listener: (event: EndpointMessage) => void): void;
}

export function toWireError(error: unknown): WireError {
  if (error instanceof NonFiniteError) {
    return { name: error.name, message: error.message, epoch: error.epoch, ...(error.layer === undefined ? {} : { layer: error.layer }) };
  }
  if (error instanceof DeviceLostError) return { name: error.name, message: error.message, reason: error.reason };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

const PLAIN_CLASSES: Readonly<Record<string, new (message: string) => Error>> = {
  ShadernetError,
  ShapeError,
  ValueError,
  StateError,
  WebGPUUnavailableError,
  GpuError,
  UnsupportedError,
};

/** The error of a WireError: shadernet's own class where the name is one of them (instanceof works), else an Error with that name. */
export function fromWireError(wire: WireError): Error {
  const message = `${wire.message}`;
  if (wire.name === 'NonFiniteError') return new NonFiniteError(message, wire.epoch ?? -1, wire.layer);
  if (wire.name === 'DeviceLostError') return new DeviceLostError(message, wire.reason ?? 'unknown');
  const known = Object.prototype.hasOwnProperty.call(PLAIN_CLASSES, wire.name) ? PLAIN_CLASSES[wire.name] : undefined;
  if (known) return new known(message);
  const error = new Error(message);
  error.name = wire.name;
  return error;
}

/** The buffers of arrays, each once, for a postMessage transfer list. */
export function transferables(arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const a of arrays) if (a.buffer instanceof ArrayBuffer) buffers.add(a.buffer);
  return [...buffers];
}
