/**
 * Entry point of the demo site (bundled by `node esbuild.mjs demo` into dist/demo/main.js).
 * For now the page only checks the GPU; the training demo builds on <sn-gpu-status>.
 */
import './components/sn-gpu-status.js';
