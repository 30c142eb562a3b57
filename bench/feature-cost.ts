/**
 * What each feature of the main import costs, min+brotli, measured as
 * `npm run size` measures (.size-limit.js), beside the other reconnecting
 * wrappers measured the same way.
 *
 * - The core import: `import { ResilientWebSocket } from 'resilient-websocket'`
 *   resolved through package.json `exports` to dist/ (run `npm run build` first).
 * - Each feature: the deletion method. A variant of src/ is built with the
 *   feature's modules replaced by stubs of the same names and the places
 *   only it needs cut (bench/feature-cost/features.ts); its cost is the
 *   full variant's size less that variant's. The full variant is built from
 *   src/ as tsup builds the production file and must come within 1 % of
 *   the published file, or the script fails.
 * - A second view: esbuild's metafile, the minified bytes of each module.
 * - The other libraries: their minimal import, bundled the same way.
 *
 * Usage:
 *   npm run build && npm run size:features
 *
 * Prints Markdown and writes bench/results/feature-cost.md.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { attribute, measureImport, measureVariant, root, type Size } from './feature-cost/build.js';
import { features } from './feature-cost/features.js';
import { comparedFeatures, libraries, type ComparedFeature } from './feature-cost/libraries.js';
import { combine, featureCount, formatBytes, markdownTable, type Coverage, type Deletion } from './feature-cost/patch.js';
import { revision } from './speed/revision.js';

const out: string[] = [];
function print(line = ''): void {
  out.push(line);
  process.stdout.write(`${line}\n`);
}

const nothing: Deletion = { stubs: {}, patches: [] };
const bare = combine(features);
const bytes = (size: Size): string => formatBytes(size.brotli);

const published = await measureImport('{ ResilientWebSocket }', 'resilient-websocket').catch((error: unknown) => {
  throw new Error('The published import did not build: run `npm run build` first (dist/ is measured through package.json `exports`)', { cause: error });
});
const full = await measureVariant(nothing);
const drift = (full.brotli - published.brotli) / published.brotli;
if (Math.abs(drift) > 0.01) {
  throw new Error(`The full variant built from src/ is ${bytes(full)}, the published import ${bytes(published)} (${(drift * 100).toFixed(1)} %): run \`npm run build\`, or bring bench/feature-cost/build.ts in step with tsup.config.ts`);
}
const without = await Promise.all(features.map(async (feature) => ({ feature, size: await measureVariant(feature) })));
const core = await measureVariant(bare);

print(`# What each feature costs (\`npm run size:features\`, bench/feature-cost.ts; src/ at ${revision(root)}; ${new Date().toISOString()})`);
print();
print('min+brotli as `npm run size` measures it: esbuild, the `production` condition, `NODE_ENV=production`, minified for the browser, brotli 11, less the 30 B of the empty entry.');
print();
print(`The core import, \`import { ResilientWebSocket } from 'resilient-websocket'\` (dist/, through \`exports\`): **${bytes(published)}** (${formatBytes(published.minified)} minified). The same built from src/ for the deletions: ${bytes(full)} (${drift >= 0 ? '+' : ''}${(drift * 100).toFixed(2)} %).`);
print();
print('## Per feature: the full import less the import without it');
print();
print(
  markdownTable(
    ['feature', 'cost (min+brotli)', 'minified', 'the deletion removes', 'left in place (so the cost is at least this)'],
    [
      ...without.map(({ feature, size }) => [feature.name, formatBytes(full.brotli - size.brotli), formatBytes(full.minified - size.minified), feature.removed, feature.kept]),
      ['the state machine and reconnect core: what is left with every deletion above at once', bytes(core), formatBytes(core.minified), 'the class, the state machine, backoff with jitter, the socket wrapper, the timers, errors and events', ''],
    ],
    [1, 2],
  ),
);
const sum = without.reduce((total, { size }) => total + full.brotli - size.brotli, 0);
print();
print(`The features one at a time add up to ${formatBytes(sum)}; deleted together they take ${formatBytes(full.brotli - core.brotli)} (brotli shares strings between them, and some code serves several).`);

// The other libraries.
const require = createRequire(import.meta.url);
const versionOf = (name: string): string => (require(path.join(root, 'node_modules', name, 'package.json')) as { version: string }).version;
const mark: Record<Coverage, string> = { yes: '✓', partial: '½', no: '·' };
const everything = Object.fromEntries(comparedFeatures.map((name) => [name, 'yes'])) as Record<ComparedFeature, Coverage>;
const coreOnly = Object.fromEntries(comparedFeatures.map((name) => [name, name === 'reconnect' || name === 'jitter' ? 'yes' : 'no'])) as Record<ComparedFeature, Coverage>;
const rows: { name: string; size: number; coverage: Record<ComparedFeature, Coverage>; notes: string }[] = [
  { name: '`resilient-websocket` `{ ResilientWebSocket }`', size: published.brotli, coverage: everything, notes: 'and exact native behaviour, close logging' },
  { name: 'its state machine and reconnect core alone (above)', size: core.brotli, coverage: coreOnly, notes: 'a build of src/ with every deletion, not a published import' },
];
for (const library of libraries) {
  const size = await measureImport(library.names, library.specifier);
  rows.push({ name: `\`${library.specifier}\` ${versionOf(library.name)} \`${library.names}\``, size: size.brotli, coverage: library.coverage, notes: library.notes });
}
print();
print('## Beside the other libraries, measured the same way');
print();
print(
  markdownTable(
    ['import', 'min+brotli', ...comparedFeatures, 'B per feature', 'notes'],
    rows.map((row) => {
      const count = featureCount(row.coverage);
      return [row.name, formatBytes(row.size), ...comparedFeatures.map((name) => mark[row.coverage[name]]), count === 0 ? '' : String(Math.round(row.size / count)), row.notes];
    }),
    [1, 10],
  ),
);
print();
print('✓ has it, ½ in part, · not at all. B per feature: the size divided by the features it has (½ counts one half).');

// The second view.
const [fullModules, coreModules] = await Promise.all([attribute(nothing), attribute(bare)]);
const moduleNames = Object.keys(fullModules.modules).filter((name) => name.startsWith('src/')).sort((a, b) => (fullModules.modules[b] ?? 0) - (fullModules.modules[a] ?? 0));
const stubNames = Object.keys(coreModules.modules).filter((name) => name.startsWith('bench/'));
print();
print('## Where the bytes are: minified bytes per module (esbuild metafile, before brotli)');
print();
print(
  markdownTable(
    ['module', 'full import', 'core alone'],
    [
      ...moduleNames.map((name) => [`\`${name}\``, String(fullModules.modules[name]), coreModules.modules[name] === undefined ? '' : String(coreModules.modules[name])]),
      ...stubNames.map((name) => [`\`${name}\` (a stub)`, '', String(coreModules.modules[name])]),
      ['total (one pass from src/)', String(fullModules.total), String(coreModules.total)],
    ],
    [1, 2],
  ),
);

await mkdir(path.join(root, 'bench/results'), { recursive: true });
await writeFile(path.join(root, 'bench/results/feature-cost.md'), `${out.join('\n')}\n`);
