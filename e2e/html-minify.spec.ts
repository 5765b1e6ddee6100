// The package ships its elements' html`` templates with their indentation collapsed
// (scripts/minify-html.mjs). The playground is rendered from the templates as written (the demo's
// main.js) and as shipped (the same entry built with every template of src/components collapsed,
// served in main.js's place): in each mode, with every disclosure open, every element must have the
// same attributes and box, and every text node the same text (white-space runs read as one space)
// and box.
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { expect, test, type Page } from '@playwright/test';
import { minifyHtmlTemplates } from '../scripts/minify-html.mjs';
import { openPlayground, watchProblems } from './helpers.js';

/** The demo's main.js, built from the elements with their templates collapsed. */
async function collapsedMainJs(): Promise<{ code: string; files: number; saved: number }> {
  let files = 0;
  let saved = 0;
  const result = await esbuild.build({
    entryPoints: ['demo/main.ts'],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    loader: { '.wgsl': 'text' },
    minify: true,
    write: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'collapse-html-templates',
        setup(build) {
          build.onLoad({ filter: /[\\/]src[\\/]components[\\/].*\.ts$/ }, (args) => {
            const source = readFileSync(args.path, 'utf8');
            const contents = minifyHtmlTemplates(source, args.path);
            if (contents !== source) files++;
            saved += source.length - contents.length;
            return { contents, loader: 'ts' };
          });
        },
      },
    ],
  });
  return { code: result.outputFiles[0]!.text, files, saved };
}

/**
 * The composed tree from <body> down (shadow roots included): one line per element (name, sorted
 * attributes, box) and per text node (text with white-space runs as one space, box), boxes to 0.5 px.
 */
function layout(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const lines: string[] = [];
    const box = (r: DOMRect) => [r.x, r.y, r.width, r.height].map((v) => Math.round(v * 2) / 2).join(',');
    const walk = (parent: Node, depth: number): void => {
      for (const node of parent.childNodes) {
        const indent = ' '.repeat(depth);
        if (node instanceof Element) {
          const attributes = [...node.attributes].map((a) => `${a.name}=${JSON.stringify(a.value)}`).sort();
          lines.push(`${indent}<${node.localName} ${attributes.join(' ')}> ${box(node.getBoundingClientRect())}`);
          if (node.shadowRoot) walk(node.shadowRoot, depth + 1);
          walk(node, depth + 1);
        } else if (node instanceof Text) {
          const range = document.createRange();
          range.selectNodeContents(node);
          lines.push(`${indent}${JSON.stringify(node.data.replace(/[ \t\n\r\f]+/g, ' '))} ${box(range.getBoundingClientRect())}`);
        }
      }
    };
    walk(document.body, 0);
    return lines;
  });
}

/** Opens every <details> of the page, in every shadow root, so that folded templates render too. */
async function openAllDetails(page: Page): Promise<void> {
  await page.evaluate(() => {
    const open = (root: Document | ShadowRoot): void => {
      for (const details of root.querySelectorAll('details')) details.open = true;
      for (const element of root.querySelectorAll('*')) if (element.shadowRoot) open(element.shadowRoot);
    };
    open(document);
  });
}

/** The layout once it has stopped changing (maps and views settle after the models are built). */
async function settledLayout(page: Page): Promise<string[]> {
  let last: string[] = [];
  await expect
    .poll(async () => {
      const now = await layout(page);
      const same = JSON.stringify(now) === JSON.stringify(last);
      last = now;
      return same;
    })
    .toBe(true);
  return last;
}

const MODES = ['One model', 'Compare models', 'Sweep'] as const;

/** The settled layout of each mode, every disclosure open. */
async function layoutsOfModes(page: Page): Promise<Record<string, string[]>> {
  const playground = await openPlayground(page, '#data=moons&n=200&noise=0.1&dseed=1&layers=8relu&epochs=5&seed=3');
  const layouts: Record<string, string[]> = {};
  for (const mode of MODES) {
    await playground.getByRole('button', { name: mode, exact: true }).click();
    await expect(playground).toHaveAttribute('data-busy', 'false');
    await openAllDetails(page);
    layouts[mode] = await settledLayout(page);
  }
  return layouts;
}

test('the playground renders the same from collapsed templates as from the templates as written', async ({ page }) => {
  const problems = watchProblems(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  const collapsed = await collapsedMainJs();
  expect(collapsed.files, 'element modules with templates to collapse').toBeGreaterThan(10);
  expect(collapsed.saved).toBeGreaterThan(1000);

  const written = await layoutsOfModes(page);
  let served = 0;
  await page.route('**/main.js', (route) => {
    served++;
    return route.fulfill({ contentType: 'text/javascript', body: collapsed.code });
  });
  await page.goto('about:blank'); // the same URL again would only move to its fragment
  const shipped = await layoutsOfModes(page);
  expect(served).toBe(1);
  for (const mode of MODES) {
    expect(written[mode]!.length, mode).toBeGreaterThan(300);
    expect(shipped[mode], mode).toEqual(written[mode]);
  }
  expect(problems).toEqual([]);
});
