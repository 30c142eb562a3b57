/**
 * `diagnose`: the likely causes of recent abnormal closes, from the close
 * history alone (and what the socket knows besides: heartbeat settings,
 * network and page signals). Pure, and apart from the class: an
 * application that never asks for a diagnosis does not ship it.
 *
 * @module
 */

import type { CloseReport } from '../core/report.js';
import { detectors, type Scene } from './detect.js';
import type { Confidence, Diagnosis, DiagnosisContext, Finding } from './types.js';

export type { Cause, Confidence, Diagnosis, DiagnosisContext, DiagnoseFunction, Finding, SignalRecord } from './types.js';

/** How many of the most recent closes a diagnosis looks at. */
const windowSize = 12;

const rank: Readonly<Record<Confidence, number>> = { low: 0, medium: 1, high: 2 };

/**
 * The most likely causes of the recent abnormal closes in `history` (oldest
 * first, as `ws.history` gives it), each with a stable `cause` id, a
 * confidence, the evidence in numbers and the fix. Application closes and
 * back/forward-cache closes are not abnormal and are not considered. Thin
 * evidence is said so: one close gives at most `medium` confidence, and the
 * evidence reads "(one drop so far)". A history without abnormal closes
 * gives no findings.
 *
 * Pure: the same history and context always give the same diagnosis.
 *
 * @param history - close reports, oldest first; only the last 12 that count are read
 * @param context - what the socket knows besides the reports (all optional)
 *
 * @example
 * ```ts
 * const ws = new ResilientWebSocket(url, [], { diagnose });
 * ws.addEventListener('diagnosis', () => {
 *   const [first] = ws.diagnosis?.findings ?? [];
 *   if (first) console.warn(`${first.summary}. ${first.evidence}. ${first.fix}`);
 * });
 * // or at any time, on any history:
 * diagnose(ws.history, { heartbeat: false });
 * ```
 */
export function diagnose(history: readonly CloseReport[], context: DiagnosisContext = {}): Diagnosis {
  const counted = (r: CloseReport): boolean => r.initiator !== 'client' && r.libraryCause !== 'page-hidden';
  // The window: the last `windowSize` closes that count, with the application closes among them.
  const all = history.slice(history.flatMap((r, i) => (counted(r) ? [i] : [])).at(-windowSize) ?? 0);
  const scene: Scene = { all, considered: all.filter(counted), context, claimed: new Set() };
  const findings: Finding[] = detectors
    .flatMap((detect) => detect(scene))
    .map((finding, order) => ({ finding, order }))
    .sort((a, b) => rank[b.finding.confidence] - rank[a.finding.confidence] || b.finding.closes - a.finding.closes || a.order - b.order)
    .map(({ finding }) => finding);
  const first = findings[0];
  return {
    findings,
    cause: first?.cause ?? null,
    confidence: first?.confidence ?? null,
    summary: first
      ? `${first.cause} (${first.confidence} confidence): ${first.summary}. ${first.evidence}.`
      : scene.considered.length === 0
        ? 'no close to diagnose'
        : `nothing abnormal in the last ${scene.considered.length === 1 ? 'close' : `${scene.considered.length} closes`}`,
    considered: scene.considered.length,
    signature: findings.map((f) => `${f.cause}:${f.confidence}`).join(','),
  };
}
