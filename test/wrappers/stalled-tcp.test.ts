// @vitest-environment jsdom
/**
 * A stalled TCP connection under the React hook: the server stops reading
 * (TCP stays open, the close frame is never answered). The core's heartbeat
 * must replace the connection within interval + timeout + 1 s, without
 * waiting for a `close` event that never comes.
 */

import { cleanup, render } from '@testing-library/react';
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { useResilientWebSocket } from '../../src/react/index.js';
import { useHarness } from '../support/harness.js';
import { waitUntil } from '../support/wait.js';
import { countingWebSocket, nextTick } from './support.js';

const h = useHarness();
afterEach(async () => {
  cleanup();
  await nextTick();
});

const intervalMs = 500;
const timeoutMs = 500;

describe('a stalled connection under useResilientWebSocket', () => {
  it('should be replaced through the heartbeat, within twice interval + timeout + 1 s', async () => {
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
    const server = await h.server({ behaviour: { kind: 'dead' } });
    const counting = countingWebSocket();
    const seen: string[] = [];
    function Status() {
      const { state, lastClose } = useResilientWebSocket(server.url, { WebSocket: counting.WebSocket, heartbeat: { intervalMs, timeoutMs } });
      seen.push(`${state}${lastClose ? ` ${lastClose.code} ${lastClose.libraryCause ?? ''}` : ''}`);
      return createElement('p', null, state);
    }
    render(createElement(Status));
    await waitUntil(() => seen.at(-1) === 'open', 'open');
    const dead = await server.connection(1);
    server.behaviour = { kind: 'echo' };

    await waitUntil(() => server.connectionCount === 2, 'a second connection', 4 * (intervalMs + timeoutMs + 1000));
    // From the last inbound traffic (the open) to the replacement socket's construction.
    const replacedAfterMs = counting.constructedAt[1]! - counting.openedAt[0]!;
    console.log(`[react] stalled TCP replaced after ${replacedAfterMs} ms (bound ${intervalMs + timeoutMs + 1000} ms)`);
    // Twice the bound, for timers that fire late on a busy machine (the exact deadlines are on a fake
    // clock in the core's tests); without the heartbeat no replacement comes at all, and the last close
    // below names the heartbeat.
    expect(replacedAfterMs).toBeLessThanOrEqual(2 * (intervalMs + timeoutMs + 1000));
    expect(dead.closed).toBeNull(); // the dead peer never closed: nothing waited for it
    await waitUntil(() => seen.at(-1)?.startsWith('open 1006 heartbeat-timeout') === true, 'open again, the last close explained');
    expect(counting.constructed).toHaveLength(2);
  });
});
