/**
 * Helpers for the package tests: they look at the package the way its users
 * get it (the tarball `npm pack` makes, the built files in `dist/`), not at
 * the sources. Every child process and every wait is bounded.
 *
 * @module
 */

import { execFile } from 'node:child_process';
import { access, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';

/** The repository root (where package.json is), with no trailing separator. */
export const repoRoot = path.resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** The absolute path of a built file, e.g. `distFile('index.cjs')`. */
export const distFile = (file: string): string => path.join(repoRoot, 'dist', file);

/** The files `npm run build` makes and the package exposes. */
export const builtFiles = ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'resilient-websocket.umd.js'] as const;

/** What a finished child process left behind. */
export interface RunResult {
  /** The exit code; `null` when the process was killed (timeout) or could not start. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link run}. */
export interface RunOptions {
  /** The working directory. @defaultValue the repository root */
  readonly cwd?: string;
  /** Kill the process after this many ms. @defaultValue `60_000` */
  readonly timeoutMs?: number;
}

/**
 * Runs a command to completion without a shell and never rejects: a
 * non-zero exit, a timeout or a missing command all resolve, with `code`
 * telling which, so a test can assert on the outcome and print the output.
 */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const { cwd = repoRoot, timeoutMs = 60_000 } = options;
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) {
        resolve({ code: 0, stdout, stderr });
        return;
      }
      const code = typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr: code === null ? `${stderr}\n${error.message}` : stderr });
    });
  });
}

/** Runs a Node script file (or `-e` code) with the Node running the tests. */
export function runNode(args: readonly string[], options?: RunOptions): Promise<RunResult> {
  return run(process.execPath, args, options);
}

/** A result's output, for failure messages. */
export function describeRun(result: RunResult): string {
  return `exit ${String(result.code)}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}

/** Makes a fresh directory under the system temp directory. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `rws-${prefix}-`));
}

/** Removes a directory tree made by a test (ignores a missing one). */
export function removeTree(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/** Fails with a clear message when `dist/` is missing a built file. */
export async function assertBuilt(): Promise<void> {
  for (const file of builtFiles) {
    try {
      await access(distFile(file));
    } catch {
      throw new Error(`dist/${file} is missing: run \`npm run build\` first (\`npm test\` does it).`);
    }
  }
}

/** The tarball `npm pack` made. */
export interface Tarball {
  /** Its absolute path. */
  readonly file: string;
  /** The paths it holds, relative to the package root (`package/` stripped). */
  readonly files: readonly string[];
}

let packed: Promise<Tarball> | undefined;

/**
 * Packs the package with `npm pack` (scripts skipped: the build is
 * `npm test`'s `pretest`), once per test file: later calls share the
 * first one's tarball. The tarball lives in its own temp directory; remove
 * it with {@link removeTree} on `path.dirname(file)`.
 */
export function packTarball(): Promise<Tarball> {
  packed ??= (async () => {
    await assertBuilt();
    const dir = await tempDir('pack');
    const result = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { timeoutMs: 120_000 });
    if (result.code !== 0) throw new Error(`npm pack failed: ${describeRun(result)}`);
    const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
    if (info === undefined) throw new Error(`npm pack printed no package: ${result.stdout}`);
    return { file: path.join(dir, path.basename(info.filename)), files: info.files.map((f) => f.path) };
  })();
  return packed;
}

/** Modules from the repository's own `node_modules` that consumer projects may link. */
export type Linkable = 'ws' | '@types/node' | '@types/ws' | 'react' | 'vue';

/** A directory where the tarball is installed, with consumer projects beneath it. */
export interface ConsumerRoot {
  /** The root directory; consumer projects are its subdirectories and resolve the package from its `node_modules`. */
  readonly dir: string;
  /** Where the tarball was extracted: `<dir>/node_modules/resilient-websocket`. */
  readonly packageDir: string;
  /**
   * Writes a consumer project `<dir>/<name>` from a map of relative paths
   * to contents (objects are written as JSON) and returns its directory.
   */
  project(name: string, files: Readonly<Record<string, string | object>>): Promise<string>;
}

/**
 * Installs `tarball` as users get it: extracted (it has no dependencies)
 * into `node_modules/resilient-websocket` of a fresh temp directory, next
 * to symlinks to the repository's copies of `links`. No registry is used.
 */
