/**
 * The two builds, as applications get them from the installed tarball:
 * bundlers in production mode (Vite, webpack, esbuild with the condition)
 * pick the `production` files, whose errors are short; Node, a bundler
 * without the condition and the development script tag get the full
 * messages; the default script tag is the production one. Each bundle is
 * run in a page-like sandbox over an echo socket.
 */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserEntry } from './consumers.js';
import {
  browserSandbox,
  bundle,
  describeRun,
  distFile,
  echoSocketStub,
  globalsReadOnImport,
  installTarball,
  packTarball,
  removeTree,
  repoRoot,
  reportChannel,
  runNode,
  type ConsumerRoot,
  type Tarball,
} from './support.js';

const slow = 120_000;

/** A bad option: the error it throws tells the builds apart. */
const badOption = `new ResilientWebSocket('wss://app.example/live', [], { heartbeat: { intervalMs: -1 } })`;

/** What each build says about {@link badOption}: same class and code, the option named in both. */
const messages = {
  development: { name: 'RangeError', code: 'ERR_INVALID_OPTION', message: 'Expected `heartbeat.intervalMs` to be a finite number of milliseconds ≥ 1, got -1' },
  production: { name: 'RangeError', code: 'ERR_INVALID_OPTION', message: 'Invalid `heartbeat.intervalMs`, got -1 (ERR_INVALID_OPTION)' },
} as const;

/** The consumer application: the bad option's error, then {@link browserEntry}'s exchange over the socket. */
const entry = `let rejected;
try { ${badOption}; } catch (error) { rejected = { name: error.name, code: error.code, message: error.message }; }
const report = (value) => globalThis.report({ ...value, rejected });
${browserEntry.replace(/^import .*$/m, '')}`;

/** The application as a module importing the package. */
const application = `import { ResilientWebSocket, classifyCode } from 'resilient-websocket';\n${entry}`;

/** What the application reports, whichever build it runs on, apart from the error. */
const exchange = {
  log: ['open', 'message hello from the browser', 'close 1000 normal'],
  url: 'wss://app.example/live',
  readyState: 3,
  application: 'application',
};

/** Runs a script in a page-like sandbox and returns what it reported. */
async function runInPage(code: string): Promise<unknown> {
  const stub = echoSocketStub();
  const { report, received } = reportChannel<unknown>();
  vm.runInContext(code, browserSandbox({ WebSocket: stub.Impl, report }));
  return JSON.parse(JSON.stringify(await received)) as unknown;
}

let tarball: Tarball | undefined;
let consumers: ConsumerRoot | undefined;

function installed(): ConsumerRoot {
  if (consumers === undefined) throw new Error('beforeAll did not install the tarball');
  return consumers;
}

beforeAll(async () => {
  tarball = await packTarball();
  consumers = await installTarball(tarball.file, ['react', 'vue', 'ws']); // what the wrapper and server applications import
}, 180_000);

afterAll(async () => {
  if (tarball) await removeTree(path.dirname(tarball.file));
  if (consumers) await removeTree(consumers.dir);
});

/**
 * Builds the application with a bundler's own API in a child process, as
 * its command line would: no `NODE_ENV` inherited from the test runner, so
 * the bundler's production mode decides. Returns the bundle's code.
 */
async function buildWith(name: 'vite' | 'webpack', app: { readonly name: string; readonly main: string } = { name: `${name}-app`, main: application }): Promise<string> {
  const modules = path.join(repoRoot, 'node_modules');
  const scripts = {
    vite: `import { build } from ${JSON.stringify(path.join(modules, 'vite', 'dist', 'node', 'index.js'))};
await build({ root: process.cwd(), logLevel: 'silent', configFile: false,
  build: { outDir: 'out', minify: true, lib: { entry: 'main.js', formats: ['iife'], name: 'app', fileName: () => 'app.js' } } });`,
    webpack: `import webpack from ${JSON.stringify(path.join(modules, 'webpack', 'lib', 'index.js'))};
const stats = await new Promise((resolve, reject) => webpack({ mode: 'production', target: 'web', context: process.cwd(), entry: './main.js',
  output: { path: process.cwd() + '/out', filename: 'app.js' } }, (error, result) => (error ? reject(error) : resolve(result))));
if (stats.hasErrors()) throw new Error(stats.toString('errors-only'));`,
  };
  const dir = await installed().project(app.name, {
    'package.json': { name: app.name, private: true, type: 'module' },
    'main.js': app.main,
    // A shell without NODE_ENV: the runner's 'test' must not leak into the bundler.
    'build.mjs': `delete process.env.NODE_ENV;\n${scripts[name]}\n`,
  });
  const result = await runNode(['build.mjs'], { cwd: dir, timeoutMs: slow });
  expect(result.code, describeRun(result)).toBe(0);
  return readFile(path.join(dir, 'out', 'app.js'), 'utf8');
}

