/**
 * The worker script of WorkerModel (package export `shadernet/worker`, built to dist/lib/worker.js;
 * the demo's copy is dist/demo/shadernet-worker.js): serves one model to the page that started it.
 */
import { serveModel } from './worker-loop.js';

serveModel(self as unknown as Parameters<typeof serveModel>[0]);
