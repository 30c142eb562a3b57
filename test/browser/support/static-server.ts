/**
 * A static file server on 127.0.0.1 port 0 for the built examples: the
 * repository's `examples/` and `dist/` folders, nothing else.
 */

import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listenOnLoopback } from '../../support/listen.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const types: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

/** A running static server. */
export interface StaticServer {
  /** `http://127.0.0.1:<port>/` */
  readonly origin: string;
  close(): Promise<void>;
}

/** The file under the repository root that `pathname` asks for, if it is inside examples/ or dist/. */
function servedFile(pathname: string): string | undefined {
  const relative = path.posix.normalize(decodeURIComponent(pathname)).replace(/^\/+/, '');
  if (relative.startsWith('..') || !/^(examples|dist)\//.test(relative)) return undefined;
  return path.join(root, relative.endsWith('/') ? `${relative}index.html` : relative);
}

/** Starts the server. */
export async function startStaticServer(): Promise<StaticServer> {
  const server = http.createServer((request, response) => {
    const file = servedFile(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if (file === undefined) return void response.writeHead(404).end();
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(404, { 'content-type': 'text/plain' }).end(`${path.relative(root, file)} is missing: run \`npm run build && npm run build:examples\``),
    );
  });
  const port = await listenOnLoopback(server);
  return {
    origin: `http://127.0.0.1:${port}/`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
