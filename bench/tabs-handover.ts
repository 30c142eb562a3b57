/**
 * Where a tab-sharing hand-over's time goes when the leading tab navigates
 * away, in a real browser: three tab pages (`?probe`, see
 * `test/browser/support/tabs.ts`) share one connection to a `ws` server on
 * 127.0.0.1; the leading page calls `location.assign()` itself (no driver
 * command in the measured path), and every step is timed with `Date.now()`
 * (one machine, one clock):
 *
 * - `navigate`: the leading page starts the navigation;
 * - `beforeunload`, `visibilitychange`, `pagehide`: the leading page's events, as it posted them;
 * - `resign heard`: a following tab learns the leader left (its state goes to `connecting`);
 * - `lock granted`: a following tab becomes the leader;
 * - `server`: the new connection reaches the server.
 *
 * - `old closed`: the old connection's end reaches the server (from then
 *   until `server`, the tabs have no connection: the outage).
 *
 * Each row is one hand-over; the leading page navigates in turn to
 * `about:blank`, to a page of the same origin, and to a page whose server
 * answers 1.5 s late (the old page stays, and keeps leading, until the new
 * page's response arrives: `pagehide` comes then, in every engine).
 *
 * Run: `npm run build && npx tsx bench/tabs-handover.ts` (`--engine firefox`
 * or `webkit`, `--runs 9`).
 */
import { parseArgs } from 'node:util';
import type { EngineName } from '../scripts/browsers.js';
import { launchTabs, startTabsPageServer, type BrowserTab } from '../test/browser/support/tabs.js';
import { startServer } from '../test/support/ws-server.js';

const { values } = parseArgs({ options: { engine: { type: 'string', default: 'chromium' }, runs: { type: 'string', default: '9' } } });
const engine = values.engine as EngineName;
if (!['chromium', 'firefox', 'webkit'].includes(engine)) throw new Error(`--engine: expected chromium, firefox or webkit, got ${values.engine}`);
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs: expected an integer from 1 to 50, got ${values.runs}`);

interface Heard {
  readonly type: string;
  readonly mode?: string;
  readonly at: number;
  readonly heardAt: number;
}
interface ProbeWindow {
  readonly tab: { status(): { mode: string; state: string }; readonly heard: Heard[]; navigate(url: string): void };
}

const browser = await launchTabs(engine);
const pages = await startTabsPageServer();
const rows: string[][] = [];
try {
  for (let run = 0; run < runs; run++) {
    const targets = [['about:blank', 'about:blank'], ['same-origin page', pages.elsewhereUrl], ['page answering in 1.5 s', `${pages.elsewhereUrl}?delayMs=1500`]] as const;
    const [label, target] = targets[run % targets.length]!;
    const server = await startServer({ behaviour: { kind: 'manual' } });
    const arrivals: number[] = [];
    let oldClosedAt: number | undefined;
    server.wss.on('connection', (socket) => {
      const first = arrivals.length === 0;
      arrivals.push(Date.now());
      if (first) socket.once('close', () => (oldClosedAt = Date.now()));
    });
    const group = await browser.group();
    try {
      const tabs: BrowserTab[] = [];
      for (let index = 0; index < 3; index++) tabs.push(await group.open(pages.pageUrl(server.url, ['probe'])));
      for (const tab of tabs) await tab.waitFor(() => (window as unknown as Partial<ProbeWindow>).tab?.status().state === 'open');
      const modes = await Promise.all(tabs.map((tab) => tab.evaluate(() => (window as unknown as ProbeWindow).tab.status().mode)));
      const leader = tabs[modes.indexOf('leader')]!;
      const others = tabs.filter((tab) => tab !== leader);
      await leader.evaluate((url) => {
        setTimeout(() => (window as unknown as ProbeWindow).tab.navigate(url), 0);
      }, target);
      await server.connection(2, 20_000);
      await others[0]!.waitFor(() => (window as unknown as ProbeWindow).tab.heard.some((entry) => entry.type === 'pagehide'));
      await new Promise((resolve) => setTimeout(resolve, 300)); // the last events reach the followers
      const heard = (await Promise.all(others.map((tab) => tab.evaluate(() => (window as unknown as ProbeWindow).tab.heard)))).flat();
      const resignedAt = await Promise.all(others.map((tab) => tab.evaluate(() => (window as unknown as ProbeWindow).tab.heard.find((entry) => entry.type === 'modechange:leader')?.at ?? null)));
      const start = heard.find((entry) => entry.type === 'navigate')?.at;
      if (start === undefined) throw new Error('no follower heard the navigation start');
      const first = (type: string): string => {
        const entry = heard.find((candidate) => candidate.type === type);
        return entry === undefined ? '-' : `${entry.at - start}`;
      };
      const granted = resignedAt.find((at) => at !== null);
      rows.push([
        label,
        first('beforeunload'),
        first('visibilitychange'),
        first('pagehide'),
        granted === undefined || granted === null ? '-' : `${granted - start}`,
        oldClosedAt === undefined ? '-' : `${oldClosedAt - start}`,
        `${arrivals[1]! - start}`,
        oldClosedAt === undefined ? '-' : `${arrivals[1]! - oldClosedAt}`,
      ]);
    } finally {
      await group.close();
      await server.close();
    }
  }
} finally {
  await browser.close();
  await pages.close();
}

const header = ['navigated to', 'beforeunload', 'visibilitychange', 'pagehide', 'lock granted', 'old closed', 'new at server', 'outage'];
console.log(`${engine}: ms after the leading page's location.assign(), ${runs} hand-overs`);
console.log(header.join(' | '));
for (const row of rows) console.log(row.join(' | '));
