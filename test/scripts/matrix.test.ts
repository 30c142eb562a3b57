import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { columnOf, renderCell, renderMatrix } from '../../scripts/matrix.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = (name: string, tests: [row: string, title: string, status: string][]) => ({
  name: path.join(root, name),
  assertionResults: tests.map(([row, title, status]) => ({ ancestorTitles: [row], title, status })),
});

describe('the runtime and protocol matrix', () => {
  it('reads the column from the start of a test title', () => {
    expect(columnOf('server crash: the client reconnects')).toBe('server crash');
    expect(columnOf('no column here')).toBeUndefined();
  });

  it('counts cells, marks failures and scenarios without a test', () => {
    expect(renderCell(undefined)).toBe('·');
    expect(renderCell({ passed: 1, failed: 0 })).toBe('✓');
    expect(renderCell({ passed: 3, failed: 0 })).toBe('✓ 3');
    expect(renderCell({ passed: 1, failed: 1 })).toBe('✗ 1/2');
  });

  it('builds rows from describe titles, only from the files that feed each table', () => {
    const { text, ok, cells } = renderMatrix([
      file('test/runtimes/deno.test.ts', [
        ['Deno 2.9', 'connect: opens', 'passed'],
        ['Deno 2.9', 'server crash: reconnects', 'passed'],
      ]),
      file('test/browser/workers.test.ts', [['dedicated worker in Firefox', 'connect: opens', 'failed']]),
      file('test/recipes/mqtt.test.ts', [['MQTT.js', 'converge: pub/sub', 'passed']]),
      file('test/unit/backoff.test.ts', [['backoff', 'connect: not a matrix test', 'failed']]),
    ]);
    expect(cells).toBe(4);
    expect(ok).toBe(false);
    expect(text).toContain('| | connect | server crash |');
    expect(text).toContain('| Deno 2.9 | ✓ | ✓ |');
    expect(text).toContain('| dedicated worker in Firefox | ✗ 1/1 | · |');
    expect(text).toContain('| MQTT.js | ✓ |');
    expect(text).not.toContain('backoff');
  });

  it('fails a table that has no results at all', () => {
    const { ok, text } = renderMatrix([file('test/runtimes/bun.test.ts', [['Bun 1.4', 'connect: opens', 'passed']])]);
    expect(ok).toBe(false);
    expect(text).toContain('(no results');
  });
});
