/**
 * The worker side of WorkerModel: one Sequential model, driven by the page's requests (see
 * protocol.ts). The model is the ordinary Sequential, so training in a worker runs the very same
 * engine code as on the main thread; this loop only turns messages into calls and back.
 *
 * Requests are started in arrival order and may overlap (predict while fit runs, as on the main
 * thread); the model's own rules (e.g. no setWeights during fit) apply and their errors travel back.
 */
import { StateError } from '../errors.js';
import { EMPTY_STATS } from '../engine/stats.js';
import { submitLongEpochsInChunks } from '../engine/training.js';
import { defaultGpu } from '../gpu/default.js';
import type { Callback, Logs } from '../model/callbacks.js';
import { compileFromConfig } from '../model/compile-config.js';
import { deserializeModel, serializeModel } from '../model/serialization.js';
import type { Sequential } from '../model/sequential.js';
import {
  toWireError,
  transferables,
  type CallbackHook,
  type EndpointMessage,
  type MessageEndpoint,
  type ModelStatus,
  type Notice,
  type PageMessage,
  type Request,
  type WorkerMessage,
} from './protocol.js';

/** The reply of the page to one forwarded callback event. */
interface Reply {
  readonly stopTraining: boolean;
  readonly learningRate: number | undefined;
  readonly failed: boolean;
}

