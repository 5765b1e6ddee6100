// Resolves `//!include <path>` directives: a WGSL file states the helper files it needs in its
// leading comment block, by path relative to itself. The result is one module: every included
// file once (depth first, in directive order, before its includer), then the file itself.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const DIRECTIVE = /^\/\/!(\S+)(?:\s+(.*))?$/;

/** The paths a file includes, as written; directives are only allowed before its first line of code. */
export function includeDirectives(text, file) {
  const paths = [];
  let inHeader = true;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    const where = `${file}:${index + 1}`;
    if (line.startsWith('//!')) {
      const match = DIRECTIVE.exec(line);
      if (!match || match[1] !== 'include' || !match[2] || /\s/.test(match[2].trim())) {
        throw new Error(`${where}: unknown directive '${line}' (expected '//!include <path>')`);
      }
      if (!inHeader) throw new Error(`${where}: '//!include' must come before the first line of code`);
      paths.push(match[2].trim());
    } else if (line !== '' && !line.startsWith('//')) {
      inHeader = false;
    }
  });
  return paths;
}

/**
 * The file and everything it includes, joined into one WGSL module. `files` lists the absolute
 * paths read, in module order, and `parts` their texts; `firstLines[i]` is the module line where
 * files[i] starts (1-based).
 * Throws on a missing file and on an include cycle.
 */
export function resolveIncludes(entryFile, read = (path) => readFileSync(path, 'utf8')) {
  const files = [];
  const parts = [];
  const done = new Set();
  const visit = (file, chain) => {
    if (chain.includes(file)) {
      const cycle = [...chain.slice(chain.indexOf(file)), file].map((f) => relative(dirname(entryFile), f));
      throw new Error(`include cycle: ${cycle.join(' → ')}`);
    }
    if (done.has(file)) return;
    let text;
    try {
      text = read(file);
    } catch (error) {
      const from = chain.at(-1);
      throw new Error(`cannot read ${relative(process.cwd(), file)}${from ? ` (included by ${relative(process.cwd(), from)})` : ''}: ${error.message}`);
    }
    for (const path of includeDirectives(text, relative(process.cwd(), file))) visit(resolve(dirname(file), path), [...chain, file]);
    done.add(file);
    files.push(file);
    parts.push(text);
  };
  visit(resolve(entryFile), []);
  const firstLines = [];
  let line = 1;
  for (const part of parts) {
    firstLines.push(line);
    line += part.split('\n').length;
  }
  return { source: parts.join('\n'), files, firstLines, parts };
}

/** `file:line` of line `line` of a module made by resolveIncludes. */
export function lineOrigin({ files, firstLines }, line) {
  let i = firstLines.length - 1;
  while (i > 0 && firstLines[i] > line) i--;
  return `${relative(process.cwd(), files[i])}:${line - firstLines[i] + 1}`;
}
