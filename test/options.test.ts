import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../src/core/clock.js';
import { browserEnvironment, staticEnvironment, type Environment } from '../src/core/environment.js';
import { ErrorCode } from '../src/core/errors.js';
import { defaults, normalizeOptions, type ResilientWebSocketOptions, type WebSocketConstructor } from '../src/core/options.js';
import { presets, type PolicyOptions } from '../src/core/policy.js';
import { ResilientWebSocket } from '../src/core/resilient-websocket.js';

/** Runs `fn` and returns what it threw; fails when it returns. */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw, but nothing was thrown');
}

/** Asserts an option error: its class, its code, and a message matching `message`. */
function expectOptionError(error: unknown, kind: typeof TypeError | typeof RangeError, message: RegExp): void {
  expect(error).toBeInstanceOf(kind);
  // A RangeError is not a TypeError and vice versa: the class is the contract.
  expect(error).not.toBeInstanceOf(kind === TypeError ? RangeError : TypeError);
  expect((error as { code?: unknown }).code).toBe(ErrorCode.InvalidOption);
  expect((error as Error).message).toMatch(/^Expected `[^`]+` to be .+, got .+$/);
  expect((error as Error).message).toMatch(message);
}

/** A WebSocket double that never connects: it only records that it was built and closed. */
class NeverConnects {
  static instances: NeverConnects[] = [];
  readonly url: string;
  readyState = 0;
  binaryType = 'blob';
  bufferedAmount = 0;
  protocol = '';
  extensions = '';
  onopen: unknown = null;
  onmessage: unknown = null;
  onerror: unknown = null;
  onclose: unknown = null;
  constructor(url: string) {
    this.url = url;
    NeverConnects.instances.push(this);
  }
  send(): void {}
  close(): void {
    this.readyState = 3;
  }
}
const FakeWebSocket = NeverConnects as unknown as WebSocketConstructor;

const noop = (): void => undefined;
const fakeEnvironment: Environment = { subscribe: () => noop, isOnline: () => true, isVisible: () => true };
const fakeClock: Clock = { now: () => 0, random: () => 0.5, setTimeout: () => 1, clearTimeout: noop };

describe('normalizeOptions defaults', () => {
  it('shares one frozen normalized set among sockets without options, and default groups among the rest', () => {
    const none = normalizeOptions(undefined);
    expect(normalizeOptions(undefined)).toBe(none);
    expect(Object.isFrozen(none)).toBe(true);
    const withHeartbeat = normalizeOptions({ heartbeat: true });
    expect(withHeartbeat.reconnect).toBe(none.reconnect);
    expect(withHeartbeat.buffer).toBe(none.buffer);
    expect(Object.isFrozen(none.reconnect)).toBe(true);
    expect(Object.isFrozen(none.buffer)).toBe(true);
    // A group given as an object is the socket's own.
    expect(normalizeOptions({ reconnect: { maxRetries: 3 } }).reconnect).not.toBe(none.reconnect);
  });

  it('shares one frozen normalized set among sockets whose options come out equal, and only those', () => {
    const first = normalizeOptions({ heartbeat: true });
    expect(normalizeOptions({ heartbeat: true })).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.heartbeat)).toBe(true);
    expect(normalizeOptions({ heartbeat: true, historySize: 20 })).toBe(first);
    // The same policy object is shared; another one, or another value, is not.
    const policy = { codes: { 4001: 'stop' as const } };
    const withPolicy = normalizeOptions({ policy });
    expect(withPolicy.policy).toBe(policy);
    expect(normalizeOptions({ policy })).toBe(withPolicy);
    expect(normalizeOptions({ policy: { codes: { 4001: 'stop' } } })).not.toBe(withPolicy);
    expect(normalizeOptions({ heartbeat: true, historySize: 5 })).not.toBe(first);
    expect(normalizeOptions({ heartbeat: true, historySize: 5 }).historySize).toBe(5);
  });

  it('fills every default when no options are given', () => {
    const normalized = normalizeOptions(undefined);
    expect(normalized).toEqual({
      WebSocket: undefined,
      reconnect: { ...defaults.reconnect },
      connectTimeoutMs: defaults.connectTimeoutMs,
      heartbeat: false,
      buffer: { ...defaults.buffer },
      policy: {},
      environment: browserEnvironment,
      historySize: defaults.historySize,
      clock: systemClock,
      diagnose: undefined,
      logger: undefined,
      debug: false,
    });
  });

  it('treats an empty object and null like no options at all', () => {
    const none = normalizeOptions(undefined);
    expect(normalizeOptions({})).toEqual(none);
    expect(normalizeOptions(null as unknown as ResilientWebSocketOptions)).toEqual(none);
  });

  it('keeps the documented default values', () => {
    expect(defaults).toEqual({
      reconnect: { strategy: 'spread', baseDelayMs: 1000, minDelayMs: 500, maxDelayMs: 10_000, maxRetries: Infinity, maxElapsedMs: Infinity, stableAfterMs: 10_000 },
      connectTimeoutMs: 10_000,
      heartbeat: { mode: 'active', intervalMs: 25_000, timeoutMs: 10_000, message: 'ping' },
      buffer: { maxMessages: 1000, maxBytes: 1_048_576, overflow: 'drop-oldest' },
      historySize: 20,
    });
  });

  it('keeps a WebSocket class as given', () => {
    expect(normalizeOptions({ WebSocket: FakeWebSocket }).WebSocket).toBe(FakeWebSocket);
  });
});

describe('normalizeOptions groups', () => {
  it('turns reconnect on with the defaults for true and off for false', () => {
    expect(normalizeOptions({ reconnect: true }).reconnect).toEqual(defaults.reconnect);
    expect(normalizeOptions({ reconnect: false }).reconnect).toBe(false);
  });

  it('merges a partial reconnect object over the defaults, and keeps what was given apart', () => {
    const given = { strategy: 'equal', maxRetries: 3, stableAfterMs: 0 } as const;
    expect(normalizeOptions({ reconnect: given }).reconnect).toEqual({
      ...defaults.reconnect,
      strategy: 'equal',
      maxRetries: 3,
      stableAfterMs: 0,
      given,
    });
  });

  it('keeps a copy of the reconnect fields given, not the object: changing it later changes nothing', () => {
    const given: { maxDelayMs: number } = { maxDelayMs: 4_000 };
    const reconnect = normalizeOptions({ reconnect: given }).reconnect;
    given.maxDelayMs = 1;
    expect(reconnect && reconnect.given).toEqual({ maxDelayMs: 4_000 });
  });

  it('gives no fields for reconnect true or left out: every value is the library default', () => {
    expect(normalizeOptions({}).reconnect).not.toHaveProperty('given');
    expect(normalizeOptions({ reconnect: true }).reconnect).not.toHaveProperty('given');
  });

  it('lowers the default floor to a cap below it instead of rejecting it', () => {
    const reconnect = normalizeOptions({ reconnect: { maxDelayMs: 200 } }).reconnect;
    expect(reconnect).toMatchObject({ minDelayMs: 200, maxDelayMs: 200 });
  });

  it('accepts Infinity for maxRetries and maxElapsedMs, and 0 for maxRetries', () => {
    expect(normalizeOptions({ reconnect: { maxRetries: Infinity, maxElapsedMs: Infinity } }).reconnect).toMatchObject({ maxRetries: Infinity, maxElapsedMs: Infinity });
    expect(normalizeOptions({ reconnect: { maxRetries: 0, maxElapsedMs: 0 } }).reconnect).toMatchObject({ maxRetries: 0, maxElapsedMs: 0 });
  });

  it('leaves the heartbeat off by default and for false', () => {
    expect(normalizeOptions({}).heartbeat).toBe(false);
    expect(normalizeOptions({ heartbeat: false }).heartbeat).toBe(false);
  });

  it('turns the heartbeat on with the defaults and a pong matcher for true', () => {
    const heartbeat = normalizeOptions({ heartbeat: true }).heartbeat;
    expect(heartbeat).toMatchObject(defaults.heartbeat);
    if (heartbeat === false) throw new Error('heartbeat should be on');
    expect(heartbeat.isPong('pong')).toBe(true);
    expect(heartbeat.isPong('ping')).toBe(false);
    expect(heartbeat.isPong({ type: 'pong' })).toBe(false);
  });

  it('merges a partial heartbeat object and keeps a custom message and isPong', () => {
    const isPong = (data: unknown): boolean => data === '{"type":"pong"}';
    const message = (): string => '{"type":"ping"}';
    const heartbeat = normalizeOptions({ heartbeat: { mode: 'passive', intervalMs: 5000, message, isPong } }).heartbeat;
    expect(heartbeat).toEqual({ mode: 'passive', intervalMs: 5000, timeoutMs: defaults.heartbeat.timeoutMs, message, isPong });
  });

  it('accepts binary heartbeat messages', () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(normalizeOptions({ heartbeat: { message: bytes } }).heartbeat).toMatchObject({ message: bytes });
    const buffer = new ArrayBuffer(2);
    expect(normalizeOptions({ heartbeat: { message: buffer } }).heartbeat).toMatchObject({ message: buffer });
  });

  it('turns the buffer on with the defaults for true and off for false', () => {
    expect(normalizeOptions({ buffer: true }).buffer).toEqual(defaults.buffer);
    expect(normalizeOptions({ buffer: false }).buffer).toBe(false);
  });

  it('merges a partial buffer object and allows unlimited sizes', () => {
    expect(normalizeOptions({ buffer: { maxMessages: Infinity, overflow: 'throw' } }).buffer).toEqual({
      maxMessages: Infinity,
      maxBytes: defaults.buffer.maxBytes,
      overflow: 'throw',
    });
  });

  it('uses the browser environment for true, none for false, and a custom source as given', () => {
    expect(normalizeOptions({ environment: true }).environment).toBe(browserEnvironment);
    expect(normalizeOptions({ environment: false }).environment).toBe(staticEnvironment);
    expect(normalizeOptions({ environment: fakeEnvironment }).environment).toBe(fakeEnvironment);
  });

  it('keeps a custom clock as given', () => {
    expect(normalizeOptions({ clock: fakeClock }).clock).toBe(fakeClock);
  });

  it('accepts the shipped policy presets and a policy with every kind of rule', () => {
    expect(normalizeOptions({ policy: presets.centrifugo }).policy).toBe(presets.centrifugo);
    expect(normalizeOptions({ policy: presets.graphqlWs }).policy).toBe(presets.graphqlWs);
    const policy: PolicyOptions = {
      decide: () => undefined,
      codes: { 1000: 'stop', 4001: { action: 'reconnect', delayMs: 0, maxRetries: 2 }, 4002: { action: 'stop', reason: 'banned' }, 4003: () => undefined },
      ranges: [{ from: 4100, to: 4100, rule: 'reconnect' }],
      classes: { normal: 'stop', 'try-again-later': { action: 'reconnect', minDelayMs: 1000, maxDelayMs: 30_000 } },
    };
    expect(normalizeOptions({ policy }).policy).toBe(policy);
  });

  it('accepts connectTimeoutMs false and a historySize of 0', () => {
    expect(normalizeOptions({ connectTimeoutMs: false, historySize: 0 })).toMatchObject({ connectTimeoutMs: false, historySize: 0 });
  });
});

type BadCase = readonly [name: string, options: unknown, kind: typeof TypeError | typeof RangeError, message: RegExp];

const badInputs: readonly BadCase[] = [
  ['options that are an array', [], TypeError, /`options` to be an object, got an array/],
  ['a WebSocket that is not a function', { WebSocket: 'ws' }, TypeError, /`WebSocket` to be a WebSocket class, got "ws"/],
  ['reconnect as a string', { reconnect: 'always' }, TypeError, /`reconnect` to be a boolean or an object, got "always"/],
  ['reconnect as null', { reconnect: null }, TypeError, /`reconnect` to be a boolean or an object, got null/],
  ['an unknown backoff strategy', { reconnect: { strategy: 'linear' } }, TypeError, /`reconnect\.strategy` to be one of 'spread', 'full-jitter', 'equal', 'decorrelated', 'none', got "linear"/],
  ['a negative baseDelayMs', { reconnect: { baseDelayMs: -1 } }, RangeError, /`reconnect\.baseDelayMs` to be a finite number of milliseconds ≥ 0, got -1/],
  ['a NaN baseDelayMs', { reconnect: { baseDelayMs: NaN } }, TypeError, /`reconnect\.baseDelayMs` to be a number of milliseconds, got NaN/],
  ['an infinite maxDelayMs', { reconnect: { maxDelayMs: Infinity } }, RangeError, /`reconnect\.maxDelayMs` to be a finite number of milliseconds ≥ 0, got Infinity/],
  ['a minDelayMs given as a string', { reconnect: { minDelayMs: '500' } }, TypeError, /`reconnect\.minDelayMs` to be a number of milliseconds, got "500"/],
  ['a negative minDelayMs', { reconnect: { minDelayMs: -500 } }, RangeError, /`reconnect\.minDelayMs` to be a finite number .*≥ 0, got -500/],
  ['a minDelayMs above maxDelayMs', { reconnect: { minDelayMs: 2000, maxDelayMs: 1000 } }, RangeError, /`reconnect\.minDelayMs` to be at most `reconnect\.maxDelayMs` \(1000\), got 2000/],
  ['maxRetries -1', { reconnect: { maxRetries: -1 } }, RangeError, /`reconnect\.maxRetries` to be a non-negative integer or Infinity, got -1/],
  ['a fractional maxRetries', { reconnect: { maxRetries: 1.5 } }, RangeError, /`reconnect\.maxRetries` to be a non-negative integer or Infinity, got 1\.5/],
  ['maxRetries null', { reconnect: { maxRetries: null } }, TypeError, /`reconnect\.maxRetries` to be a number, got null/],
  ['a negative maxElapsedMs', { reconnect: { maxElapsedMs: -1 } }, RangeError, /`reconnect\.maxElapsedMs` to be a finite number of milliseconds ≥ 0 or Infinity, got -1/],
  ['a negative stableAfterMs', { reconnect: { stableAfterMs: -10 } }, RangeError, /`reconnect\.stableAfterMs` to be a finite number of milliseconds ≥ 0, got -10/],
  ['connectTimeoutMs 0', { connectTimeoutMs: 0 }, RangeError, /`connectTimeoutMs` to be a finite number of milliseconds ≥ 1, got 0/],
  ['a negative connectTimeoutMs', { connectTimeoutMs: -5 }, RangeError, /`connectTimeoutMs` to be a finite number of milliseconds ≥ 1, got -5/],
  ['connectTimeoutMs as a string', { connectTimeoutMs: '10' }, TypeError, /`connectTimeoutMs` to be a number of milliseconds or false, got "10"/],
  ['connectTimeoutMs true', { connectTimeoutMs: true }, TypeError, /`connectTimeoutMs` to be a number of milliseconds or false, got true/],
  ['heartbeat as a string', { heartbeat: 'on' }, TypeError, /`heartbeat` to be a boolean or an object, got "on"/],
  ['an unknown heartbeat mode', { heartbeat: { mode: 'loud' } }, TypeError, /`heartbeat\.mode` to be one of 'active', 'passive', got "loud"/],
  ['heartbeat intervalMs 0', { heartbeat: { intervalMs: 0 } }, RangeError, /`heartbeat\.intervalMs` to be a finite number of milliseconds ≥ 1, got 0/],
  ['an infinite heartbeat timeoutMs', { heartbeat: { timeoutMs: Infinity } }, RangeError, /`heartbeat\.timeoutMs` to be a finite number of milliseconds ≥ 1, got Infinity/],
  ['a heartbeat message that is a number', { heartbeat: { message: 42 } }, TypeError, /`heartbeat\.message` to be a string, ArrayBuffer, typed array, Blob or a function returning one, got 42/],
  ['an isPong that is not a function', { heartbeat: { isPong: 'pong' } }, TypeError, /`heartbeat\.isPong` to be a function, got "pong"/],
  ['buffer as a number', { buffer: 5 }, TypeError, /`buffer` to be a boolean or an object, got 5/],
  ['buffer maxMessages -1', { buffer: { maxMessages: -1 } }, RangeError, /`buffer\.maxMessages` to be a non-negative integer or Infinity, got -1/],
  ['a fractional buffer maxBytes', { buffer: { maxBytes: 1.5 } }, RangeError, /`buffer\.maxBytes` to be a non-negative integer or Infinity, got 1\.5/],
  ['an unknown overflow policy', { buffer: { overflow: 'explode' } }, TypeError, /`buffer\.overflow` to be one of 'drop-oldest', 'drop-newest', 'throw', got "explode"/],
  ['a policy that is not an object', { policy: 'strict' }, TypeError, /`policy` to be an object, got "strict"/],
  ['a policy that is an array', { policy: [] }, TypeError, /`policy` to be an object, got an array/],
  ['a policy.decide that is not a function', { policy: { decide: 'stop' } }, TypeError, /`policy\.decide` to be a function, got "stop"/],
  ['policy.codes that is an array', { policy: { codes: ['stop'] } }, TypeError, /`policy\.codes` to be an object keyed by close code, got an array/],
  ['a policy.codes key of 999', { policy: { codes: { 999: 'stop' } } }, RangeError, /`policy\.codes` to be keyed by close codes from 1000 to 4999, got 999/],
  ['a policy.codes key that is not a number', { policy: { codes: { normal: 'stop' } } }, TypeError, /`policy\.codes` to be keyed by close codes from 1000 to 4999, got "normal"/],
  ['a policy.codes rule that is an unknown keyword', { policy: { codes: { 4000: 'sometimes' } } }, TypeError, /`policy\.codes\[4000\]` to be 'reconnect', 'stop', a function, or \{action: .*\}, got "sometimes"/],
  ['a policy.codes rule with an unknown action', { policy: { codes: { 4000: { action: 'maybe' } } } }, TypeError, /`policy\.codes\[4000\]\.action` to be 'reconnect' or 'stop', got "maybe"/],
  ['a policy.codes rule with maxRetries -2', { policy: { codes: { 4000: { action: 'reconnect', maxRetries: -2 } } } }, RangeError, /`policy\.codes\[4000\]\.maxRetries` to be a non-negative integer or Infinity, got -2/],
  ['a policy.codes rule with a negative delayMs', { policy: { codes: { 4000: { action: 'reconnect', delayMs: -1 } } } }, RangeError, /`policy\.codes\[4000\]\.delayMs` to be a finite number of milliseconds ≥ 0, got -1/],
  ['a policy.codes stop rule with a reason that is not a string', { policy: { codes: { 4000: { action: 'stop', reason: 42 } } } }, TypeError, /`policy\.codes\[4000\]\.reason` to be a string, got 42/],
  ['policy.ranges that is not an array', { policy: { ranges: { from: 4000, to: 4999, rule: 'stop' } } }, TypeError, /`policy\.ranges` to be an array of \{from, to, rule\}, got an object/],
  ['a policy range that is not an object', { policy: { ranges: ['stop'] } }, TypeError, /`policy\.ranges\[0\]` to be an object \{from, to, rule\}, got "stop"/],
  ['a policy range whose from is above its to', { policy: { ranges: [{ from: 4500, to: 4000, rule: 'stop' }] } }, RangeError, /`policy\.ranges\[0\]\.to` to be at least `policy\.ranges\[0\]\.from` \(4500\), got 4000/],
  ['a policy range that starts below 1000', { policy: { ranges: [{ from: 500, to: 3000, rule: 'stop' }] } }, RangeError, /`policy\.ranges\[0\]\.from` to be a close code from 1000 to 4999, got 500/],
  ['a policy range that ends above 4999', { policy: { ranges: [{ from: 4000, to: 5000, rule: 'stop' }] } }, RangeError, /`policy\.ranges\[0\]\.to` to be a close code from 1000 to 4999, got 5000/],
  ['a policy range bound given as a string', { policy: { ranges: [{ from: 4000, to: 4999, rule: 'stop' }, { from: '3000', to: 3999, rule: 'stop' }] } }, TypeError, /`policy\.ranges\[1\]\.from` to be a close code \(a number from 1000 to 4999\), got "3000"/],
  ['a policy range without a rule', { policy: { ranges: [{ from: 4000, to: 4999 }] } }, TypeError, /`policy\.ranges\[0\]\.rule` to be 'reconnect', 'stop', .*, got undefined/],
  ['a policy.classes rule that is an unknown keyword', { policy: { classes: { normal: 'never' } } }, TypeError, /`policy\.classes\.normal` to be 'reconnect', 'stop', .*, got "never"/],
  ['a policy.classes key that is not a close class', { policy: { classes: { nromal: 'stop' } } }, TypeError, /`policy\.classes` to be keyed by close classes \(one of 'normal', .*'invalid'\), got "nromal"/],
  ['an environment without subscribe', { environment: { isOnline: () => true, isVisible: () => true } }, TypeError, /`environment` to be a boolean or an object with subscribe\(\), isOnline\(\) and isVisible\(\), got an object/],
  ['an environment without isOnline', { environment: { subscribe: () => noop, isVisible: () => true } }, TypeError, /`environment` to be .*isOnline\(\).*, got an object/],
  ['an environment given as a string', { environment: 'browser' }, TypeError, /`environment` to be a boolean or an object .*, got "browser"/],
  ['a clock missing random', { clock: { now: () => 0, setTimeout: () => 1, clearTimeout: noop } }, TypeError, /`clock` to be an object with now\(\), random\(\), setTimeout\(\) and clearTimeout\(\), got an object/],
  ['a clock that is a function', { clock: () => 0 }, TypeError, /`clock` to be an object with now\(\).*, got a function/],
  ['historySize -1', { historySize: -1 }, RangeError, /`historySize` to be a non-negative integer, got -1/],
  ['an infinite historySize', { historySize: Infinity }, RangeError, /`historySize` to be a non-negative integer, got Infinity/],
  ['historySize null', { historySize: null }, TypeError, /`historySize` to be a number, got null/],
  ['a diagnose that is not a function', { diagnose: true }, TypeError, /`diagnose` to be a function, got true/],
  ['a logger that is a string', { logger: 'console' }, TypeError, /`logger` to be a function or an object with info\(\), warn\(\) and error\(\), got "console"/],
  ['a logger without warn', { logger: { info: noop, error: noop } }, TypeError, /`logger` to be a function or an object with info\(\), warn\(\) and error\(\), got an object/],
  ['debug as a string', { debug: 'yes' }, TypeError, /`debug` to be a boolean, got "yes"/],
  ['a misspelt top-level option', { reconect: false }, TypeError, /`options` to be an object with only .*`reconnect`.*, got `reconect` \(did you mean `reconnect`\?\)/],
  ['a misspelt heartbeat option', { heartbeat: { interval: 1000 } }, TypeError, /`heartbeat` to be an object with only .*, got `heartbeat\.interval` \(did you mean `heartbeat\.intervalMs`\?\)/],
  ['an unknown reconnect option', { reconnect: { retries: 3 } }, TypeError, /`reconnect` to be an object with only .*`maxRetries`.*, got `reconnect\.retries`/],
  ['an unknown buffer option', { buffer: { limit: 3 } }, TypeError, /`buffer` to be an object with only `maxMessages`, `maxBytes`, `overflow`, got `buffer\.limit`/],
  ['an unknown policy field', { policy: { code: { 4000: 'stop' } } }, TypeError, /`policy` to be an object with only .*, got `policy\.code` \(did you mean `policy\.codes`\?\)/],
];

describe('normalizeOptions and a third argument that is not an object', () => {
  it.each(['Stray argument', 42, true])('ignores %j, as the native constructor ignores a third argument', (stray) => {
    expect(normalizeOptions(stray as never)).toEqual(normalizeOptions(undefined));
  });
});

describe('normalizeOptions rejects bad input', () => {
  it('has a table of at least 25 distinct bad inputs', () => {
    expect(new Set(badInputs.map(([name]) => name)).size).toBe(badInputs.length);
    expect(badInputs.length).toBeGreaterThanOrEqual(25);
  });

  it.each(badInputs)('rejects %s, naming the option, the expectation and the value', (_name, options, kind, message) => {
    expectOptionError(thrownBy(() => normalizeOptions(options as ResilientWebSocketOptions)), kind, message);
  });
});

describe('the ResilientWebSocket constructor validates options', () => {
  const sockets: ResilientWebSocket[] = [];
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.dispose();
    NeverConnects.instances = [];
  });
  const quiet = { WebSocket: FakeWebSocket, environment: false, connectTimeoutMs: false } as const;

  it('throws the same RangeError as normalizeOptions for maxRetries -1, before opening any socket', () => {
    const error = thrownBy(() => new ResilientWebSocket('ws://127.0.0.1:1', undefined, { ...quiet, reconnect: { maxRetries: -1 } }));
    expectOptionError(error, RangeError, /`reconnect\.maxRetries` to be a non-negative integer or Infinity, got -1/);
    expect(NeverConnects.instances).toHaveLength(0);
  });

  it('throws the same TypeError as normalizeOptions for a bad policy rule', () => {
    const error = thrownBy(() => new ResilientWebSocket('ws://127.0.0.1:1', undefined, { ...quiet, policy: { codes: { 4000: 'sometimes' } } } as unknown as ResilientWebSocketOptions));
    expectOptionError(error, TypeError, /`policy\.codes\[4000\]` to be 'reconnect', 'stop'/);
  });

  it('rejects bad options already in ResilientWebSocket.with, before any socket is built', () => {
    const error = thrownBy(() => ResilientWebSocket.with({ heartbeat: { intervalMs: 0 } }));
    expectOptionError(error, RangeError, /`heartbeat\.intervalMs` to be a finite number of milliseconds ≥ 1, got 0/);
  });

  it('constructs with valid options and opens one socket through the given class', () => {
    const socket = new ResilientWebSocket('ws://127.0.0.1:1', undefined, { ...quiet, heartbeat: true, buffer: { maxMessages: 10 } });
    sockets.push(socket);
    expect(socket.state).toBe('connecting');
    expect(NeverConnects.instances).toHaveLength(1);
    expect(NeverConnects.instances[0]?.url).toBe('ws://127.0.0.1:1/');
  });
});
