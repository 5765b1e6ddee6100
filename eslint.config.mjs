// Lint: ESLint's and typescript-eslint's recommended rules (syntax-only, so it stays fast on two
// cores; tsc checks types and names) over the library, tests, demo, benchmarks and scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const browser = Object.fromEntries(
  ['window', 'document', 'navigator', 'console', 'URL', 'Worker', 'customElements'].map((name) => [name, 'readonly']),
);
const node = Object.fromEntries(['process', 'console', 'URL', 'setTimeout', 'clearTimeout', 'Buffer'].map((name) => [name, 'readonly']));

export default tseslint.config(
  { ignores: ['dist/', '.build/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/results/', 'src/kernels/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Model files, CSVs and paths are checked for control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  { files: ['**/*.ts'], rules: { 'no-undef': 'off' } },
  { files: ['**/*.mjs', 'scripts/**/*.js'], languageOptions: { globals: node } },
  { files: ['e2e/package/**/*.js'], languageOptions: { globals: browser } },
  // Playwright scripts: the functions they pass to page.evaluate run in the page.
  { files: ['scripts/time-to-map.mjs', 'scripts/live-map-cost.mjs'], languageOptions: { globals: { ...node, ...browser } } },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...node, require: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // Playwright's fixtures are destructured: `async ({}, testInfo) =>` is its documented form.
  { files: ['e2e/**/*.ts'], rules: { 'no-empty-pattern': 'off' } },
);
