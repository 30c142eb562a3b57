/**
 * The probe's report as text for a person. Pure.
 *
 * @module
 */

import type { ProbeReport } from './probe.js';
import { describeEnd, seconds } from './verdict.js';

const ms = (value: number | null, absent: string): string => (value === null ? absent : `${value.toFixed(1)} ms`);

/** The report as readable lines. */
export function formatReport(report: ProbeReport): string {
  const out: string[] = [`resilient-websocket probe ${report.url}`];
  if (report.headers.length > 0) out.push(`headers: ${report.headers.join(', ')} (values hidden)`);
  if (report.protocols.length > 0) out.push(`sub-protocols offered: ${report.protocols.join(', ')} (hidden, as they may carry tokens, but the one the server selected)`);
  out.push('');

  const handshake = report.handshake;
  if (handshake !== null) {
    const t = handshake.timings;
    out.push('handshake');
    out.push(`  DNS      ${ms(t.dnsMs, '-  (an IP address)')}`);
    out.push(`  TCP      ${ms(t.tcpMs, '-')}`);
    out.push(`  TLS      ${ms(t.tlsMs, report.url.startsWith('wss:') ? '-' : '-  (ws:, no TLS)')}`);
    out.push(`  upgrade  ${ms(t.upgradeMs, '-')}${handshake.ok ? `  (101${handshake.protocol ? `, sub-protocol ${handshake.protocol}` : ''}${handshake.extensions ? `, extensions ${handshake.extensions}` : ''})` : ''}`);
    out.push(`  total    ${ms(t.totalMs, '-')}`);
    if (handshake.failure !== null) out.push(`✘ the handshake failed at the ${handshake.failure.step} step: ${handshake.failure.message}`);
  }

  const app = report.appPing;
  if (app !== null) {
    const label = `application ping '${app.ping}' -> '${app.pong}'`;
    const missed = !app.connectionOpen ? 'the connection ended before an answer' : `not answered within ${seconds(app.timeoutMs)}`;
    if (app.answered === 0) {
      out.push(`${label}: ${missed} (${app.sent} sent)${app.connectionOpen ? `: a client heartbeat with this ping and pong would close healthy connections` : ''}`);
    } else {
      const sorted = [...app.rttMs].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
      const rest = app.answered < app.sent ? `; the next one ${missed}` : '';
      out.push(`${label}: ${app.answered} of ${app.sent} answered, RTT min ${sorted[0] ?? 0} / median ${median} / max ${sorted.at(-1) ?? 0} ms${rest}`);
    }
  }
  const protocolPing = report.protocolPing;
  if (protocolPing !== null) {
    const unanswered = protocolPing.connectionOpen ? `not answered within ${seconds(protocolPing.timeoutMs)}: the server or a proxy on the path does not answer protocol pings` : 'not answered: the connection ended first';
    out.push(`protocol ping: ${protocolPing.answered ? `answered in ${ms(protocolPing.rttMs, '?')}` : unanswered}`);
  }
  if (report.idle !== null) out.push(`idle timeout: ${report.idle.verdict}`);
  const keepalive = report.keepalive;
  if (keepalive !== null) {
    const label = `keepalive every ${keepalive.intervalMs} ms`;
    const measured = report.idle?.timeoutMs ?? null;
    if (keepalive.failure !== null) out.push(`${label}: could not reconnect: ${keepalive.failure.message}`);
    else if (keepalive.survived) {
      // Held past a measured drop, the pings beat it; with no drop measured, there was nothing to beat.
      const what = measured === null ? `; no idle timeout was measured, so this shows only that the connection stays open that long with these pings` : `, past the ${seconds(measured)} of silence that ended the first connection`;
      out.push(`${label}: held the connection for ${seconds(keepalive.heldMs)} (target ${seconds(keepalive.targetMs)})${what} ✔`);
    } else if (keepalive.end !== null) {
      out.push(`${label}: ✘ the connection was ${describeEnd(keepalive.end)} after ${seconds(keepalive.heldMs)} despite the pings: either they do not count as traffic on the path (does the server answer them?), or the path ends connections after a fixed time whatever the traffic`);
    } else out.push(`${label}: interrupted after ${seconds(keepalive.heldMs)}`);
  }
  if (report.recommendation !== null) {
    out.push('', 'recommended client options', ...report.recommendation.snippet.split('\n').map((line) => `  ${line}`));
    for (const note of report.recommendation.notes) out.push(`  // ${note}`);
  }
  if (report.interrupted) out.push('', 'interrupted: the report above holds what was measured so far');
  return `${out.join('\n')}\n`;
}
