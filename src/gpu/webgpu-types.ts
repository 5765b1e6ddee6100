/**
 * WebGPU's interfaces as the consumer's program declares them, for the few public members that
 * expose raw WebGPU objects. TypeScript ≥ 6 ships them in its DOM and webworker libraries; older
 * versions get them from @webgpu/types, which the package's declarations reference for
 * TypeScript < 6 (the two conflict, so never both). A program with neither (a Node project
 * without the DOM library on TypeScript ≥ 6) sees `unknown`: never `any`, never an unresolved name.
 */
type Declared<Name extends string> = typeof globalThis extends { readonly [K in Name]: { readonly prototype: infer T } } ? T : unknown;

export type WebGpuDevice = Declared<'GPUDevice'>;
export type WebGpuSupportedLimits = Declared<'GPUSupportedLimits'>;
