// Collapses the indentation of lit's html`…` and svg`…` templates in the package's compiled JavaScript.
//
// Lit ships a template's text as written, and bundlers' minifiers leave template text alone, so
// every line break of the elements' templates, with the indentation after it, costs every page
// that bundles them. HTML renders a run of white space as one space (white-space: normal), and
// pre-line keeps its line breaks only, so a run that holds a line break becomes one line break:
// the same rendering. Left as they are: runs without a line break, the text of <pre> and
// <textarea> (copied verbatim, from the tag to its closing tag), escapes and line continuations
// (a run after a backslash). Elements styled `white-space: pre` or `pre-wrap` would show the
// difference; the elements' templates put no line breaks in theirs, which
// e2e/html-minify.spec.ts checks by rendering the playground from both and comparing every box.
// Templates are found with TypeScript's parser, so strings, regular expressions and templates
// nested in ${…} cannot be mistaken for one another.
import ts from 'typescript';

/** Tags whose templates are HTML (lit's `html` and `svg`). */
const TEMPLATE_TAGS = new Set(['html', 'svg']);

/** A run of HTML white space holding a line break, from its first character, not after a backslash. */
const BREAK_RUN = /(?<![\\ \t\n\r\f])[ \t\n\r\f]*\n[ \t\n\r\f]*/g;

/** An opening or closing <pre> or <textarea>, whose text is copied as it is. */
const VERBATIM_TAG = /<(\/?)(?:pre|textarea)\b/gi;

/**
 * `text` (one static part of a template, as written in the source) with each white-space run that
 * holds a line break made one line break. `state.verbatim` carries "inside <pre> or <textarea>"
 * from one part of a template to the next.
 */
export function collapseTemplateText(text, state = { verbatim: false }) {
  let out = '';
  let from = 0;
  for (const tag of text.matchAll(VERBATIM_TAG)) {
    const chunk = text.slice(from, tag.index);
    out += state.verbatim ? chunk : chunk.replace(BREAK_RUN, '\n');
    from = tag.index;
    state.verbatim = tag[1] !== '/';
  }
  const rest = text.slice(from);
  return out + (state.verbatim ? rest : rest.replace(BREAK_RUN, '\n'));
}

/**
 * `source` (a JavaScript or TypeScript module; `fileName`'s extension says which) with the text
 * of every html`…` and svg`…` template collapsed by collapseTemplateText.
 */
export function minifyHtmlTemplates(source, fileName = 'module.js') {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  /** [start, end) of each static part's text in `source`, in source order. */
  const spans = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && TEMPLATE_TAGS.has(node.tag.text)) {
      const template = node.template;
      const parts = ts.isNoSubstitutionTemplateLiteral(template)
        ? [template]
        : [template.head, ...template.templateSpans.map((span) => span.literal)];
      const state = { verbatim: false };
      for (const part of parts) {
        // A part's text lies between ` or } and ` or ${.
        const closing = ts.isTemplateHead(part) || ts.isTemplateMiddle(part) ? 2 : 1;
        spans.push({ start: part.getStart(file) + 1, end: part.end - closing, state });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  // Parts are visited outer template first; sorted, they are in source order, and a template's
  // parts keep theirs (a nested template lies between two parts of its parent).
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let from = 0;
  for (const { start, end, state } of spans) {
    out += source.slice(from, start) + collapseTemplateText(source.slice(start, end), state);
    from = end;
  }
  return out + source.slice(from);
}
