// WGSL minifier: strips comments (line and nested block), collapses blankspace and writes
// decimal float literals in their shortest form. A blank
// between two tokens survives, as one space, only where dropping it could change the tokens:
// between two word characters (`let x`, `1u u`) and between two operator characters
// (`a - -b` must not become `a--b`, `a / *p` must not open a comment). Names are kept: entry
// points, bindings and overrides are looked up by name.

// WGSL's blankspace: Pattern_White_Space.
const BLANK = new Set([' ', '\t', '\n', '\v', '\f', '\r', '\u0085', '\u200e', '\u200f', '\u2028', '\u2029']);
const LINE_BREAK = new Set(['\n', '\v', '\f', '\r', '\u0085', '\u2028', '\u2029']);
const OPERATOR = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '!', '=', '<', '>', '~']);

/** Letters, digits, `_`, `.` (inside numbers and member accesses) and any non-ASCII identifier character. */
function isWord(ch) {
  return /[A-Za-z0-9_.]/.test(ch) || (ch > '\u007f' && !BLANK.has(ch));
}

/** Index after the word token starting at `start`, exponent signs of number literals included (`1e-7`, `0x1p+4`). */
function wordEnd(text, start) {
  const number = /[0-9]/.test(text[start]) || (text[start] === '.' && /[0-9]/.test(text[start + 1] ?? ''));
  const hex = number && /^0[xX]/.test(text.slice(start, start + 2));
  let i = start;
  for (;;) {
    while (i < text.length && isWord(text[i])) i++;
    const last = text[i - 1];
    const exponent = hex ? last === 'p' || last === 'P' : last === 'e' || last === 'E';
    if (number && exponent && (text[i] === '+' || text[i] === '-')) i++;
    else return i;
  }
}

/** Index after the block comment opening at `start` (WGSL block comments nest). */
function blockCommentEnd(text, start) {
  let depth = 0;
  let i = start;
  while (i < text.length) {
    if (text.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (text.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  throw new Error(`unterminated block comment at offset ${start}`);
}

/**
 * A decimal float literal in its shortest spelling: no trailing zeros after the point, no zero
 * before it (`1.0` → `1.`, `0.50` → `.5`, `2.0f` → `2.f`). Hex and exponent forms, integers and
 * anything else are left as they are.
 */
function shortNumber(token) {
  const match = /^(\d+)\.(\d*?)0*([fh]?)$/.exec(token);
  if (!match) return token;
  const [, whole, fraction, suffix] = match;
  const integer = whole.replace(/^0+(?=\d)/, '');
  return `${integer === '0' && fraction !== '' ? '' : integer}.${fraction}${suffix}`;
}

/** The WGSL module `text` without comments and with as little blankspace as is safe. */
export function minifyWgsl(text) {
  let out = '';
  let blank = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (BLANK.has(ch)) {
      blank = true;
      i++;
      continue;
    }
    if (text.startsWith('//', i)) {
      while (i < text.length && !LINE_BREAK.has(text[i])) i++;
      blank = true;
      continue;
    }
    if (text.startsWith('/*', i)) {
      i = blockCommentEnd(text, i);
      blank = true;
      continue;
    }
    const end = isWord(ch) ? wordEnd(text, i) : i + 1;
    if (blank && out !== '') {
      const last = out[out.length - 1];
      if ((isWord(last) && isWord(ch)) || (OPERATOR.has(last) && OPERATOR.has(ch))) out += ' ';
    }
    out += shortNumber(text.slice(i, end));
    blank = false;
    i = end;
  }
  return out;
}
