import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isLocalLoop, localLoopMaxDelayMs } from '../../src/core/local-loop.js';
import { browserEnvironment, staticEnvironment } from '../../src/core/environment.js';
import { MachineDriver, only } from '../support/machine.js';

/** The URL a socket ends up with, as the class holds it (`URL` serialization). */
const href = (url: string): string => new URL(url).href;

describe('isLocalLoop', () => {
  it.each([
    ['http://localhost:3000', 'ws://localhost:3000/'],
    ['http://localhost', 'ws://127.0.0.1:8080/socket'],
    ['http://127.0.0.1:5173', 'ws://localhost:3000/'],
    ['https://127.0.0.1', 'wss://127.0.0.1/'],
    ['http://127.1.2.3:8000', 'ws://127.255.255.254:1/'],
    ['http://[::1]:3000', 'ws://[::1]:3000/live'],
    ['http://app.localhost:3000', 'ws://api.localhost:4000/'],
    ['http://a.b.localhost', 'ws://localhost/'],
    ['http://localhost:3000', href('ws://user:secret@localhost:3000/')],
    ['http://localhost:3000', href('ws://127.1:3000/')], // URL writes 127.0.0.1
    ['http://localhost:3000', href('ws://LOCALHOST:3000/')],
    ['http://localhost.:3000', 'ws://localhost.:3000/'],
  ])('should call %s talking to %s the local loop', (origin, url) => {
    expect(isLocalLoop(origin, url)).toBe(true);
  });

  it.each([
    // A page elsewhere talking to a loopback URL: a fleet of browsers, each with its own localhost (a tunnel, an agent).
    ['https://app.example', 'ws://127.0.0.1:3000/'],
    ['https://app.example', 'ws://localhost:3000/'],
    // A loopback page talking to a server elsewhere: a shared server.
    ['http://localhost:3000', 'wss://api.example/'],
    ['http://127.0.0.1:3000', 'ws://10.0.0.2:3000/'],
    // 0.0.0.0 names no host (and browsers are closing it to pages).
    ['http://0.0.0.0:3000', 'ws://0.0.0.0:3000/'],
    ['http://localhost:3000', 'ws://0.0.0.0:3000/'],
    // Names that only start or end like loopback.
    ['http://localhost:3000', 'ws://localhost.example/'],
    ['http://localhost:3000', 'ws://127.0.0.1.nip.io/'],
    ['http://localhost:3000', 'ws://notlocalhost/'],
    ['http://localhost:3000', 'ws://128.0.0.1/'],
    ['http://localhost:3000', href('ws://localhost:1@example.com/')],
    ['http://localhost:3000', href('ws://x.localhost@example.com/')],
    ['http://localhost:3000', href('ws://[::2]/')],
    // No page: Node, Bun, React Native; an opaque origin (file:, a sandboxed frame).
    [null, 'ws://127.0.0.1:3000/'],
    [undefined, 'ws://localhost:3000/'],
    ['null', 'ws://localhost:3000/'],
    // A socket whose URL no provider has given yet.
    ['http://localhost:3000', ''],
  ])('should not call %s talking to %s the local loop', (origin, url) => {
    expect(isLocalLoop(origin, url)).toBe(false);
  });

  it('should agree with the URL parser on the host, for any host name', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
    const host = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
      fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.')),
      fc.constantFrom('localhost', 'localhost.', 'app.localhost.', '[::1]', '[::]', '0.0.0.0', '0x7f.1', '2130706433', 'user@localhost', 'user:pw@127.0.0.1'),
    );
    fc.assert(
      fc.property(host, fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }), fc.constantFrom('', 'live', 'a/b?c=localhost'), (name, port, path) => {
        const text = `ws://${name}${port === undefined ? '' : `:${port}`}/${path}`;
        fc.pre(URL.canParse(text)); // '080' is no host: an invalid IPv4 address
        const url = new URL(text);
        const host = url.hostname.replace(/\.$/, '');
        const loopback = host === 'localhost' || host.endsWith('.localhost') || host.startsWith('127.') || host === '[::1]';
        expect(isLocalLoop('http://localhost:3000', url.href)).toBe(loopback);
      }),
    );
  });
});

describe('the environment origin', () => {
  const globals = globalThis as unknown as Record<string, unknown>;

  it('should read the page origin from location, and nothing where there is none (Node)', () => {
    expect('location' in globalThis).toBe(false);
    expect(browserEnvironment.origin?.()).toBeNull();
    globals.location = { origin: 'http://localhost:5173' };
    try {
      expect(browserEnvironment.origin?.()).toBe('http://localhost:5173');
    } finally {
      delete globals.location;
    }
  });

  it('should give no origin in the static environment (environment: false)', () => {
    expect(staticEnvironment.origin?.() ?? null).toBeNull();
  });
});