describe('a production build of an application', () => {
  it.each(['vite', 'webpack'] as const)('should get the production files from %s, with short messages and the same behaviour', { timeout: slow }, async (bundler) => {
    const code = await buildWith(bundler);
    expect(code).not.toContain('Expected `');
    expect(await runInPage(code)).toEqual({ ...exchange, rejected: messages.production });
  });

  it('should get the production file from esbuild with the production condition, and the development one without it', { timeout: 60_000 }, async () => {
    const dir = await installed().project('esbuild-app', { 'package.json': { name: 'esbuild-app', private: true, type: 'module' } });
    const packageDir = installed().packageDir;
    for (const [mode, file] of [['production', 'index.production.js'], ['development', 'index.js']] as const) {
      const { code, modules } = await bundle({ contents: application, resolveDir: dir, format: 'iife', conditions: mode === 'production' ? ['production'] : [] });
      expect(modules, mode).toEqual([path.join(packageDir, 'dist', file)]);
      expect(await runInPage(code), mode).toEqual({ ...exchange, rejected: messages[mode] });
    }
  });
});

/**
 * An application of each framework wrapper: it passes a bad wrapper option
 * (the wrapper checks it before it calls the framework, so this runs
 * outside a component) and reports the error.
 */
const wrapperApps = [
  { subpath: 'react', name: 'useResilientWebSocket', call: `useResilientWebSocket('wss://app.example/live', { share: 'yes' })` },
  { subpath: 'vue', name: 'useResilientWebSocket', call: `useResilientWebSocket('wss://app.example/live', { share: 'yes' })` },
  { subpath: 'svelte', name: 'resilientWebSocket', call: `resilientWebSocket('wss://app.example/live', { share: 'yes' })` },
] as const;

describe('a production build of an application using a framework wrapper', () => {
  it.each(wrapperApps)('should get the production files of resilient-websocket/$subpath from Vite: no development message, the short error', { timeout: slow }, async ({ subpath, name, call }) => {
    const main = `import { ${name} } from 'resilient-websocket/${subpath}';
try { ${call}; } catch (error) { globalThis.rejected = { name: error.name, code: error.code, message: error.message }; }`;
    const code = await buildWith('vite', { name: `vite-${subpath}-app`, main });
    // The wrapper's own messages and the core's, as the development files word them.
    for (const development of ['Expected `', 'Expected \\`', 'to be a boolean', 'to be a function']) expect(code, development).not.toContain(development);
    const page = browserSandbox({ WebSocket: echoSocketStub().Impl, process: { env: { NODE_ENV: 'production' } } });
    vm.runInContext(code, page);
    expect(JSON.parse(JSON.stringify(vm.runInContext('globalThis.rejected', page)))).toEqual({ name: 'TypeError', code: 'ERR_INVALID_OPTION', message: 'Invalid `share`, got "yes" (ERR_INVALID_OPTION)' });
  });
});

