/**
 * Prints where the library has been proven to run: one table of runtimes and
 * one of protocol clients, each row a place the socket runs in (a runtime,
 * a worker in an engine, a protocol client over it), each column a scenario,
 * each cell what this run of the tests found.
 *
 * The cells come from test results, never from this file: a test under
 * `test/runtimes/`, `test/recipes/` or `test/browser/workers.test.ts` is a
 * cell when its `describe` title names the row and its own title starts
 * with the column and a colon (`server crash: the client reconnects ...`).
 * Several tests in one cell are counted together (`✓ 3`), a failure shows
 * as `✗` with the count, and a scenario a row has no test for shows `·`.
 *
 * @example
 * ```sh
 * npm run matrix                                  # builds, runs those tests, prints the tables
 * npm run matrix -- --from /tmp/vitest.json       # tables from a vitest JSON report already written
 * ```
 *
 * @module
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One test of a vitest JSON report, as much of it as the matrix reads. */
interface AssertionResult {
  readonly ancestorTitles: readonly string[];
  readonly title: string;
  readonly status: string;
}

/** One file of a vitest JSON report. */
interface FileResult {
  readonly name: string;
  readonly assertionResults: readonly AssertionResult[];
}

/** A table of the matrix: which test files feed it, and its columns in order. */
interface TableSpec {
  readonly title: string;
  /** Whether a test file (a path relative to the repository) feeds this table. */
  readonly feeds: (file: string) => boolean;
  /** The scenarios in the order they are printed; a column found in the results but not here is printed after them. */
  readonly columns: readonly string[];
}

/** What one cell counted. */
interface Cell {
  passed: number;
  failed: number;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The two tables, and the test files that feed them. */
export const tables: readonly TableSpec[] = [
  {
    title: 'Runtimes',
    feeds: (file) => file.startsWith('test/runtimes/') || file === 'test/browser/workers.test.ts',
    columns: ['import', 'missing API', 'connect', 'server crash', 'close 1008', 'half-open', 'heartbeat', 'online/offline', 'report'],
  },
  {
    title: 'Protocol clients',
    feeds: (file) => file.startsWith('test/recipes/'),
    columns: ['converge', 'server crash', '1012 restart', 'half-open', 'idle healthy', 'destroy', 'connections'],
  },
];

/** The test files the matrix runs, as vitest filters. */
export const matrixTestFiles = ['test/runtimes/', 'test/recipes/', 'test/browser/workers.test.ts'] as const;

/** A test file's path from the repository root; a report written in another checkout is read from its `test/` on. */
function repositoryPath(file: string): string {
  const relative = path.relative(root, file).split(path.sep).join('/');
  if (!relative.startsWith('../')) return relative;
  const at = file.split(path.sep).join('/').lastIndexOf('/test/');
  return at < 0 ? relative : file.slice(at + 1);
}

const engineOrder = ['Chromium', 'Firefox', 'WebKit'];

/** Rows in a stable order whatever order the files ran in: runtimes by name, then workers by kind and engine. */
function byRow(a: string, b: string): number {
  const rank = (row: string): [number, number, string] => {
    const engine = engineOrder.findIndex((name) => row.endsWith(` in ${name}`));
    return engine < 0 ? [0, 0, row] : [1, engine, row];
  };
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2].localeCompare(y[2]);
}

/** Splits a test title into its column and the rest; `undefined` when it names no column. */
export function columnOf(title: string): string | undefined {
  const colon = title.indexOf(': ');
  return colon > 0 ? title.slice(0, colon) : undefined;
}

