/**
 * The package as `npm pack` makes it, installed into throwaway consumer
 * projects: Node (ESM and CommonJS) over a real `ws` server, TypeScript
 * under each module resolution, a browser bundle, the script-tag file, and
 * the publint and attw verdicts. The tarball is packed once for the file.
 */

import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/ws-server.js';
import { browserEntry, nodeEchoScript, nodeOnlyTypeScriptProject, typeScriptProject, wrongConsumerErrors, type EchoOutput, type TypeScriptSetup } from './consumers.js';
import {
  browserSandbox,
  bundle,
  describeRun,
  echoSocketStub,
  installTarball,
  packTarball,
  removeTree,
  reportChannel,
  repoRoot,
  runNode,
  typeCheck,
  type ConsumerRoot,
  type Tarball,
} from './support.js';

const slow = 120_000;

let tarball: Tarball | undefined;
let consumers: ConsumerRoot | undefined;

/** The packed tarball and the consumer root it is installed in; only valid inside tests. */
function installed(): { tarball: Tarball; consumers: ConsumerRoot } {
  if (tarball === undefined || consumers === undefined) throw new Error('beforeAll did not install the tarball');
  return { tarball, consumers };
}

beforeAll(async () => {
  tarball = await packTarball();
  consumers = await installTarball(tarball.file, ['ws', '@types/node', '@types/ws']);
}, 180_000);

afterAll(async () => {
  if (tarball) await removeTree(path.dirname(tarball.file));
  if (consumers) await removeTree(consumers.dir);
});

/** The relative file paths a package.json field value names: a string, or the leaves of a conditions object. */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return [path.posix.normalize(value)];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(targets);
  return [];
}