export async function installTarball(tarball: string, links: readonly Linkable[] = []): Promise<ConsumerRoot> {
  const dir = await tempDir('consumer');
  const packageDir = path.join(dir, 'node_modules', 'resilient-websocket');
  await mkdir(packageDir, { recursive: true });
  const untar = await run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
  if (untar.code !== 0) throw new Error(`tar failed: ${describeRun(untar)}`);
  for (const name of links) {
    const target = path.join(dir, 'node_modules', name);
    await mkdir(path.dirname(target), { recursive: true });
    await symlink(path.join(repoRoot, 'node_modules', name), target, 'dir');
  }
  return {
    dir,
    packageDir,
    async project(name, files) {
      const projectDir = path.join(dir, name);
      for (const [file, contents] of Object.entries(files)) {
        const target = path.join(projectDir, file);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, typeof contents === 'string' ? contents : `${JSON.stringify(contents, null, 2)}\n`);
      }
      return projectDir;
    },
  };
}

/** One diagnostic from `tsc`. */
export interface TscError {
  /** The file, relative to the project directory (or absolute outside it). */
  readonly file: string;
  readonly line: number;
  /** E.g. `TS2339`. */
  readonly code: string;
  readonly message: string;
}

/** The outcome of {@link typeCheck}. */
export interface TypeCheckResult extends RunResult {
  readonly errors: readonly TscError[];
  /** Every file the program included (`--listFiles`), absolute. */
  readonly files: readonly string[];
}

/**
 * Type-checks a project with the repository's TypeScript, as the project's
 * own `tsc -p` would (`--listFiles` added, so a test can see which
 * declaration file a module resolution picked).
 */
export async function typeCheck(projectDir: string, config = 'tsconfig.json'): Promise<TypeCheckResult> {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await runNode([tsc, '-p', config, '--listFiles', '--pretty', 'false'], { cwd: projectDir, timeoutMs: 120_000 });
  const errors: TscError[] = [];
  const files: string[] = [];
  for (const line of result.stdout.split(/\r?\n/)) {
    const match = /^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/.exec(line);
    if (match) errors.push({ file: match[1]!, line: Number(match[2]), code: match[3]!, message: match[4]! });
    else if (path.isAbsolute(line.trim())) files.push(line.trim());
  }
  return { ...result, errors, files };
}

/** The name the bundled entry gets (it comes from memory, not from a file). */
const entryName = 'entry.js';

/** Options of {@link bundle}. */
export interface BundleOptions {
  /** The entry's source code. */
  readonly contents: string;
  /** Where the entry's imports resolve from. */
  readonly resolveDir: string;
  /** @defaultValue `'esm'` */
  readonly format?: 'esm' | 'iife';
  /** Extra export conditions, as a bundler in production mode adds `production`. @defaultValue none */
  readonly conditions?: readonly string[];
}

/** A bundle and what went into it. */
export interface Bundle {
  /** The bundled code. */
  readonly code: string;
  /** The files the entry pulled in, absolute (the entry itself left out). */
  readonly modules: readonly string[];
}

/**
 * Bundles `contents` for the browser as an application's bundler would:
 * esbuild, `platform: 'browser'`, bundle and minify, in memory.
 */