/** Serves one model on `endpoint` (a worker's global scope, or a MessagePort) until a `dispose` request. */
export function serveModel(endpoint: MessageEndpoint & { close?(): void }): void {
  let model: Sequential | undefined;
  let nextCallId = 0;
  const replies = new Map<number, (reply: Reply) => void>();

  const status = (): ModelStatus => ({
    backend: model?.backend,
    stats: model ? model.stats() : EMPTY_STATS,
  });
  const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => endpoint.postMessage(message, transfer);
  const requireModel = (): Sequential => {
    if (!model) throw new StateError('The worker has no model yet (init did not run or failed).');
    return model;
  };

  const setLearningRate = (value: number | undefined): void => {
    const optimizer = model?.optimizer;
    if (value !== undefined && optimizer && optimizer.learningRate !== value) optimizer.learningRate = value;
  };

  /** Forwards one callback event to the page; waits for its reply when the page has callbacks for the hook. */
  const forward = async (
    id: number,
    hook: CallbackHook,
    index: number,
    logs: Logs,
    awaitsReply: boolean,
    outputs?: Float32Array[],
  ): Promise<void> => {
    const callId = nextCallId++;
    const reply = awaitsReply ? new Promise<Reply>((resolve) => replies.set(callId, resolve)) : undefined;
    send(
      { kind: 'event', id, callId, hook, index, logs, awaitsReply, ...(outputs ? { outputs } : {}) },
      outputs ? transferables(outputs) : [],
    );
    if (!reply) return;
    const answer = await reply;
    // The page rethrows its callback's own error; this one only ends the worker's fit.
    if (answer.failed) throw new Error(`A ${hook} callback on the page threw.`);
    if (answer.stopTraining && model) model.stopTraining = true;
    setLearningRate(answer.learningRate);
  };

  const fit = async (request: Extract<Request, { kind: 'fit' }>): Promise<unknown> => {
    const m = requireModel();
    setLearningRate(request.learningRate);
    const hooks = new Set(request.hooks);
    const { predictions } = request;
    const proxy: Callback = {
      ...(hooks.has('onTrainBegin') ? { onTrainBegin: (logs: Logs) => forward(request.id, 'onTrainBegin', 0, logs, true) } : {}),
      ...(hooks.has('onEpochBegin')
        ? { onEpochBegin: (epoch: number, logs: Logs) => forward(request.id, 'onEpochBegin', epoch, logs, true) }
        : {}),
      ...(hooks.has('onBatchEnd')
        ? { onBatchEnd: (batch: number, logs: Logs) => forward(request.id, 'onBatchEnd', batch, logs, true) }
        : {}),
      ...(hooks.has('onEpochEnd') || predictions
        ? {
            onEpochEnd: async (epoch: number, logs: Logs) => {
              const outputs = predictions
                ? predictions.allLayers
                  ? await m.predictLayers(predictions.x as never)
                  : [await m.predict(predictions.x as never)]
                : undefined;
              // Outputs alone need no answer: the worker trains on while the page draws them.
              await forward(request.id, 'onEpochEnd', epoch, logs, hooks.has('onEpochEnd'), outputs);
            },
          }
        : {}),
      ...(hooks.has('onTrainEnd') ? { onTrainEnd: (logs: Logs) => forward(request.id, 'onTrainEnd', 0, logs, true) } : {}),
    };
    const history = await m.fit(request.x as never, request.y as never, { ...request.options, callbacks: proxy });
    return { params: history.params, epoch: history.epoch, history: history.history };
  };

  const handle = async (request: Request): Promise<{ value: unknown; transfer?: ArrayBuffer[] }> => {
    switch (request.kind) {
      case 'init': {
        if (model) throw new StateError('The worker already serves a model.');
        const created = deserializeModel(request.modelJson, request.weightData, {
          backend: request.backend,
          ...(request.seed === undefined ? {} : { seed: request.seed }),
        });
        // Ask for the GPU now, so that a worker without WebGPU says so at once, not at the first fit.
        if (request.backend === 'webgpu') {
          try {
            // The page may predict (draw a map) while a fit runs: long epochs let it in between chunks.
            submitLongEpochsInChunks((await defaultGpu()).device as GPUDevice);
          } catch (error) {
            created.dispose();
            throw error;
          }
        }
        model = created;
        return { value: undefined };
      }
      case 'compile':
        compileFromConfig(requireModel(), request.config);
        return { value: undefined };
      case 'fit':
        return { value: await fit(request) };
      case 'evaluate':
        return { value: await requireModel().evaluate(request.x as never, request.y as never, request.options as never) };
      case 'predict': {
        const m = requireModel();
        const outputs = request.allLayers
          ? await m.predictLayers(request.x as never)
          : [await m.predict(request.x as never, request.batchSize === undefined ? {} : { batchSize: request.batchSize })];
        return { value: outputs, transfer: transferables(outputs) };
      }
      case 'getWeights': {
        const weights = await requireModel().getWeights();
        return { value: weights, transfer: transferables(weights) };
      }
      case 'setWeights':
        requireModel().setWeights(request.weights);
        return { value: undefined };
      case 'summary':
        return { value: requireModel().summary({ style: request.style, print: () => {} }) };
      case 'serialize': {
        const artifact = await serializeModel(requireModel(), { includeTrainingConfig: request.includeTrainingConfig });
        return { value: { modelJson: artifact.modelJson, weightData: artifact.weightData }, transfer: [artifact.weightData] };
      }
      case 'dispose':
        model?.dispose();
        // A fit waiting for the page's callbacks would wait forever (the page answers no more):
        // release it, and it stops at once, the model being disposed.
        for (const resolve of replies.values()) resolve({ stopTraining: true, learningRate: undefined, failed: false });
        replies.clear();
        return { value: undefined };
    }
  };

  const onMessage = (event: EndpointMessage): void => {
    const message = event.data as PageMessage;
    if (message.kind === 'stop') {
      if (model) model.stopTraining = true;
      return;
    }
    if (message.kind === 'reply') {
      const resolve = replies.get((message as Extract<Notice, { kind: 'reply' }>).callId);
      replies.delete(message.callId);
      resolve?.(message);
      return;
    }
    const request = message;
    handle(request).then(
      ({ value, transfer }) => {
        send({ kind: 'result', id: request.id, value, status: status() }, transfer ?? []);
        if (request.kind === 'dispose') {
          endpoint.removeEventListener('message', onMessage);
          endpoint.close?.();
        }
      },
      (error: unknown) => send({ kind: 'error', id: request.id, error: toWireError(error), status: status() }),
    );
  };
  endpoint.addEventListener('message', onMessage);
}
