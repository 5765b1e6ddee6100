// The package ships its elements' styles minified (scripts/minify-css.mjs). Chromium parses
// every css`` template of src/components as written and minified: the rules must come out the same.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { minifyCss } from '../scripts/minify-css.mjs';

function templates(): { file: string; css: string }[] {
  const dir = 'src/components';
  const found: { file: string; css: string }[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const source = readFileSync(join(dir, name), 'utf8');
    for (const match of source.matchAll(/\bcss\s*`([^`\\$]*)`/g)) found.push({ file: name, css: match[1]! });
  }
  return found;
}

test('every element style parses to the same rules minified as written', async ({ page }) => {
  const all = templates();
  expect(all.length).toBeGreaterThan(10);
  await page.setContent('<!doctype html><title>css</title>');
  for (const { file, css } of all) {
    const minified = minifyCss(css);
    expect(minified.length, file).toBeLessThanOrEqual(css.length);
    const [written, shipped] = await page.evaluate(
      (texts) => {
        // A rule as Chromium parsed it: its text, except that a custom property keeps its value's tokens
        // as written, so there only the spaces around commas (which the minifier drops) are ignored.
        const describe = (rule: CSSRule): unknown => {
          if (rule instanceof CSSStyleRule) {
            const style = rule.style;
            const declarations = [...style].map((name) => {
              const value = style.getPropertyValue(name).trim();
              return [name, value.replace(/\s*,\s*/g, ','), style.getPropertyPriority(name)];
            });
            return [rule.selectorText, declarations, [...rule.cssRules].map(describe)];
          }
          if (rule instanceof CSSGroupingRule)
            return [rule.cssText.slice(0, rule.cssText.indexOf('{')).trim(), [...rule.cssRules].map(describe)];
          return rule.cssText;
        };
        return texts.map((text) => {
          const sheet = new CSSStyleSheet();
          sheet.replaceSync(text);
          return [...sheet.cssRules].map(describe);
        });
      },
      [css, minified],
    );
    expect(written!.length, file).toBeGreaterThan(0);
    expect(shipped, file).toEqual(written);
  }
});
