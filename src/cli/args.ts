/**
 * The command line: `resilient-websocket probe <url> [options]`, parsed
 * with node:util's parseArgs and checked, each bad argument named with what
 * was expected and what was given (never a secret: see secrets.ts).
 *
 * @module
 */

import { parseArgs } from 'node:util';
import type { ProbeOptions } from './probe.js';
import { describeValue, safeUrl } from './secrets.js';

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
  if (match === null) throw new UsageError(`Expected ${flag} to be a duration such as 30s, 2500ms or 2m (a bare number is in ${unit}), got ${describeValue(text)}`);
  return Math.round(Number(match[1]) * unitMs[(match[2] ?? unit) as keyof typeof unitMs]);
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const reservedHeaders = ['host', 'connection', 'upgrade', 'sec-websocket-key', 'sec-websocket-version', 'sec-websocket-protocol', 'sec-websocket-extensions'];

/** The first character of `text` that `allowed` rejects, described by position (the text may be a secret). */
function badCharacter(text: string, allowed: RegExp): string {
  const chars = Array.from(text);
  const index = chars.findIndex((char) => !allowed.test(char));
  const char = chars[index] ?? '';
  const code = char.codePointAt(0) ?? 0;
  const name = char === ' ' ? 'a space' : code < 0x20 || code === 0x7f ? 'a control character' : code > 0x7f ? 'a non-ASCII character' : `'${char}'`;
  return `${name} at character ${index + 1}`;
}

function parseHeader(text: string): [string, string] {
  const colon = text.indexOf(':');
  // The text may be a secret: describe it, never repeat it.
  if (colon <= 0) throw new UsageError(`Expected -H to be 'Name: value', got a header without a name before ':'`);
  const name = text.slice(0, colon).trim();
  if (!token.test(name)) throw new UsageError(`Expected -H to start with a header name (letters, digits, -), got a name with ${badCharacter(name, /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/)}`);
  if (reservedHeaders.includes(name.toLowerCase())) throw new UsageError(`Expected -H to name a header the handshake does not set itself, got ${name} (use --protocol for sub-protocols)`);
  const value = text.slice(colon + 1).trim();
  if (/[\r\n\0]/.test(value)) throw new UsageError(`Expected the value of the -H ${name} header on one line, got one with a line break or NUL (not shown: header values are never printed)`);
  return [name, value];
}

/** The -H headers; a name given twice (in any case) sends its values joined, as HTTP allows (`; ` for Cookie). */
function parseHeaders(texts: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const spelled = new Map<string, string>();
  for (const [name, value] of texts.map(parseHeader)) {
    const key = spelled.get(name.toLowerCase());
    if (key === undefined) {
      spelled.set(name.toLowerCase(), name);
      headers[name] = value;
    } else headers[key] = `${headers[key] ?? ''}${key.toLowerCase() === 'cookie' ? '; ' : ', '}${value}`;
  }
  return headers;
}

function parseProtocols(texts: readonly string[]): string[] {
  const protocols = texts.flatMap((p) => p.split(',')).map((p) => p.trim());
  const seen = new Map<string, number>();
  for (const [index, protocol] of protocols.entries()) {
    // Offered sub-protocols may carry tokens: say which one is wrong and why, never what it is.
    const which = `sub-protocol ${index + 1}`;
    if (protocol === '') throw new UsageError(`Expected --protocol to be a token (letters, digits, -._~ and a few more), got an empty ${which}`);
    if (!token.test(protocol)) throw new UsageError(`Expected --protocol to be a token (letters, digits, -._~ and a few more), got ${which} with ${badCharacter(protocol, /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/)} (not shown: sub-protocols may carry tokens)`);
    const first = seen.get(protocol.toLowerCase());
    if (first !== undefined) throw new UsageError(`Expected each --protocol once, got sub-protocol ${index + 1} repeating sub-protocol ${first + 1}`);
    seen.set(protocol.toLowerCase(), index);
  }
  return protocols;
}

const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i;
const noScheme = 'Expected <url> to start with ws://, wss://, http:// or https://, got an argument without (not shown: without a scheme, a user and password cannot be told apart)';

