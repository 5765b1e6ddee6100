// Types of minify-css.mjs, for the TypeScript that imports it (tests).
export function minifyCss(css: string): string;
export function minifyCssTemplates(source: string): string;
