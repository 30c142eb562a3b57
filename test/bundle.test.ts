import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

const dist = (file: string): string => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const umdSource = (): string => readFileSync(dist('resilient-websocket.umd.js'), 'utf8');

/** A minimal WebSocket for a sandbox, so the bundle can construct without a network. */
const sandboxGlobals = (): Record<string, unknown> => ({
  EventTarget,
  Event,
  MessageEvent,
  DOMException,
  URL,
  queueMicrotask,
  setTimeout,
  clearTimeout,
  WebSocket: class {
    static instances = 0;
    readyState = 0;
    constructor() {
      (this.constructor as unknown as { instances: number }).instances++;
    }
    close(): void {
      this.readyState = 3;
    }
  },
});

describe('the script-tag bundle', () => {
  it('should expose the class itself as the global ResilientWebSocket, with the other exports as statics', () => {
    const context = vm.createContext(sandboxGlobals());
    vm.runInContext(umdSource(), context);
    const result = vm.runInContext(
      `const ws = new ResilientWebSocket('ws://127.0.0.1:9/');
       const out = { url: ws.url, readyState: ws.readyState, statics: typeof ResilientWebSocket.classifyCode,
                     cls: ResilientWebSocket.classifyCode(1006), created: WebSocket.instances };
       ws.dispose();
       out`,
      context,
    );
    expect(result).toEqual({ url: 'ws://127.0.0.1:9/', readyState: 0, statics: 'function', cls: 'abnormal', created: 1 });
  });

  it('should register an anonymous module under an AMD define', () => {
    const defined: unknown[] = [];
    const define = Object.assign((deps: unknown, factory: () => unknown) => defined.push(deps, factory()), { amd: {} });
    const context = vm.createContext({ ...sandboxGlobals(), define });
    vm.runInContext(umdSource(), context);
    expect(defined[0]).toEqual([]);
    expect(typeof defined[1]).toBe('function');
    expect((defined[1] as { CLOSED: number }).CLOSED).toBe(3);
    expect(vm.runInContext('typeof ResilientWebSocket', context)).toBe('undefined');
  });

  it('should export the class through module.exports under CommonJS', () => {
    const module = { exports: {} as unknown };
    const context = vm.createContext({ ...sandboxGlobals(), module, exports: module.exports });
    vm.runInContext(umdSource(), context);
    const Class = module.exports as { with: unknown; OPEN: number; presets: unknown };
    expect(typeof Class.with).toBe('function');
    expect(Class.OPEN).toBe(1);
    expect(Class.presets).toHaveProperty('graphqlWs');
  });
});

describe('the npm entry points', () => {
  it('should resolve the package name to the ESM build for import and the CommonJS build for require', async () => {
    const require = createRequire(import.meta.url);
    expect(require.resolve('resilient-websocket')).toBe(dist('index.cjs'));
    const packageName = 'resilient-websocket';
    const esm = (await import(packageName)) as Record<string, unknown>;
    expect(esm.ResilientWebSocket).toBe(((await import(dist('index.js'))) as Record<string, unknown>).ResilientWebSocket);
  });

  it('should load the ESM build with the public exports', async () => {
    const esm = (await import(dist('index.js'))) as Record<string, unknown>;
    expect(typeof esm.ResilientWebSocket).toBe('function');
    expect(typeof esm.classifyClose).toBe('function');
  });

  it('should load the CommonJS build through require, with the same exports as the ESM build', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require(dist('index.cjs')) as Record<string, unknown>;
    const esm = (await import(dist('index.js'))) as Record<string, unknown>;
    expect(typeof cjs.ResilientWebSocket).toBe('function');
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(esm).sort());
  });
});