/** Why a URL with a scheme does not parse, as far as its shape tells. */
function urlProblem(text: string): string {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/(?:.*@)?([^/?#@]*)/i.exec(text)?.[1] ?? '';
  const port = /:([^:\]]*)$/.exec(authority)?.[1];
  if (port !== undefined && port !== '' && !/^\d+$/.test(port)) return 'a port that is not a number';
  if (port !== undefined && Number(port) > 65_535) return `the port ${port} is above 65535`;
  if (authority === '' || authority.startsWith(':')) return 'no host';
  return 'a host or port the URL parser rejects';
}

function parseUrl(text: string): URL {
  // Without `//` the "scheme" may be a user name (`alice:secret@host`): such text is never quoted.
  if (!hasScheme.test(text)) throw new UsageError(noScheme);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`Expected <url> to be an absolute ws:, wss:, http: or https: URL, got ${JSON.stringify(safeUrl(text))}: ${urlProblem(text)}`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') throw new UsageError(`Expected <url> to be a ws:, wss:, http: or https: URL, got the scheme ${url.protocol}`);
  if (url.hash !== '' || text.includes('#')) throw new UsageError('Expected <url> without a fragment (#...), as WebSocket URLs allow none');
  return url;
}

/** The first positional when it is not `probe`: a command-like word is quoted, anything else only described. */
function commandError(command: string): UsageError {
  if (/^[a-z][a-z-]{0,20}$/.test(command)) return new UsageError(`Expected the command probe, got ${JSON.stringify(command)}`);
  if (hasScheme.test(command)) return new UsageError(`Expected the command probe, got the URL ${JSON.stringify(safeUrl(command))} (probe goes before it)`);
  return new UsageError('Expected the command probe, got an argument that is not a command (not shown: it may hold a secret)');
}

/** parseArgs's complaint in our words: the flag it names when that is a flag's name, else not the argument itself. */
function argumentError(error: unknown): UsageError {
  const { code, message } = error as { code?: string; message?: string };
  const flag = /'(-[^' ]*)/.exec(message ?? '')?.[1] ?? '';
  const named = /^--?[a-z][a-z0-9-]{0,30}$/.test(flag) ? flag : 'an option';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new UsageError(`Unknown option ${named === 'an option' ? '(not shown: it may hold a secret)' : `'${named}'`} (see --help; a value that starts with - goes as --flag=-value)`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && (message ?? '').includes('does not take an argument')) return new UsageError(`Expected ${named} without a value (see --help)`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && (message ?? '').includes('ambiguous')) return new UsageError(`Expected a value after ${named}, got another option (a value that starts with - goes as ${named}=-value)`);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new UsageError(`Expected a value after ${named}, got none (see --help)`);
  return new UsageError(`Could not read the arguments (${code ?? 'error'}; see --help)`);
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
    throw argumentError(error);
  }
  const { values, positionals } = parsed;
  if (values.help === true) return { kind: 'help' };
  if (values.version === true) return { kind: 'version' };
  const [command, target, ...extra] = positionals;
  if (command === undefined) throw new UsageError('Expected a command (probe), got none');
  if (command !== 'probe') throw commandError(command);
  if (target === undefined) throw new UsageError('Expected a URL after probe, got none');
  if (extra.length > 0) throw new UsageError(`Expected one URL, got ${extra.length + 1} arguments after probe`);

  const protocols = parseProtocols(values.protocol ?? []);
  const pings = values.pings === undefined ? 3 : Number(values.pings);
  if (!Number.isInteger(pings) || pings < 1 || pings > 100) throw new UsageError(`Expected --pings to be a whole number from 1 to 100, got ${describeValue(values.pings ?? '')}`);
  const timeoutMs = values.timeout === undefined ? 10_000 : parseDuration('--timeout', values.timeout, 'ms');
  if (timeoutMs < 1) throw new UsageError(`Expected --timeout to be at least 1 ms, got ${describeValue(values.timeout ?? '')}`);
  const keepaliveMs = values.keepalive === undefined ? null : parseDuration('--keepalive', values.keepalive, 'ms');
  if (keepaliveMs !== null && keepaliveMs < 10) throw new UsageError(`Expected --keepalive to be at least 10 ms, got ${describeValue(values.keepalive ?? '')}`);
  const options: ProbeOptions = {
    url: parseUrl(target),
    headers: parseHeaders(values.header ?? []),
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
