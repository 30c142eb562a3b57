import { describe, expect, it } from 'vitest';
import { explainClose, redactUrl } from '../../src/core/report.js';
import { makeSummary } from './summary.js';

describe('redactUrl', () => {
  it('should mask the username and password', () => {
    expect(redactUrl('wss://alice:s3cret@example.com/socket')).toBe('wss://***:***@example.com/socket');
    expect(redactUrl('wss://alice@example.com/')).toBe('wss://***@example.com/');
    expect(redactUrl('wss://:s3cret@example.com/')).toBe('wss://:***@example.com/');
  });

  it('should mask every query value and keep the parameter names', () => {
    expect(redactUrl('wss://example.com/socket?token=abc.def&room=42&token=2')).toBe('wss://example.com/socket?token=***&room=***&token=***');
  });

  it('should mask a bare query value entirely, since it may be the token itself', () => {
    expect(redactUrl('wss://example.com/socket?eyJhbGciOi.payload')).toBe('wss://example.com/socket?***');
    expect(redactUrl('wss://example.com/socket?v=2&eyJhbGciOi')).toBe('wss://example.com/socket?v=***&***');
  });

  it('should drop the fragment', () => {
    expect(redactUrl('wss://example.com/socket#secret')).toBe('wss://example.com/socket');
    expect(redactUrl('wss://example.com/socket?a=1#secret')).toBe('wss://example.com/socket?a=***');
  });

  it('should keep the scheme, host, port and path', () => {
    expect(redactUrl('wss://api.example.com:8443/v2/live/feed')).toBe('wss://api.example.com:8443/v2/live/feed');
  });

  it('should leave no credential of the URL in the result', () => {
    const redacted = redactUrl('wss://user:hunter2@example.com:8443/v1/ws?access_token=eyJhbGciOi&sig=ab%2Fcd#frag-secret');
    for (const secret of ['user', 'hunter2', 'eyJhbGciOi', 'ab%2Fcd', 'ab/cd', 'frag-secret']) expect(redacted).not.toContain(secret);
    expect(redacted).toContain('example.com:8443/v1/ws');
    expect(redacted).toContain('access_token=***');
    expect(redacted).toContain('sig=***');
  });

  it.each(['', 'not a url', '://nope', 'ws://foo bar/'])('should return [invalid URL] for %j', (garbage) => {
    expect(redactUrl(garbage)).toBe('[invalid URL]');
  });
});

describe('explainClose', () => {
  it('should say the application closed it when the client asked', () => {
    expect(explainClose(makeSummary(1000, { initiator: 'client' }))).toMatch(/application/);
    expect(explainClose(makeSummary(1006, { initiator: 'client', online: false }))).toMatch(/application/);
  });

  it('should explain a heartbeat timeout as a half-open connection with its silence', () => {
    const text = explainClose(makeSummary(1006, { initiator: 'library', libraryCause: 'heartbeat-timeout', sinceLastMessageMs: 35_000 }));
    expect(text).toMatch(/half-open/);
    expect(text).toContain('35.0 s');
  });

  it('should explain a connect timeout as a handshake that never completed', () => {
    const text = explainClose(makeSummary(1006, { initiator: 'library', libraryCause: 'connect-timeout', phase: 'handshake' }));
    expect(text).toMatch(/handshake did not complete/);
    expect(text).toMatch(/proxy/);
  });

  it('should explain a provider failure and a bfcache close', () => {
    expect(explainClose(makeSummary(1006, { initiator: 'library', libraryCause: 'provider-failed', phase: 'handshake' }))).toMatch(/provider/);
    expect(explainClose(makeSummary(1006, { initiator: 'library', libraryCause: 'page-hidden' }))).toMatch(/back\/forward cache/);
  });

  it('should blame the network when the browser was offline', () => {
    expect(explainClose(makeSummary(1006, { online: false, sinceLastMessageMs: 60_000 }))).toMatch(/offline/);
  });

  it('should list the usual suspects for a handshake failure', () => {
    const text = explainClose(makeSummary(1006, { phase: 'handshake' }));
    expect(text).toMatch(/could not be established/);
    expect(text).toMatch(/DNS/);
    expect(text).toMatch(/TLS/);
    expect(text).toMatch(/1006/);
  });

  it.each([59_000, 60_000, 61_000])('should point at nginx or the ALB after %i ms of silence', (silence) => {
    const text = explainClose(makeSummary(1006, { sinceLastMessageMs: silence }));
    expect(text).toMatch(/nginx/);
    expect(text).toMatch(/ALB/);
    expect(text).toMatch(/heartbeat/);
  });

  it('should point at Heroku after 55 s of silence', () => {
    expect(explainClose(makeSummary(1006, { sinceLastMessageMs: 55_000 }))).toMatch(/Heroku/);
  });

  it('should point at Cloudflare after 100 s of silence', () => {
    expect(explainClose(makeSummary(1006, { sinceLastMessageMs: 100_000 }))).toMatch(/Cloudflare/);
  });

  it('should name no intermediary for a silence that matches none', () => {
    const text = explainClose(makeSummary(1006, { sinceLastMessageMs: 45_000 }));
    expect(text).not.toMatch(/nginx|Heroku|Cloudflare/);
    expect(text).toMatch(/without a close frame/);
  });

  it('should mention the hidden page when nothing more specific fits', () => {
    expect(explainClose(makeSummary(1006, { sinceLastMessageMs: 5_000, visible: false }))).toMatch(/hidden/);
  });

  it('should point at authentication and the token for a 1008 from the server', () => {
    const text = explainClose(makeSummary(1008));
    expect(text).toMatch(/authentication/);
    expect(text).toMatch(/token/);
  });

  it.each([
    [1001, /going away/],
    [1011, /internal error/],
    [1012, /restarting/],
    [1013, /overloaded/],
    [4001, /code 4001/],
  ] as const)('should explain server code %i', (code, pattern) => {
    expect(explainClose(makeSummary(code))).toMatch(pattern);
  });
});
