import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from './fake-socket.js';

const globals = globalThis as { WebSocket?: unknown };
const original = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');

afterEach(() => {
  if (original) Object.defineProperty(globalThis, 'WebSocket', original);
  else delete globals.WebSocket;
  vi.resetModules();
});

describe('globalThis.WebSocket = ResilientWebSocket', () => {
  it('should keep opening platform sockets captured at import, never wrapping itself', async () => {
    const opened: string[] = [];
    class PlatformSocket extends FakeSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        opened.push(url);
      }
    }
    globals.WebSocket = PlatformSocket;
    vi.resetModules();
    const { ResilientWebSocket } = await import('../../src/index.js');
    globals.WebSocket = ResilientWebSocket;

    const GlobalWebSocket = globals.WebSocket as typeof ResilientWebSocket;
    const socket = new GlobalWebSocket('ws://127.0.0.1:9/feed');
    try {
      expect(socket).toBeInstanceOf(ResilientWebSocket);
      expect(opened).toEqual(['ws://127.0.0.1:9/feed']);
      expect(socket.readyState).toBe(GlobalWebSocket.CONNECTING);
    } finally {
      socket.dispose();
    }
  });
});
