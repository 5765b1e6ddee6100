// Types of generate-kernels.mjs, for the TypeScript that imports it (tests).
export const SHADERS_DIR: string;
export const GENERATED_DIR: string;
export function kernelFiles(dir?: string): { family: string; file: string }[];
export function generateKernels(options?: { shadersDir?: string; outDir?: string }): { families: string[]; written: number };
export function generateKernelsOrExit(): { families: string[]; written: number };
export function watchShaders(): () => void;
