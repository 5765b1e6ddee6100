// Resolves `//!include <path>` directives: a WGSL file states the helper files it needs in its
// leading comment block, by path relative to itself. The result is one module: every included
// file once (depth first, in directive order, before its includer), then the file itself.
// An included file that reads declarations of its includer names them in the same block,
// `//!needs NAME params.field …` (checked by kernels/needs.mjs).
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const DIRECTIVE = /^\/\/!(\S+)(?:\s+(.*))?$/;

const NEED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * A file's header directives: the paths it includes, as written, and the names it needs from
 * its includer (`NAME` or `var.field`). Directives are only allowed before its first line of code.
 */
export function headerDirectives(text, file) {
  const includes = [];
  const needs = [];
  let inHeader = true;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    const where = `${file}:${index + 1}`;
    if (line.startsWith('//!')) {
      const match = DIRECTIVE.exec(line);
      const args = match?.[2]?.trim().split(/\s+/) ?? [];
      const known =
        match?.[1] === 'include' ? args.length === 1 : match?.[1] === 'needs' ? args.length > 0 && args.every((a) => NEED.test(a)) : false;
      if (!known) throw new Error(`${where}: unknown directive '${line}' (expected '//!include <path>' or '//!needs NAME var.field …')`);
      if (!inHeader) throw new Error(`${where}: '//!${match[1]}' must come before the first line of code`);
      (match[1] === 'include' ? includes : needs).push(...args);
    } else if (line !== '' && !line.startsWith('//')) {
      inHeader = false;
    }
  });
  return { includes, needs };
}

/** The paths a file includes, as written (headerDirectives' `includes`). */
export function includeDirectives(text, file) {
  return headerDirectives(text, file).includes;
}

/**
 * The file and everything it includes, joined into one WGSL module. `files` lists the absolute
 * paths read, in module order, and `parts` their texts; `firstLines[i]` is the module line where
 * files[i] starts (1-based); `includes[i]` the absolute paths files[i] includes directly and
 * `needs[i]` its `//!needs` names.
 * Throws on a missing file and on an include cycle.
 */
export function resolveIncludes(entryFile, read = (path) => readFileSync(path, 'utf8')) {
  const files = [];
  const parts = [];
  const includes = [];
  const needs = [];
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
      throw new Error(
        `cannot read ${relative(process.cwd(), file)}${from ? ` (included by ${relative(process.cwd(), from)})` : ''}: ${error.message}`,
        { cause: error },
      );
    }
    const directives = headerDirectives(text, relative(process.cwd(), file));
    const direct = directives.includes.map((path) => resolve(dirname(file), path));
    for (const path of direct) visit(path, [...chain, file]);
    done.add(file);
    files.push(file);
    parts.push(text);
    includes.push(direct);
    needs.push(directives.needs);
  };
  visit(resolve(entryFile), []);
  const firstLines = [];
  let line = 1;
  for (const part of parts) {
    firstLines.push(line);
    line += part.split('\n').length;
  }
  return { source: parts.join('\n'), files, firstLines, parts, includes, needs };
}

/** `file:line` of line `line` of a module made by resolveIncludes. */
export function lineOrigin({ files, firstLines }, line) {
  let i = firstLines.length - 1;
  while (i > 0 && firstLines[i] > line) i--;
  return `${relative(process.cwd(), files[i])}:${line - firstLines[i] + 1}`;
}
