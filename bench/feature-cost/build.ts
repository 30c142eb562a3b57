/**
 * Builds and measures, as `npm run size` does (.size-limit.js): an entry
 * `import { names } from "module"; console.log(names)` bundled by esbuild
 * for the browser, minified, with the `production` condition and
 * `process.env.NODE_ENV` defined as "production", then brotli at quality
 * 11, less the 30 B size-limit subtracts for the empty entry.
 *
 * The variants are built from src/ as the published production file is
 * made (tsup.config.ts): bundled as ESM with the mode constant defined and
 * syntax minified, minified again for syntax so the development branches
 * fold (tsup's tree-shaking pass does this), then bundled by the
 * "application" like the published file.
 *
 * @module
 */

import { build, transform, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { applyPatches, type Deletion } from './patch.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const coreDir = path.join(root, 'src/core');
const stubDir = fileURLToPath(new URL('stubs/', import.meta.url));

/** The published target (tsup.config.ts). */
const target = ['chrome94', 'edge94', 'firefox93', 'safari15.4', 'ios15.4', 'node18'];
const production = { 'process.env.NODE_ENV': '"production"' };
/** What size-limit subtracts from an `import` check's brotli size: the empty entry's own bytes. */
const emptyImportBrotli = 30;

/** A measured build. */
export interface Size {
  /** Minified bytes. */
  readonly minified: number;
  /** Brotli (quality 11) bytes, less size-limit's empty-entry 30 B. */
  readonly brotli: number;
}

const entryOf = (names: string, from: string): string => `import ${names} from ${JSON.stringify(from)}\nconsole.log(${names.replace(/[{}]/g, '').trim()})\n`;

function sizeOf(code: Uint8Array): Size {
  return { minified: code.length, brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length - emptyImportBrotli };
}

/**
 * Bundles `import names from specifier` as an application's production
 * build does, resolving `specifier` from the repository (its own package
 * name through package.json `exports`, the comparison libraries from
 * node_modules), and measures it.
 */
export async function measureImport(names: string, specifier: string, plugins: Plugin[] = []): Promise<Size> {
  const result = await build({
    stdin: { contents: entryOf(names, specifier), resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    treeShaking: true,
    platform: 'browser',
    conditions: ['production'],
    define: production,
    // The repository's tsconfig maps the package name to src/; an application resolves dist/.
    tsconfigRaw: '{}',
    logLevel: 'silent',
    plugins,
  });
  return sizeOf(result.outputFiles[0]!.contents);
}

/**
 * Serves src/core/ with `deletion` applied: stubbed modules resolve to
 * their stub, patched ones are loaded patched. The stubs' own imports of
 * src/core/ go through the same redirection. With `fold`, every read of
 * the mode constant in src/ (not its import, not its definition) is
 * written as `false`, so one pass folds its branches.
 */
function deletionPlugin(deletion: Deletion, fold = false): Plugin {
  const srcDir = path.join(root, 'src');
  return {
    name: 'feature-deletion',
    setup(b) {
      b.onResolve({ filter: /^resilient-websocket$/ }, () => ({ path: path.join(srcDir, 'index.ts') }));
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        const resolved = path.resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        if (path.dirname(resolved) !== coreDir) return undefined;
        const stub = deletion.stubs[path.basename(resolved)];
        return stub === undefined ? undefined : { path: path.join(stubDir, stub) };
      });
      b.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(srcDir + path.sep)) return undefined;
        let source = await readFile(args.path, 'utf8');
        if (path.dirname(args.path) === coreDir) source = applyPatches(path.basename(args.path), source, deletion.patches);
        if (fold && path.basename(args.path) !== 'mode.ts') source = source.replace(/^(?!import ).*$/gm, (line) => line.replace(/\bisDevelopment\b/g, 'false'));
        return { contents: source, loader: 'ts' };
      });
    },
  };
}

/** The production ESM file a variant of src/ makes, as tsup makes dist/index.production.js. */
async function libraryFile(deletion: Deletion): Promise<string> {
  const library = await build({
    entryPoints: [path.join(root, 'src/index.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target,
    minifySyntax: true,
    treeShaking: true,
    define: production,
    logLevel: 'silent',
    plugins: [deletionPlugin(deletion)],
  });
  // A stub that lacks a name, or a patch that leaves a dangling reference, shows here first.
  if (library.warnings.length > 0) throw new Error(`The variant of src/ builds with warnings: ${library.warnings.map((warning) => warning.text).join('; ')}`);
  return (await transform(library.outputFiles[0]!.text, { minifySyntax: true, target, format: 'esm' })).code;
}

/** Measures `import { ResilientWebSocket }` of the variant of src/ with `deletion` applied. */
export async function measureVariant(deletion: Deletion, names = '{ ResilientWebSocket }'): Promise<Size> {
  const code = await libraryFile(deletion);
  const asModule: Plugin = {
    name: 'variant',
    setup(b) {
      b.onResolve({ filter: /^resilient-websocket$/ }, () => ({ path: 'variant', namespace: 'variant' }));
      b.onLoad({ filter: /.*/, namespace: 'variant' }, () => ({ contents: code, loader: 'js' }));
    },
  };
  return measureImport(names, 'resilient-websocket', [asModule]);
}

/**
 * Minified bytes of each module of src/ in the import, from esbuild's
 * metafile. One pass from src/ with the mode constant written as `false`
 * where it is read, so its branches fold as in the published file; the
 * total comes out within about 1 % of the two-pass build's.
 */
export async function attribute(deletion: Deletion, names = '{ ResilientWebSocket }'): Promise<{ total: number; modules: Record<string, number> }> {
  const result = await build({
    stdin: { contents: entryOf(names, 'resilient-websocket'), resolveDir: root, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    treeShaking: true,
    target,
    define: production,
    metafile: true,
    outfile: 'attribution.js',
    logLevel: 'silent',
    plugins: [deletionPlugin(deletion, true)],
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const modules: Record<string, number> = {};
  for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (bytesInOutput > 0) modules[path.relative(root, path.resolve(root, file))] = bytesInOutput;
  }
  return { total: result.outputFiles[0]!.contents.length, modules };
}