describe('Node', () => {
  it.each([
    ['', 'index.js', 'development'],
    ['--conditions=production', 'index.production.js', 'production'],
  ] as const)('should load a working build (node %s: dist/%s)', { timeout: 60_000 }, async (flag, file, mode) => {
    const dir = await installed().project(`node-${mode}`, {
      'package.json': { name: `node-${mode}`, private: true, type: 'module' },
      'index.js': `import { ResilientWebSocket } from 'resilient-websocket';
const resolved = import.meta.resolve('resilient-websocket');
try { ${badOption}; } catch (error) { console.log(JSON.stringify({ resolved, name: error.name, code: error.code, message: error.message })); }`,
    });
    const result = await runNode([...(flag ? [flag] : []), 'index.js'], { cwd: dir, timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(0);
    const { resolved, ...error } = JSON.parse(result.stdout.trim()) as { resolved: string };
    expect(resolved.endsWith(`/dist/${file}`), resolved).toBe(true);
    expect(error).toEqual(messages[mode]);
  });

  it.each([
    ['', 'server.js', 'Expected `logger` to be a function or false, got 42'],
    ['--conditions=production', 'server.production.js', 'Invalid `logger`, got 42 (ERR_INVALID_OPTION)'],
  ] as const)('should load a working server companion (node %s: dist/%s)', { timeout: 60_000 }, async (flag, file, message) => {
    const name = `server-${file.replace(/\W/g, '-')}`;
    const dir = await installed().project(name, {
      'package.json': { name, private: true, type: 'module' },
      'index.js': `import { WebSocketServer } from 'ws';
import { ServerCompanion } from 'resilient-websocket/server';
const resolved = import.meta.resolve('resilient-websocket/server');
const wss = new WebSocketServer({ noServer: true });
new ServerCompanion(wss).close(); // a working companion in either build
try { new ServerCompanion(wss, { logger: 42 }); } catch (error) { console.log(JSON.stringify({ resolved, name: error.name, code: error.code, message: error.message })); }`,
    });
    const result = await runNode([...(flag ? [flag] : []), 'index.js'], { cwd: dir, timeoutMs: 30_000 });
    expect(result.code, describeRun(result)).toBe(0);
    const { resolved, ...error } = JSON.parse(result.stdout.trim()) as { resolved: string };
    expect(resolved.endsWith(`/dist/${file}`), resolved).toBe(true);
    expect(error).toEqual({ name: 'TypeError', code: 'ERR_INVALID_OPTION', message });
  });

  it.each(['index.production.js', 'index.production.cjs'])('should read no browser global on import of dist/%s but the feature-tested ones', { timeout: 60_000 }, async (file) => {
    const { reads } = await globalsReadOnImport(distFile(file), file.endsWith('.cjs') ? 'require' : 'import');
    expect(reads.filter((name) => name !== 'WebSocket' && name !== 'CloseEvent')).toEqual([]);
  });
});

describe('the script-tag files', () => {
  it.each([
    ['resilient-websocket.umd.js', 'production'],
    ['resilient-websocket.umd.development.js', 'development'],
  ] as const)('should define a working global ResilientWebSocket from dist/%s (%s messages)', { timeout: 60_000 }, async (file, mode) => {
    const script = await readFile(path.join(installed().packageDir, 'dist', file), 'utf8');
    const code = `${script}\nconst { classifyCode } = ResilientWebSocket;\n${entry}`;
    expect(await runInPage(code)).toEqual({ ...exchange, rejected: messages[mode] });
  });

  it.each(['resilient-websocket.umd.js', 'resilient-websocket.umd.development.js'])(
    'should leave diagnose to dist/resilient-websocket.diagnose.umd.js, which adds it to the global class of dist/%s',
    { timeout: 60_000 },
    async (file) => {
      const dist = path.join(installed().packageDir, 'dist');
      const page = browserSandbox({ WebSocket: echoSocketStub().Impl, report: () => undefined });
      vm.runInContext(await readFile(path.join(dist, file), 'utf8'), page);
      expect(vm.runInContext('typeof ResilientWebSocket.diagnose', page)).toBe('undefined');
      vm.runInContext(await readFile(path.join(dist, 'resilient-websocket.diagnose.umd.js'), 'utf8'), page);
      expect(vm.runInContext('ResilientWebSocket.diagnose([]).summary', page)).toBe('no close to diagnose');
    },
  );

  it('should say which file to load first when the diagnosis file comes without the class', { timeout: 60_000 }, async () => {
    const script = await readFile(path.join(installed().packageDir, 'dist', 'resilient-websocket.diagnose.umd.js'), 'utf8');
    expect(() => {
      vm.runInContext(script, browserSandbox({}));
    }).toThrow('resilient-websocket.diagnose.umd.js: load resilient-websocket.umd.js first');
  });
});
