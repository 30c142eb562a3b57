/**
 * The conformance checks: every behaviour of the web-platform-tests
 * `websockets/` suite that a Node test can reach, each a named async
 * function `(WS, server) => Promise<void>` that throws on failure. They are
 * written from what the WPT files assert (listed in each check's `wpt`),
 * not copied from them.
 *
 * Out of reach from Node, so not here: relative URLs resolved against a
 * document, blocked ports (a fetch-layer SecurityError), cookies, referrer,
 * workers, TLS (`Secure-*` files run here over ws://), HTTP/2, and the
 * tests that redefine accessors on the global prototype.
 */

import { closeChecks } from './checks-close.js';
import { constructorChecks } from './checks-constructor.js';
import { eventChecks } from './checks-events.js';
import { interfaceChecks } from './checks-interface.js';
import { messageChecks } from './checks-messages.js';
import type { Check } from './support.js';

export type { Check, WebSocketClass } from './support.js';

/** Every check, in a stable order. Names are unique. */
export const checks: readonly Check[] = [...constructorChecks, ...interfaceChecks, ...closeChecks, ...messageChecks, ...eventChecks];
