/**
 * The command: reads the arguments, runs the probe, prints the report,
 * returns the exit code. Everything the process provides comes in as
 * arguments, so the command runs the same in a test.
 *
 * @module
 */

import { parseCommand, usage, UsageError } from './args.js';
import { formatReport } from './format.js';
import { newReport, probe, type ProbeReport } from './probe.js';
import { createProgress, type ProgressStream } from './progress.js';
import { Secrets } from './secrets.js';

/** What the command needs from its process. */
export interface CommandIo {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
  /** Aborted on Ctrl-C: the probe stops and prints what it has. */
  readonly signal: AbortSignal;
  /** The package version, for --version. */
  readonly version: string;
}

/** The exit code of an interrupted probe (128 + SIGINT). */
export const interruptedExitCode = 130;

/**
 * Runs `resilient-websocket <argv>`.
 *
 * @returns the exit code: 0 a clean report, 1 a failed probe, 2 bad arguments, 130 interrupted
 */
export async function runCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  let command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`resilient-websocket: ${error.message}\n\n${usage}\n`);
    return 2;
  }
  if (command.kind === 'help') {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  if (command.kind === 'version') {
    io.stdout.write(`${io.version}\n`);
    return 0;
  }
  const report: ProbeReport = newReport(command.options);
  try {
    await probe(command.options, report, createProgress(io.stderr), io.signal);
  } catch (error) {
    // A bug, not a measurement: say so, without the secrets its message may quote.
    io.stderr.write(`resilient-websocket: the probe failed unexpectedly: ${Secrets.of(command.options).scrub(error instanceof Error ? error.message : String(error))}\n`);
    return 1;
  }
  if (io.signal.aborted) {
    report.interrupted = true;
    report.exitCode = interruptedExitCode;
  }
  io.stdout.write(command.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.exitCode;
}
