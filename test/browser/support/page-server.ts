/**
 * The HTTP server the test pages come from, on 127.0.0.1 port 0. It serves
 * the library as users load it, from the built `dist/`: the script-tag
 * bundle by `<script src>` and the ESM build by `<script type="module">`.
 * Every page loads the probe first (no engine's driver needs an init
 * script). Pages are served `no-store`, except by a cacheable server,
 * whose pages may enter the back/forward cache (`no-store` keeps a page
 * out of it in Chromium).
 */

import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lifecycleRecorderScript } from './lifecycle.js';
import { harnessScript, probeScript } from './page-scripts.js';
import { workerScript } from './worker-script.js';
import { listenOnLoopback } from '../../support/listen.js';

/** How a page loads the library. */
export type LibraryBuild = 'umd' | 'esm';

/** Both builds, for tests that run under each. */
export const libraryBuilds: readonly LibraryBuild[] = ['umd', 'esm'];

const distDir = fileURLToPath(new URL('../../../dist/', import.meta.url));

/** The page for each build: load the library, then hand it to the harness. */
const pages: Record<LibraryBuild, string> = {
  umd: `<!doctype html><meta charset="utf-8"><title>umd</title>
<script src="/probe.js"></script>
<script src="/dist/resilient-websocket.umd.js"></script>
<script src="/dist/resilient-websocket.diagnose.umd.js"></script>
<script src="/harness.js"></script>
<script>harness.install(window.ResilientWebSocket, 'umd');</script>`,
  esm: `<!doctype html><meta charset="utf-8"><title>esm</title>
<script src="/probe.js"></script>
<script src="/harness.js"></script>
<script type="module">
import { ResilientWebSocket, diagnose } from '/dist/index.js';
harness.install(ResilientWebSocket, 'esm', { diagnose });
</script>`,
};

/** A running page server. */
export interface PageServer {
  /** The URL of the page that loads `build`. */
  pageUrl(build: LibraryBuild): string;
  /** A plain page of the same origin, with no script: somewhere to navigate to and come back from. */
  readonly elsewhereUrl: string;
  /** Stops the server and closes its connections. */
  close(): Promise<void>;
}

/** While `npm run build` rewrites dist/ (tsup empties it first), a file may be missing for a moment. */
const rebuildGraceMs = 15_000;

/**
 * Reads a file of `dist/`, waiting (bounded) while a build in progress has
 * removed it.
 *
 * @throws Error naming the file and `npm run build` when it stays missing
 */
async function readDist(file: string): Promise<Buffer> {
  const deadline = Date.now() + rebuildGraceMs;
  for (;;) {
    try {
      return await readFile(path.join(distDir, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (Date.now() >= deadline) throw new Error(`dist/${file} is missing: run \`npm run build\` first`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** The path under `dist/` that `pathname` asks for, or `undefined` if it is not a file inside it. */
function distFile(pathname: string): string | undefined {
  if (!pathname.startsWith('/dist/')) return undefined;
  const relative = path.posix.normalize(decodeURIComponent(pathname.slice('/dist/'.length)));
  return relative.startsWith('..') || path.posix.isAbsolute(relative) || relative === '.' ? undefined : relative;
}

/** The probe, with the lifecycle recorder: what every page runs before anything else. */
const probeFile = `${probeScript}\n${lifecycleRecorderScript}\n`;

async function respond(request: http.IncomingMessage, response: http.ServerResponse, cacheable: boolean): Promise<void> {
  const { pathname } = new URL(request.url ?? '/', 'http://127.0.0.1');
  const send = (status: number, type: string, body: string | Buffer): void => {
    response.writeHead(status, { 'content-type': type, ...(cacheable ? {} : { 'cache-control': 'no-store' }) }).end(body);
  };
  const build = /^\/(umd|esm)\.html$/.exec(pathname)?.[1] as LibraryBuild | undefined;
  if (build !== undefined) return send(200, 'text/html; charset=utf-8', pages[build]);
  if (pathname === '/elsewhere.html') return send(200, 'text/html; charset=utf-8', '<!doctype html><meta charset="utf-8"><title>elsewhere</title>elsewhere');
  if (pathname === '/probe.js') return send(200, 'text/javascript; charset=utf-8', probeFile);
  if (pathname === '/harness.js') return send(200, 'text/javascript; charset=utf-8', harnessScript);
  if (pathname === '/worker.js') return send(200, 'text/javascript; charset=utf-8', workerScript);
  const file = distFile(pathname);
  if (!file?.endsWith('.js')) return send(404, 'text/plain', 'not found');
  try {
    send(200, 'text/javascript; charset=utf-8', await readDist(file));
  } catch (error) {
    // The reason goes in the status line too, where the test's load error reports it.
    const reason = (error instanceof Error ? error.message : String(error)).replace(/[^\x20-\x7e]/g, ' ');
    response.writeHead(500, reason, { 'content-type': 'text/plain' }).end(reason);
  }
}

/**
 * Starts a page server on 127.0.0.1, port 0.
 *
 * @param options - `cacheable`: serve without `Cache-Control: no-store`, so pages may enter the back/forward cache
 */
export async function startPageServer(options: { readonly cacheable?: boolean } = {}): Promise<PageServer> {
  const server = http.createServer((request, response) => {
    void respond(request, response, options.cacheable === true);
  });
  const port = await listenOnLoopback(server);
  return {
    pageUrl: (build) => `http://127.0.0.1:${port}/${build}.html`,
    elsewhereUrl: `http://127.0.0.1:${port}/elsewhere.html`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
