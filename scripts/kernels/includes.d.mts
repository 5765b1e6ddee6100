// Types of includes.mjs, for the TypeScript that imports it (tests).
export function includeDirectives(text: string, file: string): string[];
export interface ResolvedModule {
  source: string;
  files: string[];
  firstLines: number[];
  parts: string[];
}
export function resolveIncludes(entryFile: string, read?: (path: string) => string): ResolvedModule;
export function lineOrigin(module: ResolvedModule, line: number): string;
