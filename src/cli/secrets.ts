/**
 * What the probe must never print, and how it prints around it. Pure.
 *
 * A secret is anything on the command line that may carry a credential:
 * the URL's userinfo (user and password), every query value, the fragment,
 * every header value, and every sub-protocol offered (AppSync's `header-...`
 * and Kubernetes' `base64url.bearer...` sub-protocols carry tokens). Shown
 * as they are: the scheme, host, port and path of the URL, header names, the
 * sub-protocol the server selected, the ping and pong texts (the snippet
 * needs them) and the values of the numeric flags once they parsed.
 *
 * Two layers keep secrets out: nothing renders a secret field (URLs go
 * through {@link safeUrl}, header values and offered sub-protocols are never
 * rendered, an argument error describes a bad value instead of quoting it),
 * and text that comes from elsewhere (the server's status line and close
 * reason, Node's error messages) passes through {@link Secrets.scrub},
 * which masks any secret echoed in it.
 *
 * @module
 */

import { redactUrl } from '../core/report.js';

/** What replaces a secret. */
export const mask = '***';

const specialUrl = /^(?:wss?|https?):\/\//i;
const schemeWithSlashes = /^[a-z][a-z0-9+.-]*:\/\//i;

function parses(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** Query values masked, parameter names kept: as {@link redactUrl} does. */
function maskQuery(search: string): string {
  const parts = search.split('&').filter((part) => part !== '');
  return parts.map((part) => (part.includes('=') ? `${part.slice(0, part.indexOf('='))}=${mask}` : mask)).join('&');
}

/**
 * A URL as typed, safe to print even when it does not parse: userinfo,
 * query values and the fragment masked, scheme, host, port and path kept.
 * A URL that parses with a ws:, wss:, http: or https: scheme is printed as
 * `redactUrl` prints it; anything else is masked by its text, from the
 * scheme up to the last `@` (a password may hold `/`, `?` or `#`), then
 * the query and fragment.
 */
export function safeUrl(text: string): string {
  if (specialUrl.test(text) && parses(text)) return redactUrl(text);
  let rest = text;
  let head = '';
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    head = `${schemeWithSlashes.exec(rest)?.[0] ?? ''}${mask}@`;
    rest = rest.slice(at + 1);
  }
  const hash = rest.indexOf('#');
  const fragment = hash >= 0 ? `#${mask}` : '';
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  const query = question >= 0 ? `?${maskQuery(rest.slice(question + 1))}` : '';
  if (question >= 0) rest = rest.slice(0, question);
  return `${head}${rest}${query}${fragment}`;
}

const numberShaped = /^(?:[-+]?\d[\d.,_]*\s?[a-z]{0,3}|[a-z]{1,8})$/;

/**
 * An argument's value for an error message: quoted when it is shaped like
 * the number it should have been (`"5x"`, `"-1"`) or is a short lower-case
 * word (`"soon"`), else only described, since a misplaced argument may be a
 * token.
 */
export function describeValue(text: string): string {
  if (text.length <= 16 && numberShaped.test(text.trim())) return JSON.stringify(text);
  return text === '' ? 'an empty value' : `a value that is not a number (${text.length} characters, not shown: arguments may hold secrets)`;
}

/** A secret this short is not masked in foreign text: it would mask ordinary words and digits. */
const shortest = 3;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/** The secrets of one command line, to mask wherever foreign text may echo them. */
export class Secrets {
  readonly #values: string[];

  /** @param values - the secrets, as typed (decoded forms are added) */
  constructor(values: Iterable<string>) {
    const all = new Set<string>();
    for (const value of values) {
      for (const form of [value, decoded(value), encodeURIComponent(value)]) if (form.length >= shortest) all.add(form);
    }
    // Longest first, so a secret that contains another is masked whole.
    this.#values = [...all].sort((a, b) => b.length - a.length);
  }

  /** The secrets of a probe's URL, headers and offered sub-protocols. */
  static of(target: { readonly url: URL; readonly headers: Readonly<Record<string, string>>; readonly protocols: readonly string[] }): Secrets {
    const { url } = target;
    const values = [url.username, url.password, url.hash.slice(1), ...url.search.slice(1).split('&').map((part) => part.slice(part.indexOf('=') + 1)), ...target.protocols];
    for (const value of Object.values(target.headers)) {
      // A server may echo a part: the token of `Bearer <token>`, the value of one cookie.
      values.push(value, ...value.split(/[\s,;=]+/).filter((part) => part.length >= 6));
    }
    return new Secrets(values.filter((value) => value !== ''));
  }

  /** `text` with every secret in it replaced by {@link mask}. */
  scrub(text: string): string {
    let out = text;
    for (const value of this.#values) if (out.includes(value)) out = out.replaceAll(value, mask);
    return out;
  }
}
