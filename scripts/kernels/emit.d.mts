// Types of emit.mjs, for the TypeScript that imports it (tests).
import type { ReflectedKernel } from './reflect.mjs';

export function packKernelData(data: ReflectedKernel): { bindings: string; overrides: string; entryPoints: string; uniform: string };