describe('the tarball', () => {
  it('should hold dist/, README.md, LICENSE and package.json, and nothing else', () => {
    const { files } = installed().tarball;
    expect(files.filter((file) => !file.startsWith('dist/') && !['README.md', 'LICENSE', 'package.json'].includes(file))).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts', 'dist/resilient-websocket.umd.js', 'dist/resilient-websocket.diagnose.umd.js']),
    );
  });

  it('should hold every file that main, module, types, exports, unpkg and jsdelivr name', async () => {
    const { tarball, consumers } = installed();
    const manifest = JSON.parse(await readFile(path.join(consumers.packageDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    const named = ['main', 'module', 'types', 'exports', 'unpkg', 'jsdelivr'].flatMap((field) => targets(manifest[field]));
    expect(named.length).toBeGreaterThanOrEqual(8);
    expect(named.filter((file) => !tarball.files.includes(file))).toEqual([]);
  });

  it('should ship source maps that carry their sources, since src/ is not published', async () => {
    const { consumers } = installed();
    for (const file of ['index.js', 'index.cjs']) {
      const code = await readFile(path.join(consumers.packageDir, 'dist', file), 'utf8');
      expect(code.trimEnd().endsWith(`//# sourceMappingURL=${file}.map`), file).toBe(true);
      const map = JSON.parse(await readFile(path.join(consumers.packageDir, 'dist', `${file}.map`), 'utf8')) as { sources: string[]; sourcesContent?: (string | null)[] };
      expect(map.sources.length, file).toBeGreaterThan(0);
      expect(map.sourcesContent?.filter((source) => typeof source === 'string' && source.length > 0)).toHaveLength(map.sources.length);
    }
  });

  it('should pass publint --strict', { timeout: slow }, async () => {
    const data = await readFile(installed().tarball.file);
    const { messages, pkg } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }, strict: true });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg) ?? message.code}`)).toEqual([]);
  });

  it('should pass attw, with each resolution finding the declarations that match its module format', { timeout: slow }, async () => {
    const cli = path.join(repoRoot, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    // --no-definitely-typed: no registry lookup of @types/resilient-websocket.
    const result = await runNode([cli, installed().tarball.file, '--format', 'json', '--no-definitely-typed'], { timeoutMs: slow });
    expect(result.code, describeRun(result)).toBe(0);
    const { analysis } = JSON.parse(result.stdout) as {
      analysis: { problems: unknown[]; entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }> };
    };
    expect(analysis.problems).toEqual([]);
    const resolved = Object.fromEntries(Object.entries(analysis.entrypoints['.']?.resolutions ?? {}).map(([kind, r]) => [kind, r.resolution?.fileName]));
    expect(resolved).toEqual({
      // node10 (moduleResolution "node") ignores exports and reads `types`.
      node10: '/node_modules/resilient-websocket/dist/index.d.ts',
      'node16-cjs': '/node_modules/resilient-websocket/dist/index.d.cts',
      'node16-esm': '/node_modules/resilient-websocket/dist/index.d.ts',
      bundler: '/node_modules/resilient-websocket/dist/index.d.ts',
    });
  });
});

describe('Node programs using the installed tarball', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['esm', 'index.js'],
    ['cjs', 'index.cjs'],
  ] as const)('should exchange a message with a ws server when loaded as %s (from dist/%s)', { timeout: 60_000 }, async (format, build) => {
    const { consumers } = installed();
    const message = `hello from ${format}`;
    const dir = await consumers.project(`echo-${format}`, nodeEchoScript(format, message));
    const result = await runNode(['index.js', server.url], { cwd: dir, timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(0);
    const output = JSON.parse(result.stdout.trim()) as EchoOutput;
    expect(output).toEqual({
      resolved: path.join(await realpath(consumers.packageDir), 'dist', build),
      abnormal: 'abnormal',
      echo: message,
      close: { code: 1000, wasClean: true, class: 'normal' },
    });
    expect(server.messages).toContain(message);
  });
});

describe('the Node-only parts of the installed tarball', () => {
  it.each([
    ['esm', 'server.js', `import { ServerCompanion } from 'resilient-websocket/server';\nimport { WebSocketServer } from 'ws';\nimport { fileURLToPath } from 'node:url';\nconst resolved = fileURLToPath(import.meta.resolve('resilient-websocket/server'));\n`],
    ['cjs', 'server.cjs', `const { ServerCompanion } = require('resilient-websocket/server');\nconst { WebSocketServer } = require('ws');\nconst resolved = require.resolve('resilient-websocket/server');\n`],
  ] as const)('should load resilient-websocket/server as %s (from dist/%s) and attach it to a ws server', { timeout: 60_000 }, async (format, build, head) => {
    const { consumers } = installed();
    const body = `const wss = new WebSocketServer({ noServer: true });\nconst companion = new ServerCompanion(wss);\ncompanion.close();\nwss.close();\nconsole.log(JSON.stringify({ resolved, listeners: wss.listenerCount('connection') }));\n`;
    const dir = await consumers.project(`server-${format}`, { 'package.json': { name: `server-${format}`, private: true, type: format === 'esm' ? 'module' : 'commonjs' }, 'index.js': head + body });
    const result = await runNode(['index.js'], { cwd: dir, timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(0);
    expect(JSON.parse(result.stdout.trim())).toEqual({ resolved: path.join(await realpath(consumers.packageDir), 'dist', build), listeners: 0 });
  });

  it('should ship the resilient-websocket command its bin names', { timeout: 60_000 }, async () => {
    const { consumers } = installed();
    const manifest = JSON.parse(await readFile(path.join(consumers.packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const result = await runNode([path.join(consumers.packageDir, manifest.bin['resilient-websocket'] ?? 'missing'), '--help'], { cwd: consumers.dir });
    expect(result.code, describeRun(result)).toBe(0);
    expect(result.stdout).toContain('Usage: resilient-websocket probe <url> [options]');
  });
});

describe('TypeScript projects using the installed tarball', () => {
  const setups: [string, TypeScriptSetup, string][] = [
    ['bundler', { type: 'module', module: 'ESNext', moduleResolution: 'Bundler' }, 'index.d.ts'],
    ['node16, "type": "module"', { type: 'module', module: 'Node16', moduleResolution: 'Node16' }, 'index.d.ts'],
    ['node16, CommonJS', { type: 'commonjs', module: 'Node16', moduleResolution: 'Node16' }, 'index.d.cts'],
  ];

  it.each(setups)('should type-check options and typed events under %s, and reject mistakes', { timeout: slow }, async (_, setup, declarations) => {
    const dir = await installed().consumers.project(`ts-${setup.moduleResolution}-${setup.type}`, typeScriptProject(setup));
    const [good, wrong] = await Promise.all([typeCheck(dir), typeCheck(dir, 'tsconfig.wrong.json')]);

    expect(good.errors).toEqual([]);
    expect(good.code, describeRun(good)).toBe(0);
    const used = good.files.filter((file) => file.includes(`${path.sep}resilient-websocket${path.sep}`)).map((file) => path.basename(file));
    expect(used).toEqual([declarations]);

    expect(wrong.code).not.toBe(0);
    expect(wrong.errors).toEqual(wrongConsumerErrors.map((e) => ({ file: e.file, line: e.line, code: e.code, message: expect.stringMatching(e.message) })));
  });

  it('should type-check a Node-only project (no DOM lib) that passes the ws class', { timeout: slow }, async () => {
    const dir = await installed().consumers.project('ts-node-only', nodeOnlyTypeScriptProject());
    const result = await typeCheck(dir);
    expect(result.errors).toEqual([]);
    expect(result.code, describeRun(result)).toBe(0);
  });
});

describe('a browser application bundling the installed tarball', () => {
  it('should bundle the ESM build alone, with nothing from Node, and run in a page with only browser globals', { timeout: 60_000 }, async () => {
    const { consumers } = installed();
    const dir = await consumers.project('browser-app', { 'package.json': { name: 'browser-app', private: true, type: 'module' } });
    const { code, modules } = await bundle({ contents: browserEntry, resolveDir: dir, format: 'iife' });

    expect(modules).toEqual([path.join(consumers.packageDir, 'dist', 'index.js')]);
    expect(code).not.toMatch(/\brequire\s*\(/);
    expect(code).not.toMatch(/["']node:/);
    expect(code).not.toMatch(/\b(?:process|Buffer|__dirname|__filename|setImmediate)\b/);

    const stub = echoSocketStub();
    const { report, received } = reportChannel<unknown>();
    vm.runInContext(code, browserSandbox({ WebSocket: stub.Impl, report }));
    expect(JSON.parse(JSON.stringify(await received))).toEqual({
      log: ['open', 'message hello from the browser', 'close 1000 normal'],
      url: 'wss://app.example/live',
      readyState: 3,
      application: 'application',
    });
    expect(stub.urls).toEqual(['wss://app.example/live']);
  });
});

describe('the script-tag file of the installed tarball', () => {
  it('should be what unpkg and jsdelivr serve, and define a working global ResilientWebSocket', { timeout: 60_000 }, async () => {
    const { consumers } = installed();
    const manifest = JSON.parse(await readFile(path.join(consumers.packageDir, 'package.json'), 'utf8')) as { unpkg?: string; jsdelivr?: string };
    expect(manifest.unpkg).toBeDefined();
    expect(manifest.jsdelivr).toBe(manifest.unpkg);
    const script = await readFile(path.join(consumers.packageDir, manifest.unpkg ?? ''), 'utf8');

    const stub = echoSocketStub();
    const { report, received } = reportChannel<unknown>();
    const page = browserSandbox({ WebSocket: stub.Impl, report });
    vm.runInContext(script, page, { filename: manifest.unpkg ?? '' });
    vm.runInContext(
      `const ws = new ResilientWebSocket('wss://app.example/umd');
       ws.onopen = () => ws.send('over the script tag');
       ws.onmessage = (event) => { ws.close(); report({ echo: event.data, abnormal: ResilientWebSocket.classifyCode(1006) }); };`,
      page,
    );
    expect(JSON.parse(JSON.stringify(await received))).toEqual({ echo: 'over the script tag', abnormal: 'abnormal' });
    expect(stub.urls).toEqual(['wss://app.example/umd']);
  });
});
