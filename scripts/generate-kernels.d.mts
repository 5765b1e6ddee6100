// Types of generate-kernels.mjs, for the TypeScript that imports it (tests).
export const SHADERS_DIR: string;
export const GENERATED_DIR: string;
export function kernelFiles(dir?: string): { family: string; file: string }[];
export function generateKernels(options?: { shadersDir?: string; outDir?: string }): { families: string[]; written: number };
export function generateKernelsOrExit(): { families: string[]; written: number };
export function watchShaders(): () => void;
export interface BuiltKernel {
  family: string;
  includes: string[];
  ownText: string;
  /** The module as the runtime loads it: includes and own text, minified and mangled, joined. */
  source: string;
  sources: string[];
}
export function buildKernels(shadersDir?: string): {
  kernels: BuiltKernel[];
  includeModules: Map<string, string>;
  /** Original name → short name, one mapping for every shader file. */
  mapping: Map<string, string>;
};
