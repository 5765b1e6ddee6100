// Types of minify.mjs, for the TypeScript that imports it (tests).
export function minifyWgsl(text: string): string;
