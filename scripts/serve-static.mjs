#!/usr/bin/env node
// A tiny static file server for the built demo, used by the e2e tests (playwright.config.ts),
// and as a module (serveStatic) by the package test, which serves consumer pages with it.
//
//   node scripts/serve-static.mjs [dir] [--port N]
//
// dir defaults to dist/demo; the port comes from --port, else $PORT, else 4173. It listens on
// 127.0.0.1 only (a secure context, so browsers expose WebGPU there), answers GET and HEAD,
// never serves anything outside dir, and sends no-store so a rebuilt demo is always fresh.
// To work on the demo use `npm run demo` instead: it rebuilds on change.
import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.wgsl': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Maps a request path to a file inside root, or returns null if it is malformed or escapes root. */
function fileFor(root, url) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = resolve(root, `.${pathname}`);
  return file.startsWith(root + sep) ? file : null;
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${text}\n`);
}

/**
 * A static file server for `root` on 127.0.0.1 (a secure context, so browsers expose WebGPU):
 * GET and HEAD only, nothing outside root, no-store. Resolves once listening; port 0 picks a free one.
 */
export function serveStatic(root, port = 0) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return send(res, 405, 'method not allowed');
    }
    const file = fileFor(base, req.url ?? '/');
    if (!file) return send(res, 400, 'bad request');
    let info;
    try {
      info = await stat(file);
    } catch {
      return send(res, 404, 'not found');
    }
    if (!info.isFile()) return send(res, 404, 'not found');
    res.writeHead(200, {
      'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolvePromise(server));
  });
}

// As a command: serve dist/demo (or the given folder) for the e2e tests.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const portIndex = args.indexOf('--port');
  const portArg = portIndex >= 0 ? args[portIndex + 1] : undefined;
  const positional = args.filter((arg, i) => !arg.startsWith('--') && (portIndex < 0 || i !== portIndex + 1));
  const root = resolve(positional[0] ?? 'dist/demo');
  const port = Number(portArg ?? process.env.PORT ?? 4173);

  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`serve-static: invalid port '${portArg ?? process.env.PORT}'`);
    process.exit(2);
  }
  if (!existsSync(join(root, 'index.html'))) {
    console.error(`serve-static: ${root}/index.html not found. Build the demo first: node esbuild.mjs demo`);
    process.exit(1);
  }

  const server = await serveStatic(root, port).catch((error) => {
    console.error(`serve-static: ${error.message}`);
    process.exit(1);
  });
  console.log(`serving ${root} at http://127.0.0.1:${server.address().port}/`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
}
