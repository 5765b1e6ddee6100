import assert from 'node:assert/strict';
import { test } from 'node:test';
import { collapseTemplateText, minifyHtmlTemplates } from '../../scripts/minify-html.mjs';

test('collapseTemplateText makes each white-space run with a line break one line break, and leaves the others', () => {
  assert.equal(collapseTemplateText('<ul>\n      <li>a  b</li>\n\n    </ul>\n  '), '<ul>\n<li>a  b</li>\n</ul>\n');
  assert.equal(collapseTemplateText('<p class="a\n    b">x</p>'), '<p class="a\nb">x</p>');
  // Not HTML white space: a non-breaking space stays, with the spaces on its other side.
  assert.equal(collapseTemplateText('a\u00a0\n   b'), 'a\u00a0\nb');
});

test('collapseTemplateText copies <pre> and <textarea> text as it is, across the parts of a template', () => {
  const state = { verbatim: false };
  assert.equal(collapseTemplateText('<div>\n  <pre>\n  x', state), '<div>\n<pre>\n  x');
  assert.equal(state.verbatim, true);
  assert.equal(collapseTemplateText('\n  y</pre>\n  <textarea>\n a</TEXTAREA>\n  z', state), '\n  y</pre>\n<textarea>\n a</TEXTAREA>\nz');
  assert.equal(state.verbatim, false);
});

test('collapseTemplateText leaves a line continuation and what follows an escape alone', () => {
  assert.equal(collapseTemplateText('a\\\n   b'), 'a\\\n   b');
});

test('minifyHtmlTemplates rewrites html`` and svg`` templates, nested ones included, and nothing else', () => {
  const source = [
    'const s = `keep\n    this`; const r = /`\\n  x/;',
    'const t = html`<div>\n    ${items.map((i) => html`<li>\n        ${i}\n      </li>`)}\n  </div>`;',
    'const g = svg`<g>\n  <path d="M0 0"></path>\n</g>`; const c = css`p {\n  margin: 0;\n}`;',
    'const o = other`a\n   b`;',
  ].join('\n');
  assert.equal(
    minifyHtmlTemplates(source),
    [
      'const s = `keep\n    this`; const r = /`\\n  x/;',
      'const t = html`<div>\n${items.map((i) => html`<li>\n${i}\n</li>`)}\n</div>`;',
      'const g = svg`<g>\n<path d="M0 0"></path>\n</g>`; const c = css`p {\n  margin: 0;\n}`;',
      'const o = other`a\n   b`;',
    ].join('\n'),
  );
});

test('minifyHtmlTemplates reads TypeScript too (the e2e check builds the elements from their sources)', () => {
  const source = 'const f = (x: number): TemplateResult => html`<b>\n    ${x as number}\n  </b>`;';
  assert.equal(minifyHtmlTemplates(source, 'view.ts'), 'const f = (x: number): TemplateResult => html`<b>\n${x as number}\n</b>`;');
});
