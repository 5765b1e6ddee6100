// Types of minify-html.mjs, for the TypeScript that imports it (tests).
export function collapseTemplateText(text: string, state?: { verbatim: boolean }): string;
export function minifyHtmlTemplates(source: string, fileName?: string): string;
