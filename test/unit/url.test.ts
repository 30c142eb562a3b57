import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseProtocols, parseWebSocketUrl } from '../../src/url.js';

/** Runs `fn` and returns the DOMException it threw. */
function thrown(fn: () => unknown): DOMException {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DOMException);
    return error as DOMException;
  }
  throw new Error('expected a DOMException, nothing was thrown');
}

describe('parseWebSocketUrl', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it.each([
    ['http://example.com/chat', 'ws://example.com/chat'],
    ['https://example.com/chat?x=1', 'wss://example.com/chat?x=1'],
    ['ws://example.com/chat', 'ws://example.com/chat'],
    ['wss://example.com:8443/chat', 'wss://example.com:8443/chat'],
    ['WSS://Example.COM', 'wss://example.com/'],
    ['https://example.com:443/', 'wss://example.com/'],
  ])('should parse %s as %s', (input, expected) => {
    expect(parseWebSocketUrl(input)).toBe(expected);
  });

  it('should accept a URL object', () => {
    expect(parseWebSocketUrl(new URL('https://example.com/a'))).toBe('wss://example.com/a');
  });

  it.each(['ftp://x/', 'mailto:a@b', 'about:blank', 'ws://foo bar.com/', 'ws://x/#', 'ws://x/#a', '/relative', 'chat', ''])(
    'should throw a SyntaxError DOMException for %j when there is no document',
    (input) => {
      expect(thrown(() => parseWebSocketUrl(input)).name).toBe('SyntaxError');
    },
  );

  it('should resolve a relative URL against the document when there is one', () => {
    vi.stubGlobal('document', { baseURI: 'https://app.example.com/rooms/index.html' });
    expect(parseWebSocketUrl('/live')).toBe('wss://app.example.com/live');
    expect(parseWebSocketUrl('socket')).toBe('wss://app.example.com/rooms/socket');
  });
});

describe('parseProtocols', () => {
  it('should accept nothing, a string or an array', () => {
    expect(parseProtocols(undefined)).toEqual([]);
    expect(parseProtocols('graphql-transport-ws')).toEqual(['graphql-transport-ws']);
    expect(parseProtocols(['v2.chat', 'v1.chat'])).toEqual(['v2.chat', 'v1.chat']);
    expect(parseProtocols([])).toEqual([]);
  });

  it('should accept every HTTP token character', () => {
    const token = "!#$%&'*+-.^_`|~09AZaz";
    expect(parseProtocols(token)).toEqual([token]);
  });

  it.each([
    ['an empty string', ''],
    ['an empty string in an array', ['a', '']],
    ['a space', 'a b'],
    ['a comma', 'a,b'],
    ['a semicolon', 'a;b'],
    ['a slash', 'a/b'],
    ['a tab', 'a\tb'],
    ['a control character', 'a\u0001'],
    ['non-ASCII', 'proto\u00e9'],
    ['an emoji', '😀'],
    ['a duplicate', ['chat', 'chat']],
  ])('should throw a SyntaxError DOMException for %s', (_name, protocols) => {
    expect(thrown(() => parseProtocols(protocols)).name).toBe('SyntaxError');
  });

  it('should treat protocols that differ only in case as repeated, as the WebSocket constructor does', () => {
    expect(() => parseProtocols(['Chat', 'chat'])).toThrow(expect.objectContaining({ name: 'SyntaxError' }));
    expect(parseProtocols(['chat', 'chat.v2'])).toEqual(['chat', 'chat.v2']);
  });
});
