// @ts-check
// Size budgets, min+brotli (esbuild, as size-limit measures), set at what is reached: lower them as bytes
// are won, never raise them silently. The imports are measured as an application's production build makes
// them: the package resolved through its own `exports` with the `production` condition (Vite and webpack
// add it in production mode), `process.env.NODE_ENV` defined as "production", minified for the browser.
import { readFileSync } from 'node:fs';

/** @typedef {string | { [condition: string]: ExportTarget }} ExportTarget */
/** @type {{ exports: Record<string, ExportTarget>, unpkg: string }} */
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- package.json, read as the shape above
const manifest = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8'));

/**
 * The file `exports[subpath]` resolves to under `conditions` (in the map's order, as resolvers do).
 * @param {string} subpath
 * @param {readonly string[]} conditions
 * @returns {string}
 */
function resolveExport(subpath, conditions) {
  /** @type {(target: ExportTarget | undefined) => string | undefined} */
  const pick = (target) => {
    if (target === undefined || typeof target === 'string') return target;
    for (const [condition, next] of Object.entries(target)) {
      if (condition === 'default' || conditions.includes(condition)) {
        const found = pick(next);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  const file = pick(manifest.exports[subpath]);
  if (file === undefined) throw new Error(`exports["${subpath}"] resolves to nothing under ${conditions.join(', ')}`);
  return file;
}

const production = ['import', 'browser', 'production'];

/**
 * @param {{ define?: Record<string, string> }} config
 * @returns {object}
 */
const asProduction = (config) => ({ ...config, conditions: production, define: { ...config.define, 'process.env.NODE_ENV': '"production"' } });

/**
 * A named import of the main entry, in a production build.
 * @param {string} name
 * @param {string} names
 * @param {string} limit
 */
const core = (name, names, limit) => ({ name, path: resolveExport('.', production), import: `{ ${names} }`, limit, modifyEsbuildConfig: asProduction });

export default [
  core('ResilientWebSocket: the core import, production build', 'ResilientWebSocket', '10.4 kB'),
  {
    name: 'ResilientWebSocket: the core import, development build (full messages)',
    path: resolveExport('.', ['import', 'browser', 'development']),
    import: '{ ResilientWebSocket }',
    limit: '12.1 kB',
  },
  { name: 'Script tag, production (unpkg/jsdelivr default): everything but diagnose', path: manifest.unpkg, limit: '12.6 kB' },
  { name: 'Script tag, development (full messages): everything but diagnose', path: 'dist/resilient-websocket.umd.development.js', limit: '13.4 kB' },
  { name: 'Script tag, diagnose (loaded after either): ResilientWebSocket.diagnose', path: 'dist/resilient-websocket.diagnose.umd.js', limit: '4.9 kB' },
  core('classifyClose', 'classifyClose', '460 B'),
  core('classifyCode', 'classifyCode', '390 B'),
  core('explainClose', 'explainClose', '1.12 kB'),
  core('computeDelay', 'computeDelay', '350 B'),
  core('decide and presets', 'decide, presets', '710 B'),
  core('redactUrl', 'redactUrl', '180 B'),
  core('diagnose', 'diagnose', '4.4 kB'),
];
