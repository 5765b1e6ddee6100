import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minifyCss, minifyCssTemplates } from '../../scripts/minify-css.mjs';

test('minifyCss drops comments and whitespace, keeping descendant combinators', () => {
  const css = `
    /* a comment */
    :host([open]) section .title > span,
    a + b {
      margin: 0 auto;
      color: var(--x, #fff);
    }
  `;
  assert.equal(minifyCss(css), ':host([open]) section .title>span,a + b{margin:0 auto;color:var(--x,#fff)}');
});

test('minifyCss copies quoted strings as they are and keeps calc spaces', () => {
  assert.equal(
    minifyCss(`a::before { content: ' ;  { } '; width: calc(100% - 4px); }`),
    `a::before{content:' ;  { } ';width:calc(100% - 4px)}`,
  );
  assert.equal(minifyCss(`b { font-family: "A  B" , serif ; }`), `b{font-family:"A  B",serif}`);
});

test('minifyCss keeps a space before a pseudo-class (a descendant), removes it after a declaration colon', () => {
  assert.equal(minifyCss('div :hover { x: 1 }'), 'div :hover{x:1}');
});

test('minifyCssTemplates rewrites css`` templates only, and leaves interpolated ones alone', () => {
  const source = 'const a = css `\n  p {\n    margin: 0;\n  }\n`; const b = html`<p>  x  </p>`; const c = css`p { color: ${x}; }`;';
  assert.equal(minifyCssTemplates(source), 'const a = css`p{margin:0}`; const b = html`<p>  x  </p>`; const c = css`p { color: ${x}; }`;');
});
