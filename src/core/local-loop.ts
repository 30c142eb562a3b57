/**
 * The local loop: one developer's page talking to their own machine. The
 * fleet spread (see `backoff.ts`) protects a server from its fleet; a page
 * whose own origin is loopback, talking to a loopback server, is one
 * developer restarting their server, who should not wait seconds for it.
 *
 * @module
 */

/**
 * An absolute URL or origin, as `URL` serializes it, whose host is loopback:
 * `localhost` and its subdomains (with or without the final dot),
 * `127.0.0.0/8` (which `URL` writes in four decimal parts), `[::1]`. The
 * host must end at the port or the path, so `ws://localhost.example/`,
 * `ws://127.0.0.1.example/` and `ws://localhost:1@example.com/` are not
 * loopback; credentials before the host (`user@localhost`) are skipped.
 */
const loopbackUrl = /^\w+:\/\/([^/]*[.@])?(localhost\.?|127\.[\d.]+|\[::1\])(:\d+)?(\/|$)/;

/**
 * Whether a socket is on the local loop: the page's own origin is loopback
 * (`localhost`, `*.localhost`, `127.0.0.0/8`, `[::1]`) and so is the
 * socket's URL. `0.0.0.0` is not loopback (it names no host, and browsers
 * are closing it to pages); no origin (Node, Bun, React Native) and an
 * opaque one (`'null'`: a sandboxed frame, a `file:` page) are never local:
 * outside a page, localhost is often a sidecar, a tunnel or a port-forward
 * in front of a shared server.
 *
 * @param pageOrigin - the page's (or its worker's) `location.origin`; `null` or `undefined` where there is none
 * @param socketUrl - the socket's absolute URL, as `URL` serializes it
 * @example
 * ```ts
 * isLocalLoop('http://localhost:5173', 'ws://127.0.0.1:3000/'); // true
 * isLocalLoop('https://app.example', 'ws://127.0.0.1:3000/'); // false
 * ```
 */
export function isLocalLoop(pageOrigin: string | null | undefined, socketUrl: string): boolean {
  // No origin reads as the string "null" or "undefined", which is not loopback.
  return loopbackUrl.test(String(pageOrigin)) && loopbackUrl.test(socketUrl);
}

/**
 * The cap of the schedule on the local loop: with the default strategy the
 * first wait is spread over 0.5-1 s and later ones over 0.8-1 s, about one
 * attempt a second for as long as the server stays down. Back within about
 * a second of the server's return, and no hammering of a server that stays
 * down. Policy floors still apply (a 1013 still waits 5 s).
 */
export const localLoopMaxDelayMs = 1_000;
