/**
 * Entry point of the demo page (bundled by `node esbuild.mjs demo` into dist/demo/main.js):
 * registers <sn-playground> and the components it is made of.
 */
import '../src/components/sn-playground.js';
