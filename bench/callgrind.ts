/**
 * Instructions per message, counted by callgrind: the library's own cost on
 * the hot path, free of the wall-clock noise of a shared VM.
 *
 * A Node program pushes messages (one `send()`, one received `message`
 * event read by an application listener) through an in-memory fake socket,
 * alone and wrapped by ResilientWebSocket (defaults; `heartbeat: true`),
 * under `valgrind --tool=callgrind node --jitless --predictable`. Each
 * variant runs once with `warmup + N` messages and once with `warmup`; the
 * difference over N is the cost of one message. Repeat runs agree within
 * about 0.01 %.
 *
 * Usage (after `npm run build`; valgrind at /usr/bin/valgrind):
 *   npx tsx bench/callgrind.ts
 *   npx tsx bench/callgrind.ts -- --messages 50000 --warmup 2000
 *   npx tsx bench/callgrind.ts -- --lib /path/to/other/index.js   # another ESM build of the library
 *   npx tsx bench/callgrind.ts -- --annotate                      # also: which functions the extra instructions are in
 *   npx tsx bench/callgrind.ts -- --variants fake,ours --keep     # keep the callgrind.out files (printed)
 *
 * Takes about a minute with the defaults.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleWorkload, inParallel, runCallgrind, selfCostByFunction } from './callgrind/run.js';
import type { WorkloadVariant } from './callgrind/workload.js';

const root = fileURLToPath(new URL('..', import.meta.url));

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '20000' },
    warmup: { type: 'string', default: '1000' },
    lib: { type: 'string', default: `${root}dist/index.js` },
    variants: { type: 'string', default: 'fake,ours,heartbeat' },
    valgrind: { type: 'string', default: '/usr/bin/valgrind' },
    annotate: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

const labels: Record<WorkloadVariant, string> = {
  fake: 'fake socket alone',
  ours: 'ResilientWebSocket, defaults',
  heartbeat: 'ResilientWebSocket, { heartbeat: true }',
};

function parseVariants(list: string): WorkloadVariant[] {
  const variants = list.split(',').map((name) => name.trim());
  for (const name of variants) if (!(name in labels)) throw new Error(`unknown variant ${name}; use ${Object.keys(labels).join(', ')}`);
  if (variants[0] !== 'fake') throw new Error('the first variant must be fake: it is the reference of the ratios');
  return variants as WorkloadVariant[];
}

/** Prints, per message, the functions whose self cost grew most between the two runs of a variant. */
async function printAnnotation(variant: WorkloadVariant, withMessages: string, without: string, messages: number, base?: Map<string, number>): Promise<Map<string, number>> {
  const [full, empty] = await Promise.all([selfCostByFunction('callgrind_annotate', withMessages), selfCostByFunction('callgrind_annotate', without)]);
  const perMessage = new Map<string, number>();
  for (const [name, cost] of full) perMessage.set(name, (cost - (empty.get(name) ?? 0)) / messages);
  const rows = [...perMessage]
    .map(([name, cost]) => ({ name, cost, extra: cost - (base?.get(name) ?? 0) }))
    .sort((a, b) => (base ? b.extra - a.extra : b.cost - a.cost))
    .slice(0, 15);
  process.stdout.write(`\n${labels[variant]}: top functions, instructions per message${base ? ' (and over the fake alone)' : ''}\n`);
  for (const row of rows) {
    process.stdout.write(`${row.cost.toFixed(0).padStart(9)}${base ? ` ${(row.extra >= 0 ? '+' : '') + row.extra.toFixed(0)}`.padStart(9) : ''}  ${row.name}\n`);
  }
  return perMessage;
}

async function main(): Promise<void> {
  const messages = Number(args.messages);
  const warmup = Number(args.warmup);
  if (!Number.isSafeInteger(messages) || messages <= 0 || !Number.isSafeInteger(warmup) || warmup < 0) throw new Error('--messages must be a positive integer, --warmup a non-negative one');
  const variants = parseVariants(args.variants);
  const dir = await mkdtemp(join(tmpdir(), 'rws-callgrind-'));
  try {
    const workload = join(dir, 'workload.mjs');
    await bundleWorkload(workload);
    const outFile = (variant: WorkloadVariant, n: number): string => join(dir, `callgrind.out.${variant}.${n}`);
    const jobs = variants.flatMap((variant) =>
      [messages, 0].map((n) => () => {
        process.stderr.write(`[callgrind] ${variant}, ${warmup} + ${n} messages\n`);
        return runCallgrind({ variant, messages: n, warmup, workload, library: args.lib, outFile: outFile(variant, n), valgrind: args.valgrind, timeoutMs: 10 * 60_000 });
      }),
    );
    // Instruction counts do not depend on what else runs: use both cores.
    const totals = await inParallel(jobs, 2);
    const perMessage = variants.map((_, i) => (totals[2 * i]! - totals[2 * i + 1]!) / messages);
    const reference = perMessage[0]!;
    process.stdout.write(`\nInstructions per message (send + receive), ${messages} messages after ${warmup} warm-up, node ${process.version} --jitless --predictable\n`);
    process.stdout.write('| variant | instructions / message | ratio to the fake alone |\n| --- | ---: | ---: |\n');
    for (const [i, variant] of variants.entries()) {
      process.stdout.write(`| ${labels[variant]} | ${Math.round(perMessage[i]!).toLocaleString('en-US')} | ${(perMessage[i]! / reference).toFixed(3)} |\n`);
    }
    if (args.annotate) {
      let base: Map<string, number> | undefined;
      for (const variant of variants) {
        const costs = await printAnnotation(variant, outFile(variant, messages), outFile(variant, 0), messages, base);
        base ??= costs;
      }
    }
    if (args.keep) process.stdout.write(`\ncallgrind output kept in ${dir}\n`);
  } finally {
    if (!args.keep) await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
