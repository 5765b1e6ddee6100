// Types of includes.mjs, for the TypeScript that imports it (tests).
export function includeDirectives(text: string, file: string): string[];
export function resolveIncludes(entryFile: string, read?: (path: string) => string): { source: string; files: string[] };
