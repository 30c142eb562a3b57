/**
 * The tab-shared socket with a fake browser (locks, channels, lifecycle),
 * fake WebSockets and a fake clock: one socket for N tabs, every message to
 * every tab, each tab's sends once and in order across hand-overs, the
 * fallback without Web Locks, and nothing left behind after close().
 */

import { afterEach, describe, expect, it } from 'vitest';
import { TabSharedWebSocket, type TabSharedWebSocketOptions } from '../../src/tabs/index.js';
import { fakeSockets, type FakeSocket, type FakeSockets } from '../class/fake-socket.js';
import { FakeClock } from '../unit/fake-clock.js';
import { FakeBrowser, type FakeTab } from './fakes.js';

const url = 'ws://example.test/feed';

interface Tab {
  readonly tab: FakeTab;
  readonly ws: TabSharedWebSocket;
  /** Every event the tab saw: type, and the data of messages. */
  readonly events: { type: string; data?: unknown; code?: number }[];
  readonly messages: unknown[];
}

let browser: FakeBrowser;
let clock: FakeClock;
let sockets: FakeSockets;
const opened: TabSharedWebSocket[] = [];

function setup(): void {
  browser = new FakeBrowser();
  clock = new FakeClock();
  sockets = fakeSockets();
}
setup();

afterEach(() => {
  for (const ws of opened.splice(0)) ws.dispose();
  setup();
});

function openTab(name: string, options: TabSharedWebSocketOptions = {}): Tab {
  const tab = browser.tab(name);
  const ws = new TabSharedWebSocket(url, undefined, {
    WebSocket: sockets.Impl,
    clock,
    environment: false,
    reconnect: { minDelayMs: 100, maxDelayMs: 200 },
    ...options,
    tabs: { ...tab.options, ...options.tabs },
  });
  opened.push(ws);
  const events: Tab['events'] = [];
  const messages: unknown[] = [];
  for (const type of ['open', 'close', 'error', 'reconnecting', 'giveup', 'statechange', 'modechange', 'drop'] as const) {
    ws.addEventListener(type, (event) => events.push({ type, ...('code' in event ? { code: (event as CloseEvent).code } : {}) }));
  }
  ws.addEventListener('message', (event) => messages.push(event.data));
  return { tab, ws, events, messages };
}

/** Opens `count` tabs named t0, t1...; t0 leads. */
async function openTabs(count: number, options: TabSharedWebSocketOptions = {}): Promise<Tab[]> {
  const tabs: Tab[] = [];
  for (let index = 0; index < count; index++) {
    tabs.push(openTab(`t${index}`, options));
    await browser.settle();
  }
  return tabs;
}

const live = (): FakeSocket => sockets.latest();
const texts = (socket: FakeSocket): string[] => socket.sent.map(String);