export async function bundle({ contents, resolveDir, format = 'esm', conditions = [] }: BundleOptions): Promise<Bundle> {
  const result = await esbuild.build({
    conditions: [...conditions],
    stdin: { contents, resolveDir, sourcefile: entryName, loader: 'js' },
    absWorkingDir: resolveDir,
    bundle: true,
    minify: true,
    format,
    platform: 'browser',
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild wrote no output');
  const modules = Object.keys(result.metafile.inputs).map((input) => path.resolve(resolveDir, input));
  return { code: output.text, modules: modules.filter((file) => file !== path.join(resolveDir, entryName)) };
}

/** The brotli-compressed size of `code`, in bytes (default quality, as size tools measure). */
export function brotliSize(code: string): number {
  return zlib.brotliCompressSync(Buffer.from(code)).length;
}

/**
 * Globals that exist only in browsers. A module that reads one while it is
 * imported breaks (or misbehaves) when a server renders the page.
 */
export const browserGlobals = [
  'window',
  'self',
  'document',
  'navigator',
  'location',
  'history',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'matchMedia',
  'requestAnimationFrame',
  'addEventListener',
  'removeEventListener',
  'XMLHttpRequest',
  'WebSocket',
  'CloseEvent',
] as const;

/** The code of {@link globalsReadOnImport}'s child: traps the globals, loads the module, reports. */
const importProbe = `
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const [file, how, names] = process.argv.slice(1);
const reads = new Set();
for (const name of JSON.parse(names)) {
  const original = Object.getOwnPropertyDescriptor(globalThis, name);
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() {
      reads.add(name);
      return original?.get ? original.get.call(globalThis) : original?.value;
    },
    set(value) {
      reads.add(name);
      Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
    },
  });
}
const api = how === 'require' ? createRequire(file)(file) : await import(/^(?:data|file):/.test(file) ? file : pathToFileURL(file).href);
const readDuringImport = [...reads];
process.stdout.write(JSON.stringify({ reads: readDuringImport, exports: Object.keys(api).sort() }));
`;

/** What importing a module touched. */
export interface ImportProbe {
  /** The {@link browserGlobals} read (or written) while the module loaded, in first-read order. */
  readonly reads: readonly string[];
  /** The module's export names, sorted. */
  readonly exports: readonly string[];
}

/**
 * Loads `file` (a path, or a `data:` URL to import) in a fresh Node
 * process (ESM `import` or CommonJS `require`) with an accessor installed on `globalThis` for each of
 * {@link browserGlobals}, and reports which were read during the import.
 * Each accessor returns what Node itself has (usually nothing), so the
 * import sees a server.
 */
export async function globalsReadOnImport(file: string, how: 'import' | 'require'): Promise<ImportProbe> {
  const result = await runNode(['--input-type=module', '-e', importProbe, file, how, JSON.stringify(browserGlobals)], { timeoutMs: 30_000 });
  if (result.code !== 0) throw new Error(`loading ${file} failed: ${describeRun(result)}`);
  return JSON.parse(result.stdout) as ImportProbe;
}

/** A close as a socket stub reports it. */
interface StubClose {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/**
 * A WebSocket class for a sandbox with no network: each instance opens on
 * the next task, echoes every message and closes cleanly when asked. The
 * URLs it was constructed with are recorded in `urls`.
 */
export function echoSocketStub(): { readonly Impl: new (url: string) => object; readonly urls: string[] } {
  const urls: string[] = [];
  class EchoSocket {
    readyState = 0;
    protocol = '';
    extensions = '';
    bufferedAmount = 0;
    binaryType = 'blob';
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: { data: unknown }) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    onclose: ((event: StubClose) => void) | null = null;

    constructor(url: string) {
      urls.push(url);
      setTimeout(() => {
        if (this.readyState !== 0) return;
        this.readyState = 1;
        this.onopen?.(new Event('open'));
      }, 0);
    }

    send(data: unknown): void {
      if (this.readyState !== 1) throw new DOMException('not open', 'InvalidStateError');
      setTimeout(() => this.onmessage?.({ data }), 0);
    }

    close(code?: number, reason = ''): void {
      if (this.readyState >= 2) return;
      this.readyState = 2;
      setTimeout(() => {
        this.readyState = 3;
        this.onclose?.({ code: code ?? 1005, reason, wasClean: true });
      }, 0);
    }
  }
  return { Impl: EchoSocket, urls };
}

/**
 * A `vm` context that looks like a browser page and nothing else: the DOM
 * event classes, timers, `URL`, `window`/`self` (the global itself),
 * `document`, `navigator`, `location` and global `addEventListener`, plus
 * `extra` (e.g. a `WebSocket`). Node's globals (`process`, `require`,
 * `Buffer`, `setImmediate`...) are absent, so code that reaches for them throws.
 */
export function browserSandbox(extra: Readonly<Record<string, unknown>>): vm.Context {
  const page = new EventTarget();
  const context = vm.createContext({
    EventTarget,
    Event,
    MessageEvent,
    DOMException,
    URL,
    Blob,
    TextEncoder,
    queueMicrotask,
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    console,
    document: Object.assign(new EventTarget(), { visibilityState: 'visible' }),
    navigator: { onLine: true, userAgent: 'sandbox' },
    location: { href: 'https://app.example/', protocol: 'https:', host: 'app.example' },
    addEventListener: page.addEventListener.bind(page),
    removeEventListener: page.removeEventListener.bind(page),
    ...extra,
  });
  vm.runInContext('globalThis.window = globalThis.self = globalThis;', context);
  return context;
}

/** Resolves with the first value passed to the returned `report`, or rejects after `timeoutMs`. */
export function reportChannel<T>(timeoutMs = 10_000): { readonly report: (value: T) => void; readonly received: Promise<T> } {
  let report!: (value: T) => void;
  const received = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`nothing reported within ${timeoutMs} ms`));
    }, timeoutMs);
    report = (value) => {
      clearTimeout(timer);
      resolve(value);
    };
  });
  return { report, received };
}
