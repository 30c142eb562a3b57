/**
 * URL and sub-protocol checks, exactly as the WebSocket constructor does
 * them: same results, same `SyntaxError`s.
 *
 * @module
 */

import { isDevelopment } from './mode.js';

/**
 * Parses a WebSocket URL as a browser does: relative URLs resolve against
 * the document, `http:` and `https:` become `ws:` and `wss:`.
 *
 * @returns the serialized URL
 * @throws DOMException `SyntaxError` for an unparsable URL, another scheme, or a fragment
 */
export function parseWebSocketUrl(url: string | URL): string {
  const base = typeof document === 'undefined' ? undefined : document.baseURI;
  let parsed: URL;
  try {
    parsed = new URL(String(url), base);
  } catch {
    // Quoted without what may be a secret: userinfo, query and fragment (the URL could not be parsed, so by hand).
    throw syntaxError(isDevelopment ? `The URL '${String(url).replace(/\/\/[^/?#]*@/, '//***@').replace(/[?#][^]*/, '?***')}' is invalid.` : 'URL');
  }
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw syntaxError(isDevelopment ? `The URL's scheme must be either 'http', 'https', 'ws', or 'wss'. '${parsed.protocol.slice(0, -1)}' is not allowed.` : 'scheme');
  }
  if (parsed.hash !== '' || String(url).includes('#')) {
    throw syntaxError(isDevelopment ? `The URL contains a fragment identifier ('${parsed.hash}'). Fragment identifiers are not allowed in WebSocket URLs.` : 'fragment');
  }
  return parsed.href;
}

/**
 * The origin of a URL that {@link parseWebSocketUrl} accepted
 * (`ws://host:port`), for `MessageEvent.origin`.
 */
export function webSocketOrigin(href: string): string {
  // Reconnects and sibling sockets of one URL share the last answer: one parse and one string, not one per connection.
  if (href !== lastOrigin.href) lastOrigin = { href, origin: new URL(href).origin };
  return lastOrigin.origin;
}

let lastOrigin = { href: '', origin: '' };

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** The protocol list of a socket that asked for none, shared. */
const noProtocols: readonly string[] = [];

/**
 * Normalizes and checks sub-protocols: each must be an HTTP token, and none
 * may repeat (ignoring case).
 *
 * @throws DOMException `SyntaxError` for an invalid or repeated protocol
 */
export function parseProtocols(protocols: string | readonly string[] | undefined): readonly string[] {
  if (protocols === undefined) return noProtocols;
  const isSequence = typeof protocols === 'object' && protocols !== null && Symbol.iterator in protocols;
  const list = isSequence ? Array.from(protocols, String) : [String(protocols)];
  const seen = new Set<string>();
  for (const protocol of list) {
    if (!token.test(protocol)) throw syntaxError(isDevelopment ? `The subprotocol '${protocol}' is invalid.` : `subprotocol ${protocol}`);
    // Sub-protocol names are compared case-insensitively, as in the handshake.
    const key = protocol.toLowerCase();
    if (seen.has(key)) throw syntaxError(isDevelopment ? `The subprotocol '${protocol}' is duplicated.` : `subprotocol ${protocol}`);
    seen.add(key);
  }
  return list;
}

function syntaxError(message: string): DOMException {
  return new DOMException(isDevelopment ? `Failed to construct 'WebSocket': ${message}` : `Invalid ${message}`, 'SyntaxError');
}