/** The rows and cells of one table, in the order rows first appear in the report. */
export function collect(files: readonly FileResult[], spec: TableSpec): { rows: string[]; columns: string[]; cells: Map<string, Cell> } {
  const rows: string[] = [];
  const extra: string[] = [];
  const cells = new Map<string, Cell>();
  for (const file of files) {
    const relative = repositoryPath(file.name);
    if (!spec.feeds(relative)) continue;
    for (const test of file.assertionResults) {
      // describe.each titles may quote the value (`'ws package'`): the row is the name itself.
      const row = test.ancestorTitles[0]?.replace(/^'(.*)'$/, '$1');
      const column = columnOf(test.title);
      if (row === undefined || column === undefined) continue;
      if (!rows.includes(row)) rows.push(row);
      if (!spec.columns.includes(column) && !extra.includes(column)) extra.push(column);
      const key = `${row}\u0000${column}`;
      const cell = cells.get(key) ?? { passed: 0, failed: 0 };
      if (test.status === 'passed') cell.passed += 1;
      else cell.failed += 1;
      cells.set(key, cell);
    }
  }
  const present = (column: string): boolean => rows.some((row) => cells.has(`${row}\u0000${column}`));
  return { rows: rows.sort(byRow), columns: [...spec.columns.filter(present), ...extra], cells };
}

/** Renders one cell: `✓` (or `✓ n`), `✗ failed/total`, or `·` for no test. */
export function renderCell(cell: Cell | undefined): string {
  if (cell === undefined) return '·';
  const total = cell.passed + cell.failed;
  if (cell.failed > 0) return `✗ ${cell.failed}/${total}`;
  return total === 1 ? '✓' : `✓ ${total}`;
}

/** The Markdown of every table, and whether every cell passed. */
export function renderMatrix(files: readonly FileResult[]): { text: string; ok: boolean; cells: number } {
  let ok = true;
  let count = 0;
  const out: string[] = [];
  for (const spec of tables) {
    const { rows, columns, cells } = collect(files, spec);
    out.push(`### ${spec.title}`, '');
    if (rows.length === 0) {
      out.push('(no results: run the tests that feed this table)', '');
      ok = false;
      continue;
    }
    out.push(`| | ${columns.join(' | ')} |`, `| --- |${columns.map(() => ' :-: |').join('')}`);
    for (const row of rows) {
      const rendered = columns.map((column) => {
        const cell = cells.get(`${row}\u0000${column}`);
        if (cell !== undefined) count += 1;
        if (cell !== undefined && cell.failed > 0) ok = false;
        return renderCell(cell);
      });
      out.push(`| ${row} | ${rendered.join(' | ')} |`);
    }
    out.push('');
  }
  return { text: out.join('\n'), ok, cells: count };
}

/** Reads a vitest JSON report. */
function readReport(file: string): FileResult[] {
  const report = JSON.parse(readFileSync(file, 'utf8')) as { testResults?: FileResult[] };
  if (!Array.isArray(report.testResults)) throw new Error(`${file} is not a vitest JSON report (no testResults)`);
  return report.testResults;
}

/** Runs a command from the repository root with the terminal attached; throws if it fails to start. */
function run(command: string, args: readonly string[]): number {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** `npm run matrix`: runs (or reads, with `--from`) the results and prints the tables. */
function main(argv: readonly string[]): number {
  const fromIndex = argv.indexOf('--from');
  let report: string;
  let testsFailed = false;
  if (fromIndex >= 0) {
    const file = argv[fromIndex + 1];
    if (file === undefined) throw new Error('--from expects the path of a vitest JSON report; got nothing');
    report = file;
  } else {
    if (run('npm', ['run', 'build', '--silent']) !== 0) return 1;
    if (run('npx', ['tsx', 'scripts/ensure-browsers.ts']) !== 0) return 1;
    report = path.join(mkdtempSync(path.join(tmpdir(), 'matrix-')), 'vitest.json');
    testsFailed = run('npx', ['vitest', 'run', ...matrixTestFiles, '--reporter=dot', '--reporter=json', `--outputFile=${report}`]) !== 0;
  }
  const { text, ok, cells } = renderMatrix(readReport(report));
  console.log(`\n${text}`);
  console.log(`matrix: ${cells} cells, ${ok && !testsFailed ? 'every one passed' : 'NOT all passed'}`);
  return ok && !testsFailed ? 0 : 1;
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(`matrix: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
