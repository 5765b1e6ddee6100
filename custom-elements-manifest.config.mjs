// The components manifest (custom-elements.json, referenced from package.json's "customElements"):
// generated from the Lit sources by @custom-elements-manifest/analyzer at every `node esbuild.mjs lib`.

/** src/components/x.ts → dist/lib/components/x.js: the manifest names the files the package ships. */
const publishedPath = (path) => path.replace(/^src\//, 'dist/lib/').replace(/\.ts$/, '.js');

function rewritePaths(value) {
  if (Array.isArray(value)) return value.forEach(rewritePaths);
  if (typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    if ((key === 'path' || key === 'module') && typeof inner === 'string') value[key] = publishedPath(inner);
    else rewritePaths(inner);
  }
}

export default {
  globs: ['src/components/sn-*.ts'],
  outdir: '.',
  litelement: true,
  dependencies: false,
  plugins: [{ name: 'published-paths', packageLinkPhase: ({ customElementsManifest }) => rewritePaths(customElementsManifest) }],
};
