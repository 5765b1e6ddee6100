// WGSL files imported as text (esbuild's `text` loader): bench/ only, for its A/B baselines.
// src/ gets its shaders from src/kernels/generated/ (scripts/generate-kernels.mjs).
declare module '*.wgsl' {
  const source: string;
  export default source;
}

// wgsl_reflect 1.6's plain specifier resolves to a CommonJS file under Node ESM; the module
// build is the one path that works in Node and in bundles. A devDependency: the kernel
// generator, its tests and bench/ use it; src/ never does.
declare module 'wgsl_reflect/wgsl_reflect.module.js' {
  export * from 'wgsl_reflect';
}