/** The waits the machine chose while the server stayed down for `failures` handshakes after a drop. */
function waitsWhileDown(driver: MachineDriver, failures: number, url: string): number[] {
  driver.toOpen();
  driver.advance(60_000);
  const delays: number[] = [];
  for (let i = 0; i <= failures; i++) {
    const report = only(driver.end(1006, { url }).effects, 'emit-close').report;
    delays.push(report.delayMs ?? Number.NaN);
    driver.closeDispatched(false);
    driver.waitElapsed();
  }
  return delays;
}

describe('the local loop schedule', () => {
  const local = { origin: 'http://localhost:3000' };
  const url = 'ws://127.0.0.1:3000/';

  it('should wait at most 1 s between attempts on the local loop, for as long as the server stays down', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const driver = new MachineDriver({}, { ...local, seed });
      const delays = waitsWhileDown(driver, 200, url);
      // The first is the fast retry after losing an open connection, [0, 1 s]; then the local schedule.
      for (const delayMs of delays) expect(delayMs).toBeLessThanOrEqual(localLoopMaxDelayMs);
      // No hammering: about one attempt a second, never faster than the floor (500 ms).
      for (const delayMs of delays.slice(1)) expect(delayMs).toBeGreaterThanOrEqual(500);
      for (const delayMs of delays.slice(2)) expect(delayMs).toBeGreaterThanOrEqual(800);
    }
  });

  it('should keep the fleet schedule without a page (Node), for a page elsewhere, and for a server elsewhere', () => {
    const ended = (driver: MachineDriver, socketUrl: string): number[] => {
      driver.toOpen();
      driver.advance(60_000);
      const delays: number[] = [];
      for (let i = 0; i < 20; i++) {
        delays.push(only(driver.end(1006, { url: socketUrl }).effects, 'emit-close').report.delayMs ?? Number.NaN);
        driver.closeDispatched(false);
        driver.waitElapsed();
      }
      return delays;
    };
    const cases: [origin: string | null, socketUrl: string][] = [
      [null, url],
      ['https://app.example', url],
      ['http://localhost:3000', 'wss://api.example/'],
    ];
    for (const [origin, socketUrl] of cases) {
      // The same seed gives exactly the waits of a socket that was never local.
      const fleet = ended(new MachineDriver({}, { seed: 7 }), 'wss://api.example/');
      expect(ended(new MachineDriver({}, { seed: 7, origin }), socketUrl)).toEqual(fleet);
      expect(Math.max(...fleet)).toBeGreaterThan(localLoopMaxDelayMs);
    }
  });

  it('should take the local schedule from the URL of the attempt that failed', () => {
    const driver = new MachineDriver({}, { ...local, seed: 3 });
    driver.toOpen();
    driver.advance(60_000);
    driver.end(1006, { url });
    driver.closeDispatched(false);
    driver.waitElapsed();
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      delays.push(only(driver.end(1006, { url }).effects, 'emit-close').report.delayMs ?? Number.NaN);
      driver.closeDispatched(false);
      driver.waitElapsed();
    }
    expect(Math.max(...delays)).toBeLessThanOrEqual(localLoopMaxDelayMs);
  });

  it.each([
    { strategy: 'spread' },
    { strategy: 'full-jitter' },
    { baseDelayMs: 1_000 },
    { minDelayMs: 500 },
    { maxDelayMs: 10_000 },
  ] as const)('should give an application that set reconnect %o exactly its own schedule', (reconnect) => {
    const waits = (origin: string | null): number[] => {
      const driver = new MachineDriver({ reconnect }, { seed: 11, origin });
      driver.toOpen();
      driver.advance(60_000);
      const delays: number[] = [];
      for (let i = 0; i < 20; i++) {
        delays.push(only(driver.end(1006, { url }).effects, 'emit-close').report.delayMs ?? Number.NaN);
        driver.closeDispatched(false);
        driver.waitElapsed();
      }
      return delays;
    };
    expect(waits('http://localhost:3000')).toEqual(waits(null));
  });

  it('should keep the local loop when the application set reconnect fields other than the schedule', () => {
    const driver = new MachineDriver({ reconnect: { maxRetries: 1_000, stableAfterMs: 5_000 } }, { ...local, seed: 5 });
    driver.toOpen();
    driver.advance(60_000);
    const delays: number[] = [];
    for (let i = 0; i < 50; i++) {
      delays.push(only(driver.end(1006, { url }).effects, 'emit-close').report.delayMs ?? Number.NaN);
      driver.closeDispatched(false);
      driver.waitElapsed();
    }
    expect(Math.max(...delays)).toBeLessThanOrEqual(localLoopMaxDelayMs);
  });

  it('should keep the policy floors on the local loop: a 1013 still waits 5 s', () => {
    const driver = new MachineDriver({}, { ...local, seed: 2 });
    driver.toOpen();
    driver.advance(60_000);
    const delayMs = only(driver.end(1013, { url, wasClean: true }).effects, 'emit-close').report.delayMs;
    expect(delayMs).toBeGreaterThanOrEqual(5_000);
  });
});