describe('TabSharedWebSocket', () => {
  it('should hold one socket for a leader and four followers and give every tab every server message', async () => {
    const tabs = await openTabs(5);
    expect(sockets.instances).toHaveLength(1);
    expect(tabs.map(({ ws }) => ws.mode)).toEqual(['leader', 'follower', 'follower', 'follower', 'follower']);
    expect(tabs.every(({ ws }) => ws.shared && ws.state === 'connecting')).toBe(true);

    live().accept();
    await browser.settle();
    expect(tabs.map(({ ws }) => ws.state)).toEqual(Array(5).fill('open'));
    expect(tabs.map(({ ws }) => ws.readyState)).toEqual(Array(5).fill(1));
    expect(tabs.map(({ events }) => events.filter((event) => event.type === 'open').length)).toEqual(Array(5).fill(1));

    live().message('one');
    live().message('two');
    await browser.settle();
    for (const { messages } of tabs) expect(messages).toEqual(['one', 'two']);
  });

  it('should carry binary messages both ways: ArrayBuffer and Blob cross the channel', async () => {
    const [leader, follower] = await openTabs(2);
    follower!.ws.binaryType = 'arraybuffer';
    live().accept();
    await browser.settle();
    live().message(new Uint8Array([1, 2, 3]).buffer);
    await browser.settle();
    expect(leader!.messages[0]).toBeInstanceOf(Blob); // the default binaryType, as the native socket's
    expect([...new Uint8Array(await (leader!.messages[0] as Blob).arrayBuffer())]).toEqual([1, 2, 3]);
    expect(follower!.messages[0]).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(follower!.messages[0] as ArrayBuffer)]).toEqual([1, 2, 3]);

    follower!.ws.send(new Uint8Array([4, 5]).buffer);
    follower!.ws.send(new Blob([new Uint8Array([6])]));
    await browser.settle();
    const [buffer, blob] = live().sent as [ArrayBuffer, Blob];
    expect([...new Uint8Array(buffer)]).toEqual([4, 5]);
    expect(blob).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([6]);
  });

  it("should send each tab's messages once and in that tab's order", async () => {
    const tabs = await openTabs(4);
    live().accept();
    await browser.settle();
    for (let round = 1; round <= 3; round++) for (const { tab, ws } of tabs) ws.send(`${tab.name}:${round}`);
    await browser.settle();
    const sent = texts(live());
    expect(sent).toHaveLength(12);
    for (const { tab } of tabs) expect(sent.filter((text) => text.startsWith(`${tab.name}:`))).toEqual([1, 2, 3].map((round) => `${tab.name}:${round}`));
    expect(tabs.every(({ ws }) => ws.bufferedAmount === 0)).toBe(true); // every message acknowledged
  });

  it('should queue messages sent before the connection opens and send them once when it does', async () => {
    const [leader, follower] = await openTabs(2);
    expect(follower!.ws.send('early from follower')).toBe(false);
    expect(leader!.ws.send('early from leader')).toBe(false);
    await browser.settle();
    expect(live().sent).toEqual([]);
    live().accept();
    await browser.settle();
    expect(texts(live()).sort()).toEqual(['early from follower', 'early from leader']);
    expect(leader!.ws.send('now')).toBe(true); // the leader's open socket took it at once
  });

  it('should hand over when the leader closes, delivering what followers sent meanwhile exactly once', async () => {
    const tabs = await openTabs(3);
    const first = live();
    first.accept();
    await browser.settle();
    tabs[1]!.ws.send('t1:1');
    await browser.settle();

    tabs[0]!.ws.close();
    tabs[1]!.ws.send('t1:2'); // during the hand-over
    tabs[2]!.ws.send('t2:1');
    await browser.settle();
    expect(tabs[0]!.ws.mode).toBe('follower');
    expect(tabs[1]!.ws.mode).toBe('leader');
    expect(browser.holder()).toBe('t1');
    expect(sockets.instances).toHaveLength(2);
    expect(first.closeCalls).toEqual([{ code: undefined, reason: undefined }]);
    first.finishClose();
    expect(tabs.slice(1).map(({ ws }) => ws.state)).toEqual(['connecting', 'connecting']);

    tabs[1]!.ws.send('t1:3');
    tabs[2]!.ws.send('t2:2');
    live().accept();
    await browser.settle();
    expect(texts(first)).toEqual(['t1:1']);
    expect(texts(live()).filter((text) => text.startsWith('t1'))).toEqual(['t1:2', 't1:3']);
    expect(texts(live()).filter((text) => text.startsWith('t2'))).toEqual(['t2:1', 't2:2']);
    expect(tabs.slice(1).map(({ ws }) => ws.state)).toEqual(['open', 'open']);
    // The closing tab saw its own close; the others a hand-over and a new open, no close.
    expect(tabs[0]!.ws.state).toBe('closed');
    expect(tabs[0]!.ws.lastClose).toMatchObject({ initiator: 'client', decision: { action: 'stop' } });
    expect(tabs[2]!.events.filter((event) => event.type === 'close')).toEqual([]);
    expect(tabs[2]!.events.filter((event) => event.type === 'open')).toHaveLength(2);
  });

  it('should give a new leader the server messages its predecessor relayed just before leaving, when the lock comes first', async () => {
    const tabs = await openTabs(3);
    live().accept();
    await browser.settle();
    live().message('last words');
    tabs[0]!.ws.close(); // the lock passes at once (a microtask); the message is still on the channel
    await Promise.resolve();
    await Promise.resolve();
    expect(tabs[1]!.ws.mode).toBe('leader');
    expect(tabs[1]!.messages).toEqual([]);
    await browser.settle();
    expect(tabs.map(({ messages }) => messages)).toEqual([['last words'], ['last words'], ['last words']]);
  });

  it('should resend to a new leader what a crashed leader never acknowledged, and nothing it did', async () => {
    const tabs = await openTabs(3);
    const first = live();
    first.accept();
    await browser.settle();
    tabs[2]!.ws.send('t2:1');
    await browser.settle();
    expect(texts(first)).toEqual(['t2:1']);

    tabs[2]!.ws.send('t2:2'); // posted, never read by the leader
    browser.crash('t0'); // no resign: the lock goes with the process
    opened.splice(opened.indexOf(tabs[0]!.ws), 1);
    tabs[2]!.ws.send('t2:3');
    await browser.settle();
    expect(tabs[1]!.ws.mode).toBe('leader');
    live().accept();
    await browser.settle();
    expect(texts(live())).toEqual(['t2:2', 't2:3']);
    expect(texts(first)).toEqual(['t2:1']);
  });

  it('should show every tab the same close report and reconnect the shared socket once', async () => {
    const tabs = await openTabs(3);
    live().accept();
    await browser.settle();
    live().drop();
    await browser.settle();
    const reports = tabs.map(({ ws }) => ws.lastClose);
    expect(reports[0]).toMatchObject({ code: 1006, wasClean: false, phase: 'open', decision: { action: 'reconnect' } });
    expect(reports[1]).toEqual(reports[0]);
    expect(reports[2]).toEqual(reports[0]);
    for (const { events, ws } of tabs) {
      expect(events.filter((event) => event.type === 'close')).toEqual([{ type: 'close', code: 1006 }]);
      expect(events.filter((event) => event.type === 'reconnecting')).toHaveLength(1);
      expect(ws.state).toBe('waiting');
    }
    clock.advance(1_000);
    expect(sockets.instances).toHaveLength(2);
    live().accept();
    await browser.settle();
    expect(tabs.map(({ ws }) => ws.state)).toEqual(['open', 'open', 'open']);
    clock.advance(60_000);
    expect(sockets.instances).toHaveLength(2);
  });

  it('should hand over when the leader is frozen and rejoin it as a follower on resume, sending what it queued meanwhile once', async () => {
    const tabs = await openTabs(2);
    const first = live();
    first.accept();
    await browser.settle();

    tabs[0]!.tab.signal('leave');
    expect(tabs[0]!.ws.state).toBe('connecting');
    tabs[0]!.ws.send('while frozen');
    await browser.settle();
    expect(tabs[1]!.ws.mode).toBe('leader');
    expect(first.closeCalls).toHaveLength(1); // disposed: closed at once
    live().accept();
    await browser.settle();
    expect(live().sent).toEqual([]);

    tabs[0]!.tab.signal('return');
    await browser.settle();
    expect(tabs[0]!.ws.mode).toBe('follower');
    expect(tabs[0]!.ws.state).toBe('open');
    expect(live().sent).toEqual(['while frozen']);
    expect(sockets.instances).toHaveLength(2);
  });

  it('should hand over at once when its socket closes with 1001 just after beforeunload (Firefox, as a navigation starts), and follow if the page stays', async () => {
    const tabs = await openTabs(3);
    const first = live();
    first.accept();
    await browser.settle();

    tabs[0]!.tab.signal('may-leave'); // beforeunload: nothing is handed over yet, the navigation may be cancelled
    await browser.settle();
    expect(tabs[0]!.ws.mode).toBe('leader');
    tabs[2]!.ws.send('t2:1');
    await browser.settle();
    expect(texts(first)).toEqual(['t2:1']);

    clock.advance(10);
    first.serverClose(1001); // the browser closes the page's socket for the navigation
    tabs[2]!.ws.send('t2:2'); // during the hand-over
    await browser.settle();
    expect(tabs.map(({ ws }) => ws.mode)).toEqual(['follower', 'leader', 'follower']);
    expect(sockets.instances).toHaveLength(2); // at once: no backoff in between
    // Every tab saw the close as it happened: the connection did drop.
    for (const { events } of tabs) expect(events.filter((event) => event.type === 'close')).toEqual([{ type: 'close', code: 1001 }]);

    // The navigation was cancelled (or was a download): the page stays, a follower, and its sends go through once.
    tabs[0]!.ws.send('t0:1');
    live().accept();
    await browser.settle();
    expect(texts(live())).toEqual(['t2:2', 't0:1']);
    expect(tabs.map(({ ws }) => ws.state)).toEqual(['open', 'open', 'open']);
    clock.advance(60_000); // the old socket's reconnect was cancelled with it
    expect(sockets.instances).toHaveLength(2);
    expect(texts(first)).toEqual(['t2:1']);
  });

  it('should reconnect as usual on a 1001 that comes long after beforeunload', async () => {
    const tabs = await openTabs(2);
    live().accept();
    await browser.settle();
    tabs[0]!.tab.signal('may-leave'); // cancelled: the page stayed
    clock.advance(5_000);
    live().serverClose(1001); // the server's own going-away
    await browser.settle();
    expect(tabs.map(({ ws }) => ws.mode)).toEqual(['leader', 'follower']);
    expect(sockets.instances).toHaveLength(1);
    expect(tabs[0]!.ws.state).toBe('waiting');
    clock.advance(1_000);
    expect(sockets.instances).toHaveLength(2);
    expect(tabs[0]!.ws.mode).toBe('leader');
  });

  it('should lead again at once when alone, and only once per beforeunload', async () => {
    const [tab] = await openTabs(1);
    live().accept();
    await browser.settle();
    tab!.tab.signal('may-leave');
    live().serverClose(1001);
    await browser.settle();
    expect(tab!.ws.mode).toBe('leader');
    expect(sockets.instances).toHaveLength(2);
    live().accept();
    await browser.settle();
    expect(tab!.ws.state).toBe('open');

    live().serverClose(1001); // again, with no new beforeunload: the usual backoff
    await browser.settle();
    expect(sockets.instances).toHaveLength(2);
    expect(tab!.ws.state).toBe('waiting');
    clock.advance(1_000);
    expect(sockets.instances).toHaveLength(3);
  });

  it("should pass a follower's reconnect() to the leader's socket", async () => {
    const [, follower] = await openTabs(2);
    live().accept();
    await browser.settle();
    follower!.ws.reconnect();
    await browser.settle();
    expect(sockets.instances[0]!.closeCalls).toHaveLength(1);
  });

  it('should give each tab a socket of its own without Web Locks, and say so', async () => {
    const tabs = await openTabs(2, { tabs: { locks: null } });
    expect(tabs.map(({ ws }) => [ws.mode, ws.shared])).toEqual([
      ['own', false],
      ['own', false],
    ]);
    expect(sockets.instances).toHaveLength(2);
    expect(browser.channels).toHaveLength(0);
    sockets.instances[0]!.accept();
    expect(tabs[0]!.ws.state).toBe('open');
    expect(tabs[0]!.ws.send('direct')).toBe(true);
    expect(sockets.instances[0]!.sent).toEqual(['direct']);
  });

  it('should give each tab a socket of its own without BroadcastChannel', async () => {
    const tabs = await openTabs(2, { tabs: { BroadcastChannel: null } });
    expect(tabs.map(({ ws }) => ws.mode)).toEqual(['own', 'own']);
    expect(sockets.instances).toHaveLength(2);
    expect(browser.waiting + (browser.holder() ? 1 : 0)).toBe(0);
  });

  it('should leave no listener, lock, lock request or timer after close()', async () => {
    const tabs = await openTabs(3);
    live().accept();
    await browser.settle();
    for (const { ws } of tabs) ws.close(1000, 'bye');
    await browser.settle();
    for (const socket of sockets.instances) if (socket.readyState === 2) socket.finishClose();
    await browser.settle();
    expect(tabs.map(({ ws }) => ws.state)).toEqual(['closed', 'closed', 'closed']);
    expect(tabs.map(({ events }) => events.filter((event) => event.type === 'close'))).toEqual(Array(3).fill([{ type: 'close', code: 1000 }]));
    expect(browser.listening()).toBe(0);
    expect(browser.holder()).toBeUndefined();
    expect(browser.waiting).toBe(0);
    expect(tabs.map(({ tab }) => tab.lifecycleSubscriptions)).toEqual([0, 0, 0]);
    expect(clock.pending()).toBe(0);
  });

  it('should join again on reconnect() after close()', async () => {
    const tabs = await openTabs(2);
    live().accept();
    await browser.settle();
    tabs[1]!.ws.close();
    await browser.settle();
    expect(tabs[1]!.ws.state).toBe('closed');
    live().message('missed');
    tabs[1]!.ws.reconnect();
    await browser.settle();
    expect(tabs[1]!.ws.state).toBe('open');
    live().message('seen');
    await browser.settle();
    expect(tabs[1]!.messages).toEqual(['seen']);
    expect(sockets.instances).toHaveLength(1);
  });

  it('should check its arguments as the socket does', () => {
    const tab = browser.tab('checks');
    const options = { WebSocket: sockets.Impl, tabs: tab.options };
    expect(() => new TabSharedWebSocket('ftp://example.test/', undefined, options)).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    expect(() => new TabSharedWebSocket(url, undefined, { ...options, reconnect: { maxDelayMs: -1 } })).toThrow(/maxDelayMs/);
    expect(() => new TabSharedWebSocket(() => url, undefined, options)).toThrow(/`tabs.key`/);
    expect(() => new TabSharedWebSocket(url, undefined, { ...options, tabs: { ...tab.options, key: 1 as unknown as string } })).toThrow(/`tabs.key` to be a string, got 1/);
    const ws = new TabSharedWebSocket(url, undefined, options);
    opened.push(ws);
    expect(() => ws.close(1001)).toThrow(expect.objectContaining({ name: 'InvalidAccessError' }));
    expect(() => ws.close(1000, 'x'.repeat(124))).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
  });
});
