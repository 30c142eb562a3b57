/**
 * Server-side rendering of the React hook in plain Node: no `window`, no
 * global `WebSocket`. Rendering must not throw, open nothing and leave no
 * timer, and show the state the client hydrates with.
 */

import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useResilientWebSocket } from '../../src/react/index.js';
import { optionError, pendingTimers } from './support.js';

function Status({ url, enabled = true }: { url: string | null; enabled?: boolean }) {
  const { state, readyState, socket } = useResilientWebSocket(url, { enabled, heartbeat: true });
  return createElement('p', null, `${state} ${readyState} ${socket === null ? 'no socket' : 'socket'}`);
}

const globals = globalThis as { WebSocket?: unknown };
let saved: unknown;

beforeEach(() => {
  saved = globals.WebSocket;
  delete globals.WebSocket; // Node 22 has one; a server build must not need it
});
afterEach(() => {
  if (saved !== undefined) globals.WebSocket = saved;
});

describe('useResilientWebSocket on the server', () => {
  it('should render the connecting state with no socket, no window, no WebSocket and no timer left', () => {
    expect(typeof (globalThis as { window?: unknown }).window).toBe('undefined');
    expect(globals.WebSocket).toBeUndefined();
    const timers = pendingTimers();
    const html = renderToString(createElement(Status, { url: 'wss://example.com/feed' }));
    expect(html).toBe('<p>connecting 0 no socket</p>');
    expect(pendingTimers()).toBe(timers);
  });

  it('should name the option, the expected value and the given one for a bad hook option', () => {
    const Bad = ({ options }: { options: object }) => {
      useResilientWebSocket('wss://example.com/feed', options);
      return null;
    };
    expect(() => renderToString(createElement(Bad, { options: { enabled: 'no' } }))).toThrow(optionError('Expected `enabled` to be a boolean, got "no"'));
    expect(() => renderToString(createElement(Bad, { options: { selectMessage: 42 } }))).toThrow(optionError('Expected `selectMessage` to be a function, got 42'));
  });

  it('should render the closed state for a null URL or enabled: false', () => {
    expect(renderToString(createElement(Status, { url: null }))).toBe('<p>closed 3 no socket</p>');
    expect(renderToString(createElement(Status, { url: 'wss://example.com/feed', enabled: false }))).toBe('<p>closed 3 no socket</p>');
  });
});
