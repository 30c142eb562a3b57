import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { parseProtocols, parseWebSocketUrl, webSocketOrigin } from '../../src/core/url.js';

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
  it('should quote an unparsable URL without its userinfo, query or fragment', () => {
    let message = '';
    try {
      parseWebSocketUrl('ws://alice:S3CRET@127.0.0.1:99999/live?token=S3CRET#S3CRET');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("The URL 'ws://***@127.0.0.1:99999/live?***' is invalid.");
    expect(message).not.toContain('S3CRET');
  });
});

describe('webSocketOrigin', () => {
  it.each([
    'ws://example.com/chat',
    'wss://example.com:8443/a/b?x=/y@z',
    'https://example.com:443/',
    'http://user:p%40ss@example.com:8080/live?token=a@b',
    'ws://user@[::1]:9000/',
    'ws://127.0.0.1:1/@/x',
    'wss://bücher.example/',
    'ws://EXAMPLE.com:80/',
  ])('should give the URL standard origin of %s', (input) => {
    const href = parseWebSocketUrl(input);
    expect(webSocketOrigin(href)).toBe(new URL(href).origin);
  });

  it('should agree with the URL standard for any WebSocket URL with userinfo, port, path and query', () => {
    const part = fc.stringMatching(/^[a-z0-9@:/?=&%.-]{0,12}$/);
    fc.assert(
      fc.property(fc.constantFrom('ws', 'wss', 'http', 'https'), part, part, fc.domain(), fc.option(fc.integer({ min: 1, max: 65535 })), part, part,
        (scheme, user, password, host, port, path, query) => {
          const raw = `${scheme}://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}${port === null ? '' : `:${port}`}/${path}?${query}`;
          let href: string;
          try {
            href = parseWebSocketUrl(raw);
          } catch {
            return; // not a WebSocket URL at all: nothing to compare
          }
          expect(webSocketOrigin(href)).toBe(new URL(href).origin);
        }),
      { numRuns: 500 },
    );
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
