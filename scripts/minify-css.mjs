// Minifies the CSS of lit's css`…` templates in the package's compiled JavaScript.
//
// Lit ships a css`` template's text as written, so the elements' indentation, line breaks and
// comments would cost every page that bundles them; the sources stay readable and the package
// gets the same rules in fewer bytes. The transformation only removes what CSS ignores: comments,
// whitespace runs (kept as one space where it may be a descendant combinator), spaces around
// { } ; , > and after a declaration's colon, and the last ';' of a block. Quoted strings are
// copied as they are. A template with an interpolation (${…}) is left untouched.
// e2e/css-minify.spec.ts checks in Chromium that every element's rules parse to the same CSSOM.

/** The CSS text `css` with comments and needless whitespace removed (see above). */
export function minifyCss(css) {
  let out = '';
  // Strings are copied verbatim; everything between them is minified.
  const parts = css.split(/("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')/);
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      out += part;
      return;
    }
    out += part
      .replace(/\/\*[\s\S]*?\*\//g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,>])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/;}/g, '}');
  });
  return out.trim();
}

/**
 * `source` (compiled JavaScript) with the text of every css`…` template minified. Templates with
 * an interpolation, an escape sequence or a nested backtick are left as they are.
 */
export function minifyCssTemplates(source) {
  return source.replace(/\bcss\s*`([^`\\$]*)`/g, (_whole, text) => `css\`${minifyCss(text)}\``);
}
