// Types of mangle.mjs, for the TypeScript that imports it (tests).
export function mangleShaders(
  files: ReadonlyMap<string, string>,
  modules: readonly (readonly string[])[],
  keep: Iterable<string>,
): { mangled: Map<string, string>; mapping: Map<string, string> };
export function unmangle(text: string, mapping: ReadonlyMap<string, string>): string;
export function tokenize(text: string): string[];
export function scan(tokens: readonly string[]): { declared: Set<string>; members: Set<string>; kept: Set<string> };
