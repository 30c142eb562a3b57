/**
 * Heap snapshots over CDP, summarised by what the objects are: the
 * difference between two snapshots, per connection, says where a socket's
 * heap goes.
 *
 * @module
 */

import type { Page } from '../speed/cdp.js';

/** Objects of one kind: count and bytes (self size). */
export interface Kind {
  count: number;
  bytes: number;
}

interface Snapshot {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: [string[], ...unknown[]] } };
  readonly nodes: number[];
  readonly strings: string[];
}

/** Takes a snapshot (which collects garbage first) and returns its self sizes by `type: name`. */
export async function snapshotByKind(page: Page): Promise<Map<string, Kind>> {
  const chunks: string[] = [];
  const unsubscribe = page.on('HeapProfiler.addHeapSnapshotChunk', (params) => {
    chunks.push((params as { chunk: string }).chunk);
  });
  try {
    await page.send('HeapProfiler.enable');
    await page.send('HeapProfiler.collectGarbage');
    await page.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false }, 120_000);
  } finally {
    unsubscribe();
    await page.send('HeapProfiler.disable');
  }
  return summarise(JSON.parse(chunks.join('')) as Snapshot);
}

function summarise(data: Snapshot): Map<string, Kind> {
  const fields = data.snapshot.meta.node_fields;
  const types = data.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const kinds = new Map<string, Kind>();
  for (let i = 0; i < data.nodes.length; i += width) {
    const type = types[data.nodes[i + typeAt]!] ?? '?';
    const rawName = data.strings[data.nodes[i + nameAt]!] ?? '?';
    // Strings and numbers are named by their value: group them by type only.
    const name = type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number' ? '' : rawName.slice(0, 60);
    const key = `${type}: ${name}`;
    const kind = kinds.get(key) ?? { count: 0, bytes: 0 };
    kind.count += 1;
    kind.bytes += data.nodes[i + sizeAt]!;
    kinds.set(key, kind);
  }
  return kinds;
}

/** `after - before`, per unit, largest first. */
export function difference(before: Map<string, Kind>, after: Map<string, Kind>, units: number): { readonly key: string; readonly count: number; readonly bytes: number }[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys]
    .map((key) => ({
      key,
      count: ((after.get(key)?.count ?? 0) - (before.get(key)?.count ?? 0)) / units,
      bytes: ((after.get(key)?.bytes ?? 0) - (before.get(key)?.bytes ?? 0)) / units,
    }))
    .filter((row) => Math.abs(row.bytes) >= 1)
    .sort((a, b) => b.bytes - a.bytes);
}
