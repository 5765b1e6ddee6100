import type { Server } from 'node:http';

/** A static file server for `root` on 127.0.0.1; port 0 (the default) picks a free port. */
export function serveStatic(root: string, port?: number): Promise<Server>;
