/**
 * Stand-in for src/core/report.ts in the "without close reports" variant:
 * no explanation, no URL redaction (a report without a URL needs none).
 *
 * @module
 */

export type { CloseReport, CloseSummary, LibraryCause } from '../../../src/core/report.js';

export const knownIdleTimeouts: readonly { readonly ms: number; readonly who: string }[] = [];

export function explainClose(): string {
  return '';
}

export function redactUrl(url: string): string {
  return url;
}

export function redactUrls(text: string): string {
  return text;
}
