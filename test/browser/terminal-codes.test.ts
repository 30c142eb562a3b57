/**
 * Scenario 4: close codes that must not be retried forever. 1008 retries
 * twice (at least 5 s apart) then stops; 1003 and 1009 stop at once; an
 * application code made terminal through the `policy` option stops. Each
 * server closes every connection with its code right after the handshake.
 */

import { describe, expect, it } from 'vitest';
import type { TestServer } from '../support/ws-server.js';
import { delay } from '../support/wait.js';
import { ms, printFigure, useBrowserSuite } from './support/suite.js';
import type { PageClient, TestPage } from './support/test-page.js';
import { entriesOf } from './support/timeline.js';

const suite = useBrowserSuite();

/** How long to watch, after `giveup`, that no attempt follows. */
const quietAfterGiveUpMs = 2_000;
/** 1008's documented spacing between retries. */
const policyViolationSpacingMs = 5_000;

interface TerminalCase {
  readonly code: number;
  readonly class: string;
  /** Connections the server should see in all: the first one plus the retries. */
  readonly connections: number;
  readonly options?: object;
}

const policyViolation: TerminalCase = { code: 1008, class: 'policy-violation', connections: 3 };
const stopAtOnce: readonly TerminalCase[] = [
  { code: 1003, class: 'unsupported-data', connections: 1 },
  { code: 1009, class: 'message-too-big', connections: 1 },
  { code: 4001, class: 'application', connections: 1, options: { policy: { codes: { 4001: 'stop' } } } },
];

/** The URL a named client connects with, so the server can tell clients apart by path. */
const urlFor = (server: TestServer, client: string): string => `${server.url}?client=${client}`;
/** How many connections the server accepted from the named client. */
const connectionsFrom = (server: TestServer, client: string): number => server.connections.filter((c) => c.path === `/?client=${client}`).length;

/** A page with one client per case, each against a server that closes every connection with the case's code. */
async function startCases(cases: readonly TerminalCase[]): Promise<{ page: TestPage; servers: TestServer[]; clients: PageClient[] }> {
  const page = await suite.page();
  const servers = await Promise.all(cases.map((terminal) => suite.server({ behaviour: { kind: 'close', code: terminal.code, reason: `bye ${terminal.code}` } })));
  const clients = await Promise.all(
    cases.map((terminal, i) => page.client(`c${terminal.code}`, urlFor(servers[i]!, `c${terminal.code}`), terminal.options ?? {})),
  );
  return { page, servers, clients };
}

/**
 * Waits for `giveup`, checks what the page and the server saw of one
 * terminal code, and returns the client's reconnect delays.
 */
async function expectGiveUp(client: PageClient, server: TestServer, terminal: TerminalCase): Promise<number[]> {
  const giveup = await client.waitFor({ type: 'giveup' }, { timeoutMs: 40_000 });
  const timeline = await client.timeline();
  const closes = entriesOf(timeline, 'close');
  expect(closes).toHaveLength(terminal.connections);
  for (const close of closes) {
    expect(close).toMatchObject({ code: terminal.code, reason: `bye ${terminal.code}`, wasClean: true, class: terminal.class, phase: 'open', initiator: 'server' });
  }
  expect(closes.map((close) => close.decision)).toEqual([...Array<string>(terminal.connections - 1).fill('reconnect'), 'stop']);
  const delays = entriesOf(timeline, 'reconnecting').map((entry) => entry.delayMs);
  expect(delays).toHaveLength(terminal.connections - 1);
  expect(entriesOf(timeline, 'open')).toHaveLength(terminal.connections);
  expect(timeline.slice(giveup.index + 1).filter((entry) => entry.type !== 'statechange')).toEqual([]);
  expect(await client.status()).toMatchObject({ state: 'closed', readyState: 3 });
  expect(connectionsFrom(server, client.name)).toBe(terminal.connections);
  expect(await client.constructs()).toHaveLength(terminal.connections);
  return delays;
}

/** Given up means no timer left: nothing reaches the servers, and the page makes no attempt, for a while. */
async function expectQuiet(page: TestPage, servers: readonly TestServer[]): Promise<void> {
  const counts = servers.map((server) => server.connectionCount);
  const attempts = (await page.constructs()).length;
  await delay(quietAfterGiveUpMs); // proving an absence: there is no event to await
  expect(servers.map((server) => server.connectionCount)).toEqual(counts);
  expect(await page.constructs()).toHaveLength(attempts);
}

describe(`terminal close codes, seen from ${suite.engineTitle}`, () => {
  it('should retry 1008 twice, at least 5 s apart, then stop and fire giveup', async () => {
    const { page, servers, clients } = await startCases([policyViolation]);
    const delays = await expectGiveUp(clients[0]!, servers[0]!, policyViolation);
    for (const delayMs of delays) expect(delayMs).toBeGreaterThanOrEqual(policyViolationSpacingMs);
    await expectQuiet(page, servers);
    printFigure('4 terminal 1008', `3 connections on the server, retry delays ${delays.map(ms).join(', ')}, then giveup and no attempt in ${ms(quietAfterGiveUpMs)}`);
  }, 60_000);

  it('should stop at once on 1003, 1009 and a 4xxx code the policy makes terminal, and fire giveup', async () => {
    const { page, servers, clients } = await startCases(stopAtOnce);
    // The control: the same 4001 without the policy is retried, so the policy is what stops it.
    const policyServer = servers[stopAtOnce.length - 1]!;
    const control = await page.client('control', urlFor(policyServer, 'control'));
    const retry = await control.waitFor({ type: 'reconnecting' });
    await control.waitFor({ type: 'open' }, { after: retry.index });
    await control.dispose();
    expect(connectionsFrom(policyServer, 'control')).toBeGreaterThanOrEqual(2);

    await Promise.all(stopAtOnce.map((terminal, i) => expectGiveUp(clients[i]!, servers[i]!, terminal)));
    await expectQuiet(page, servers);
    printFigure(
      '4 terminal codes',
      `${stopAtOnce.map((terminal) => terminal.code).join(', ')}: 1 connection each on the server, then giveup; 4001 without the policy: ${connectionsFrom(policyServer, 'control')} connections (retried)`,
    );
  }, 60_000);
});
