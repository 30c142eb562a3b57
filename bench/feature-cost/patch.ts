/**
 * The pure parts of the feature-cost bench: source patches that fail
 * loudly when the source they target has changed, the combination of
 * several deletions into one variant, and the Markdown tables.
 *
 * @module
 */

/**
 * One edit of a source file: every match of `find` is replaced by
 * `replace`, and there must be exactly `count` matches (default 1), so a
 * patch whose target was edited away stops the bench instead of silently
 * measuring nothing.
 */
export interface Patch {
  /** The file, relative to src/core/ (`'options.ts'`). */
  readonly file: string;
  /** A literal string, or a regular expression (its `g` flag is added). */
  readonly find: string | RegExp;
  readonly replace: string;
  /** How many matches the file must have. @defaultValue 1 */
  readonly count?: number;
}

/** What one deletion removes: modules replaced by stubs (src/core/ name to stub file), and patches elsewhere. */
export interface Deletion {
  /** src/core/ file name to the stub that replaces it (`'heartbeat.ts'` to `'heartbeat.ts'` in stubs/). */
  readonly stubs: Readonly<Record<string, string>>;
  readonly patches: readonly Patch[];
}

/**
 * `source` with `patches` applied in order (only those for `file`).
 *
 * @throws Error naming the file and the patch when a patch does not match its expected number of times
 */
export function applyPatches(file: string, source: string, patches: readonly Patch[]): string {
  let text = source;
  for (const patch of patches) {
    if (patch.file !== file) continue;
    const expected = patch.count ?? 1;
    const pattern = typeof patch.find === 'string' ? new RegExp(escapeRegExp(patch.find), 'g') : new RegExp(patch.find.source, patch.find.flags.includes('g') ? patch.find.flags : `${patch.find.flags}g`);
    const found = text.match(pattern)?.length ?? 0;
    if (found !== expected) {
      throw new Error(`Patch of src/core/${file} expected ${expected} match(es) of ${String(patch.find).slice(0, 80)}, found ${found}: the source changed, update bench/feature-cost/features.ts`);
    }
    // A function replacement, so that `$` in the replacement text is taken literally.
    text = text.replace(pattern, () => patch.replace);
  }
  return text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Several deletions as one: every stub, and the patches of the files that
 * no stub replaces (a stubbed file's patches have nothing left to patch).
 *
 * @throws Error when two deletions stub the same file with different stubs
 */
export function combine(deletions: readonly Deletion[]): Deletion {
  const stubs: Record<string, string> = {};
  for (const deletion of deletions) {
    for (const [file, stub] of Object.entries(deletion.stubs)) {
      if (stubs[file] !== undefined && stubs[file] !== stub) throw new Error(`Two stubs for src/core/${file}: ${stubs[file]} and ${stub}`);
      stubs[file] = stub;
    }
  }
  const patches = deletions.flatMap((deletion) => deletion.patches).filter((patch) => stubs[patch.file] === undefined);
  return { stubs, patches };
}

/** Bytes as the README writes them: `9.72 kB` from 1000 B up (size-limit's kB, 1000 B), else `685 B`. */
export function formatBytes(bytes: number): string {
  if (Math.abs(bytes) < 1000) return `${bytes} B`;
  return `${(bytes / 1000).toFixed(2)} kB`;
}

/** A Markdown table; `right` lists the columns aligned right (numbers). */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map((_, i) => (right.includes(i) ? '---:' : '---')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** How a library covers one feature. */
export type Coverage = 'yes' | 'partial' | 'no';

/** Features counted: `yes` counts 1, `partial` one half. */
export function featureCount(coverage: Readonly<Record<string, Coverage>>): number {
  return Object.values(coverage).reduce((sum, value) => sum + (value === 'yes' ? 1 : value === 'partial' ? 0.5 : 0), 0);
}
