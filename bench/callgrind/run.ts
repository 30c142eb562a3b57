/**
 * Runs the callgrind workload and reads what callgrind counted.
 *
 * @module
 */

import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { WorkloadVariant } from './workload.js';

/** Bundles the workload (and the fake socket) to one plain ES module for `node --jitless`. */
export async function bundleWorkload(outfile: string): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL('./workload.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    outfile,
    logLevel: 'silent',
  });
}

/** One callgrind run. */
export interface RunSpec {
  readonly variant: WorkloadVariant;
  readonly messages: number;
  readonly warmup: number;
  readonly workload: string;
  readonly library: string;
  readonly outFile: string;
  readonly valgrind: string;
  readonly timeoutMs: number;
}

/** Runs the workload under `valgrind --tool=callgrind node --jitless --predictable`; resolves with the instructions executed. */
export async function runCallgrind(spec: RunSpec): Promise<number> {
  const args = [
    '--tool=callgrind',
    `--callgrind-out-file=${spec.outFile}`,
    process.execPath,
    '--jitless',
    '--predictable',
    spec.workload,
    spec.variant,
    String(spec.messages),
    String(spec.warmup),
    spec.library,
  ];
  const stderr: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(spec.valgrind, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    child.once('error', reject);
    child.once('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  if (code !== 0) throw new Error(`callgrind run ${spec.variant} ${spec.messages} failed (exit ${code}):\n${stderr.join('').slice(-2_000)}`);
  return totalInstructions(await readFile(spec.outFile, 'utf8'));
}

/** The `totals:` (or `summary:`) line of a callgrind output file. */
export function totalInstructions(callgrindOut: string): number {
  const match = /^(?:totals|summary):\s+(\d+)/m.exec(callgrindOut);
  if (!match) throw new Error('no totals in the callgrind output');
  return Number(match[1]);
}

/** Self instructions per function, from `callgrind_annotate` (recursion levels merged). */
export async function selfCostByFunction(annotate: string, outFile: string): Promise<Map<string, number>> {
  const text = await new Promise<string>((resolve, reject) => {
    const child = spawn(annotate, ['--inclusive=no', '--threshold=100', outFile], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
    child.once('error', reject);
    child.once('exit', () => resolve(chunks.join('')));
  });
  const costs = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^\s*([\d,]+)\s+\([\s\d.]+%\)\s+(.+?)(?:\s+\[[^\]]*\])?$/.exec(line);
    if (!match || match[2] === 'PROGRAM TOTALS') continue;
    const name = match[2]!.replace(/^(?:\?\?\?|[^:\s]+\.[A-Za-z]+):/, '').replace(/'\d+$/, '');
    costs.set(name, (costs.get(name) ?? 0) + Number(match[1]!.replaceAll(',', '')));
  }
  return costs;
}

/** Runs `jobs` with at most `limit` at a time, in order of start. */
export async function inParallel<T>(jobs: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < jobs.length; index = next++) results[index] = await jobs[index]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}
