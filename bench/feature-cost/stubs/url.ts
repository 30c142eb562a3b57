/**
 * Stand-in for src/core/url.ts in the "without exact native behaviour"
 * variant: the URL and protocols passed on unchecked, as most wrappers do.
 *
 * @module
 */

export function parseWebSocketUrl(url: string | URL): string {
  return String(url);
}

export function webSocketOrigin(): string {
  return '';
}

export function parseProtocols(protocols: string | readonly string[] | undefined): readonly string[] {
  return protocols === undefined ? [] : typeof protocols === 'string' ? [protocols] : [...protocols];
}
