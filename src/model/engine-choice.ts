/**
 * Which engine a model runs on: WebGPU, the float64 CPU engine, or `auto` (WebGPU where it
 * exists, else the CPU with a one-time notice).
 */
import type { ModelBackend } from '../engine/backend.js';
import { CpuBackend } from '../engine/cpu-backend.js';
import { GpuBackend } from '../engine/gpu-backend.js';
import type { NetworkShape } from '../spec/network.js';
import { WebGPUUnavailableError } from '../errors.js';
import type { GpuContext } from '../gpu/context.js';
import { defaultGpu } from '../gpu/default.js';
import type { BackendName } from '../spec/backend.js';
import { lookup, quoted } from './validate.js';

export type BackendChoice = BackendName | 'auto';

const BACKEND_CHOICES: ReadonlyMap<string, BackendChoice> = new Map<string, BackendChoice>([
  ['auto', 'auto'],
  ['webgpu', 'webgpu'],
  ['cpu', 'cpu'],
]);

/** SequentialOptions.backend, checked. */
export function backendChoice(value: unknown): BackendChoice {
  return lookup(BACKEND_CHOICES, value ?? 'auto', (name) => `Unknown backend ${quoted(name)}; expected one of: auto, webgpu, cpu.`);
}

let fallbackNoticeShown = false;

function noticeCpuFallback(reason: WebGPUUnavailableError): void {
  if (fallbackNoticeShown) return;
  fallbackNoticeShown = true;
  console.warn(`shadernet: WebGPU is unavailable, so models train on the CPU (float64 reference engine, slower). ${reason.message}`);
}

/** A new engine for `network`: on `gpu` (or the shared default GPU), or the CPU where chosen or where WebGPU is missing under `auto`. */
export async function createEngine(network: NetworkShape, choice: BackendChoice, gpu: GpuContext | undefined): Promise<ModelBackend> {
  if (choice === 'cpu') return new CpuBackend(network);
  try {
    const ctx = gpu ?? (await defaultGpu());
    return new GpuBackend(ctx, network);
  } catch (error) {
    if (choice !== 'auto' || !(error instanceof WebGPUUnavailableError)) throw error;
    noticeCpuFallback(error);
    return new CpuBackend(network);
  }
}
