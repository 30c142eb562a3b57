/** A factory of {@link CloseSummary} objects for policy and report tests. */

import { classifyClose } from '../../src/core/close-codes.js';
import type { CloseSummary } from '../../src/core/report.js';

/**
 * A close summary for `code`, classified like the library does: a 1006
 * after open from the network by default, any other code from the server.
 * Every field can be overridden.
 */
export function makeSummary(code: number, overrides: Partial<CloseSummary> = {}): CloseSummary {
  const opened = overrides.phase !== 'handshake';
  const classification = classifyClose({ code, reason: '', wasClean: code !== 1006, opened });
  return {
    code,
    reason: '',
    wasClean: code !== 1006,
    ...classification,
    libraryCause: null,
    url: 'wss://example.com/socket',
    attempt: 0,
    at: 100_000,
    openDurationMs: opened ? 30_000 : null,
    sinceLastMessageMs: opened ? 1_000 : null,
    sinceLastPongMs: null,
    errorFirst: code === 1006,
    online: true,
    visible: true,
    ...overrides,
  };
}
