// Types of includes.mjs, for the TypeScript that imports it (tests).
export function headerDirectives(text: string, file: string): { includes: string[]; needs: string[] };
export function includeDirectives(text: string, file: string): string[];
export interface ResolvedModule {
  source: string;
  files: string[];
  firstLines: number[];
  parts: string[];
  /** Per file, the absolute paths it includes directly. */
  includes: string[][];
  /** Per file, the names of its `//!needs` lines. */
  needs: string[][];
}
export function resolveIncludes(entryFile: string, read?: (path: string) => string): ResolvedModule;
export function lineOrigin(module: ResolvedModule, line: number): string;
