// Types of generate-kernels.mjs, for the TypeScript that imports it (tests).
import type { FSWatcher } from 'node:fs';

export const SHADERS_DIR: string;
export const GENERATED_DIR: string;
export function kernelFiles(dir?: string): { family: string; file: string }[];
export function generateKernels(options?: { shadersDir?: string; outDir?: string }): { families: string[]; written: number };
export function generateKernelsOrExit(): { families: string[]; written: number };
export function watchShaders(): FSWatcher;
