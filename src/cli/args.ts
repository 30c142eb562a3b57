/**
 * The command line: `resilient-websocket probe <url> [options]`, parsed
 * with node:util's parseArgs and checked, each bad argument named with what
 * was expected and what was given (never a header value).
 *
 * @module
 */

import { parseArgs } from 'node:util';
import { redactUrl } from '../core/report.js';
import type { ProbeOptions } from './probe.js';

/** A bad command line: exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What the command line asks for. */
export type Command = { readonly kind: 'help' } | { readonly kind: 'version' } | { readonly kind: 'probe'; readonly options: ProbeOptions; readonly json: boolean };

/** The help text. */
export const usage = `Usage: resilient-websocket probe <url> [options]

Measures a WebSocket path: the handshake (DNS, TCP, TLS, upgrade), the
round trip of an application ping, whether protocol pings are answered, and
the idle timeout of the path; then recommends client options.

Options:
  -H, --header 'Name: value'  an extra request header (repeatable; values are never printed)
  -p, --protocol <name>       a sub-protocol to offer (repeatable)
      --insecure              accept any TLS certificate (self-signed)
      --ping <text>           the application ping (default: ping)
      --pong <text>           the answer that counts as its pong (default: pong)
      --pings <n>             how many application pings to time (default: 3)
      --timeout <ms>          the bound of each handshake step and each ping (default: 10000)
      --idle-max <s>          the longest silence to wait for (default: 130; 0 skips the idle step)
      --keepalive <ms>        check that a ping at this interval keeps the connection past the idle timeout
      --json                  print the report as JSON
  -h, --help                  this text

Durations take a unit suffix (ms, s, m); a bare number is in the unit shown.
Exit codes: 0 a clean report, 1 a failed probe, 2 bad arguments, 130 interrupted.`;

const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m)?$/;
const unitMs = { ms: 1, s: 1000, m: 60_000 } as const;

/** A duration in ms from `text`; a bare number is in `unit`. */
export function parseDuration(flag: string, text: string, unit: keyof typeof unitMs): number {
  const match = durationPattern.exec(text.trim());
  if (match === null) throw new UsageError(`Expected ${flag} to be a duration such as 30s, 2500ms or 2m (a bare number is in ${unit}), got ${JSON.stringify(text)}`);
  return Math.round(Number(match[1]) * unitMs[(match[2] ?? unit) as keyof typeof unitMs]);
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const reservedHeaders = ['host', 'connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-extensions'];

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  // The text may be a secret: describe it, never repeat it.
  if (colon <= 0) throw new UsageError(`Expected -H to be 'Name: value', got a header without a name before ':'`);
  const name = text.slice(0, colon).trim();
  if (!token.test(name)) throw new UsageError(`Expected -H to start with a header name (letters, digits, -), got a name with other characters`);
  if (reservedHeaders.includes(name.toLowerCase())) throw new UsageError(`Expected -H to name a header the handshake does not set itself, got ${name} (use --protocol for sub-protocols)`);
  return [name, text.slice(colon + 1).trim()];
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`Expected <url> to be an absolute ws:, wss:, http: or https: URL, got ${JSON.stringify(redactUrl(text) === '[invalid URL]' ? text.replace(/[?#].*$/, '') : text)}`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new UsageError(`Expected <url> to be a ws:, wss:, http: or https: URL, got the scheme ${url.protocol}`);
  if (url.hash !== '') throw new UsageError('Expected <url> without a fragment (#...), as WebSocket URLs allow none');
  return url;
}

/**
 * Reads the command line (the arguments after the program name).
 *
 * @throws UsageError for anything it cannot accept
 */
export function parseCommand(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        header: { type: 'string', short: 'H', multiple: true },
        protocol: { type: 'string', short: 'p', multiple: true },
        insecure: { type: 'boolean' },
        ping: { type: 'string' },
        pong: { type: 'string' },
        pings: { type: 'string' },
        timeout: { type: 'string' },
        'idle-max': { type: 'string' },
        keepalive: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    });
  } catch (error) {
    // parseArgs names the option; its first sentence says what is wrong.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message.split('. ')[0] ?? message} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const [command, target, ...extra] = positionals;
  if (command === undefined) throw new UsageError('Expected a command (probe), got none');
  if (command !== 'probe') throw new UsageError(`Expected the command probe, got ${JSON.stringify(command)}`);
  if (target === undefined) throw new UsageError('Expected a URL after probe, got none');
  if (extra.length > 0) throw new UsageError(`Expected one URL, got ${extra.length + 1} arguments after probe`);

  const protocols = (values.protocol ?? []).flatMap((p) => p.split(',')).map((p) => p.trim());
  for (const protocol of protocols) if (!token.test(protocol)) throw new UsageError(`Expected --protocol to be a token (letters, digits, -._~ and a few more), got ${JSON.stringify(protocol)}`);
  const pings = values.pings === undefined ? 3 : Number(values.pings);
  if (!Number.isInteger(pings) || pings < 1 || pings > 100) throw new UsageError(`Expected --pings to be a whole number from 1 to 100, got ${JSON.stringify(values.pings)}`);
  const timeoutMs = values.timeout === undefined ? 10_000 : parseDuration('--timeout', values.timeout, 'ms');
  if (timeoutMs < 1) throw new UsageError(`Expected --timeout to be at least 1 ms, got ${JSON.stringify(values.timeout)}`);
  const keepaliveMs = values.keepalive === undefined ? null : parseDuration('--keepalive', values.keepalive, 'ms');
  if (keepaliveMs !== null && keepaliveMs < 10) throw new UsageError(`Expected --keepalive to be at least 10 ms, got ${JSON.stringify(values.keepalive)}`);
  const options: ProbeOptions = {
    url: parseUrl(target),
    headers: Object.fromEntries((values.header ?? []).map(parseHeader)),
    protocols,
    insecure: values.insecure === true,
    timeoutMs,
    ping: values.ping ?? 'ping',
    pong: values.pong ?? 'pong',
    pingCount: pings,
    idleMaxMs: values['idle-max'] === undefined ? 130_000 : parseDuration('--idle-max', values['idle-max'], 's'),
    keepaliveMs,
  };
  return { kind: 'probe', options, json: values.json === true };
}
