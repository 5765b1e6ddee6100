// Renames the shaders' own identifiers to short ones, after minification. Every name declared in
// any shader file (functions, structs and their members, parameters, let/var/const, binding
// variables, aliases) gets one short name, the same in every file, so an included file stays one
// shared module. Kept as they are: entry points and overrides (WebGPU looks them up by name),
// attribute and builtin-value names, swizzle-like names, and any name some module uses without
// declaring it (WGSL's builtins and types). Binding numbers, struct layouts and entry points do
// not change; the kernel specs are reflected from the readable source before this step.

const TOKEN =
  /0[xX][0-9a-fA-F]*\.?[0-9a-fA-F]*(?:[pP][+-]?\d+)?[fhiu]?|\d+\.?\d*(?:[eE][+-]?\d+)?[fhiu]?|\.\d+(?:[eE][+-]?\d+)?[fh]?|[A-Za-z_][A-Za-z0-9_]*|[^]/g;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SWIZZLE = /^(?:[xyzw]{1,4}|[rgba]{1,4})$/;
/** WGSL keywords and reserved words of one or two characters (longer fresh names are never needed here). */
const SHORT_RESERVED = new Set(['as', 'do', 'fn', 'if', 'in', 'of', 'is', 'or']);

/** The tokens of a minified module: identifiers, numbers and single characters. */
export function tokenize(text) {
  return text.match(TOKEN) ?? [];
}

/**
 * The `name:` names at the first level of the bracketed list that opens at or after `start`:
 * a signature's parameters, a struct's members (an attribute's argument is not one).
 */
function typedNames(tokens, start, open, close) {
  const names = [];
  let depth = 0;
  for (let k = start; k < tokens.length; k++) {
    if (tokens[k] === open) depth++;
    else if (tokens[k] === close && --depth === 0) break;
    else if (depth === 1 && IDENTIFIER.test(tokens[k]) && tokens[k + 1] === ':' && tokens[k - 1] !== '@') names.push(tokens[k]);
  }
  return names;
}

/**
 * Names a file declares (to rename: `declared`, and struct `members`), and names it uses that
 * must keep their spelling (`kept`). Also read by kernels/needs.mjs.
 */
export function scan(allTokens) {
  const tokens = allTokens.filter((t) => !/^\s$/.test(t)); // declarations read past blanks
  const declared = new Set();
  const members = new Set();
  const kept = new Set();
  const next = (k) => tokens[k] ?? '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '@' && IDENTIFIER.test(next(i + 1))) {
      kept.add(next(i + 1)); // an attribute's name
      if (next(i + 1) === 'builtin' && next(i + 2) === '(') kept.add(next(i + 3));
    } else if ((t === 'let' || t === 'const' || t === 'alias') && IDENTIFIER.test(next(i + 1))) {
      declared.add(next(i + 1));
    } else if (t === 'override' && IDENTIFIER.test(next(i + 1))) {
      kept.add(next(i + 1));
    } else if (t === 'var') {
      let k = i + 1;
      if (next(k) === '<') {
        while (k < tokens.length && tokens[k] !== '>') k++; // var<storage,read> name
        k++;
      }
      if (IDENTIFIER.test(next(k))) declared.add(next(k));
    } else if (t === 'fn' && IDENTIFIER.test(next(i + 1))) {
      declared.add(next(i + 1));
      for (const name of typedNames(tokens, i + 2, '(', ')')) declared.add(name); // parameters
    } else if (t === 'struct' && IDENTIFIER.test(next(i + 1))) {
      declared.add(next(i + 1));
      for (const name of typedNames(tokens, i + 2, '{', '}')) members.add(name);
    }
  }
  return { declared, members, kept };
}

/** Short names in order: one letter, then two characters; never a reserved word or a name in `taken`. */
function* freshNames(taken) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const rest = `${letters}0123456789_`;
  for (const a of letters) if (!taken.has(a)) yield a;
  for (const a of letters) for (const b of rest) if (!taken.has(a + b) && !SHORT_RESERVED.has(a + b)) yield a + b;
  throw new Error('mangle: ran out of two-character names');
}

/**
 * Mangles a set of shader files at once. `files` maps a file's key to its minified text;
 * `modules` lists, per kernel, the keys of the files it is made of (includes first);
 * `keep` holds names that must not change (entry points, overrides). Returns the mangled texts
 * by key and the mapping (original name → short name).
 */
export function mangleShaders(files, modules, keep) {
  const tokens = new Map([...files].map(([key, text]) => [key, tokenize(text)]));
  const scans = new Map([...tokens].map(([key, list]) => [key, scan(list)]));
  const fixed = new Set(keep);
  for (const { kept } of scans.values()) for (const name of kept) fixed.add(name);
  // A name some module uses without declaring it is WGSL's (a builtin, a type): never renamed.
  for (const keys of modules) {
    const declared = new Set();
    for (const key of keys) {
      const { declared: names, members } = scans.get(key);
      for (const n of names) declared.add(n);
      for (const n of members) declared.add(n);
    }
    for (const key of keys) for (const t of tokens.get(key)) if (IDENTIFIER.test(t) && !declared.has(t)) fixed.add(t);
  }
  // Occurrences of each renamed name over every file: all of them declared first, then counted.
  const counts = new Map();
  for (const { declared, members } of scans.values()) {
    for (const name of [...declared, ...members]) if (!fixed.has(name) && !SWIZZLE.test(name)) counts.set(name, 0);
  }
  for (const list of tokens.values()) for (const t of list) if (counts.has(t)) counts.set(t, counts.get(t) + 1);
  // The most frequent names get the shortest replacements; ties in name order, so output is stable.
  const renamed = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).map(([name]) => name);
  const taken = new Set();
  for (const list of tokens.values()) for (const t of list) if (IDENTIFIER.test(t) && !counts.has(t)) taken.add(t);
  const fresh = freshNames(taken);
  const mapping = new Map(renamed.map((name) => [name, fresh.next().value]));
  const mangled = new Map([...tokens].map(([key, list]) => [key, list.map((t) => mapping.get(t) ?? t).join('')]));
  return { mangled, mapping };
}

/** The readable names back, for checks that reflect a mangled module (the mapping is one to one). */
export function unmangle(text, mapping) {
  const back = new Map([...mapping].map(([name, short]) => [short, name]));
  return tokenize(text)
    .map((t) => back.get(t) ?? t)
    .join('');
}
