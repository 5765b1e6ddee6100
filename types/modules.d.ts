// WGSL files are imported as text: esbuild's `text` loader inlines them, in the browser
// bundle and the Node build alike, so there is one source of truth for every shader.
declare module '*.wgsl' {
  const source: string;
  export default source;
}

// wgsl_reflect 1.6's plain specifier resolves to a CommonJS file under Node ESM; the module
// build is the one path that works in Node and in bundles (see README, Node).
declare module 'wgsl_reflect/wgsl_reflect.module.js' {
  export * from 'wgsl_reflect';
}
