// Types of emit.mjs, for the TypeScript that imports it (tests).
import type { BindingSpec } from '../../src/gpu/kernel-spec.js';
import type { ReflectedKernel } from './reflect.mjs';

export function runtimeBindings(data: ReflectedKernel): BindingSpec[];
export function packKernelData(data: ReflectedKernel): { bindings: string; overrides: string; entryPoints: string; uniform: string };
