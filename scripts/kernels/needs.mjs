// Checks the contracts of included files: a file under shaders/lib/ that reads declarations of
// the file including it (an override, a binding, a field of the uniform `params`, a helper it
// does not define) names each in its header, `//!needs WG params.rows labels`, and every kernel
// module that includes it must declare them. Both directions are checked, so a requirement can
// neither go unwritten nor go unmet: the build fails naming the file, the name and the kernel.
import { relative } from 'node:path';
import { scan, tokenize } from './mangle.mjs';
import { minifyWgsl } from './minify.mjs';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** What one file declares and reads: names, struct members by struct, var types, identifier uses. */
function facts(text) {
  const tokens = tokenize(minifyWgsl(text)).filter((t) => !/^\s$/.test(t));
  const { declared, members } = scan(tokens);
  // scan() keeps overrides apart (never renamed); here they are declarations like any other.
  const overrides = tokens.filter((t, i) => tokens[i - 1] === 'override' && IDENTIFIER.test(t));
  const structs = new Map();
  const varTypes = new Map();
  const uses = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'struct' && IDENTIFIER.test(tokens[i + 1] ?? '')) {
      const fields = new Set();
      for (let k = i + 3, depth = 1; k < tokens.length && depth > 0; k++) {
        if (tokens[k] === '{') depth++;
        else if (tokens[k] === '}') depth--;
        else if (depth === 1 && tokens[k + 1] === ':' && IDENTIFIER.test(tokens[k]) && tokens[k - 1] !== '@') fields.add(tokens[k]);
      }
      structs.set(tokens[i + 1], fields);
    } else if (t === 'var') {
      let k = i + 1;
      if (tokens[k] === '<') while (k < tokens.length && tokens[k++] !== '>');
      if (IDENTIFIER.test(tokens[k] ?? '') && tokens[k + 1] === ':') varTypes.set(tokens[k], tokens[k + 2]);
    }
    if (IDENTIFIER.test(t) && tokens[i - 1] !== '.')
      uses.push({ name: t, field: tokens[i + 1] === '.' && IDENTIFIER.test(tokens[i + 2] ?? '') ? tokens[i + 2] : undefined });
  }
  return { declared: new Set([...declared, ...members, ...overrides]), structs, varTypes, uses };
}

/**
 * The contract problems of one module made by resolveIncludes (its last file is the kernel);
 * names are shown relative to `root`. Empty when every included file's reads of its includers'
 * declarations are listed in its `//!needs` lines and every listed name is declared.
 */
export function needsProblems(module, root) {
  const { files, parts, includes, needs } = module;
  const info = parts.map(facts);
  const index = new Map(files.map((file, i) => [file, i]));
  const shown = (i) => relative(root, files[i]).split('\\').join('/');
  const kernel = files.length - 1;
  const problems = [];
  if (needs[kernel].length > 0) problems.push(`${shown(kernel)} is a kernel; only included files declare //!needs`);
  for (let i = 0; i < kernel; i++) {
    // The file and what it includes, transitively: what it may read without declaring a need.
    const inside = new Set();
    const visit = (j) => {
      if (inside.has(j)) return;
      inside.add(j);
      for (const file of includes[j]) visit(index.get(file));
    };
    visit(i);
    const outside = files.map((_, j) => j).filter((j) => !inside.has(j));
    const declaredIn = (set) => new Set(set.flatMap((j) => [...info[j].declared]));
    const own = declaredIn([...inside]);
    const provided = declaredIn(outside);
    const bare = new Set(needs[i].filter((n) => !n.includes('.')));
    const listed = new Set(needs[i]);
    const read = new Set();
    for (const { name, field } of info[i].uses) {
      if (own.has(name) || !provided.has(name)) continue; // its own, or WGSL's (a builtin, a type)
      const what = field === undefined || bare.has(name) ? name : `${name}.${field}`;
      read.add(what);
      if (!listed.has(what) && !bare.has(name))
        problems.push(`${shown(i)} reads '${what}' of the file including it without declaring it: add '//!needs ${what}' to its header`);
    }
    for (const need of needs[i]) {
      const [base, field] = need.split('.');
      // Not declared by an includer, a name reads as WGSL's own: check that first.
      if (!provided.has(base)) problems.push(`${shown(i)} needs '${need}', which ${shown(kernel)} does not declare`);
      else if (!read.has(need)) problems.push(`${shown(i)} declares '//!needs ${need}' but does not read it`);
      else if (field !== undefined) {
        const type = outside.map((j) => info[j].varTypes.get(base)).find((t) => t !== undefined);
        const fields = outside.map((j) => info[j].structs.get(type)).find((f) => f !== undefined);
        if (!fields?.has(field))
          problems.push(`${shown(i)} needs '${need}', but ${base}${type ? ` (${type})` : ''} in ${shown(kernel)} has no field '${field}'`);
      }
    }
  }
  return problems;
}
