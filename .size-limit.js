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

/**
 * A framework wrapper in a production build: alone (the core and the framework left out), and with the
 * core it imports by the package name (resolved through `exports` like the application's bundler does).
 * @param {string} subpath
 * @param {string} names
 * @param {string[]} framework
 * @param {string} aloneLimit
 * @param {string} withCoreLimit
 */
const wrapper = (subpath, names, framework, aloneLimit, withCoreLimit) => {
  const path = resolveExport(`./${subpath}`, production);
  // The repository's tsconfig maps the package name to src/ for its own tests; an application resolves dist/.
  const entry = { path, import: `{ ${names} }`, modifyEsbuildConfig: (/** @type {object} */ config) => ({ ...asProduction(config), tsconfigRaw: '{}' }) };
  return [
    { ...entry, name: `resilient-websocket/${subpath} alone (the core${framework.length > 0 ? ` and ${framework.join(', ')}` : ''} left out)`, ignore: [...framework, 'resilient-websocket'], limit: aloneLimit },
    { ...entry, name: `resilient-websocket/${subpath} with the core${framework.length > 0 ? ` (${framework.join(', ')} left out)` : ''}`, ignore: framework, limit: withCoreLimit },
  ];
};

export default [
  core('ResilientWebSocket: the core import, production build', 'ResilientWebSocket', '9.75 kB'),
  {
    name: 'ResilientWebSocket: the core import, development build (full messages)',
    path: resolveExport('.', ['import', 'browser', 'development']),
    import: '{ ResilientWebSocket }',
    limit: '11.5 kB',
  },
  { name: 'Script tag, production (unpkg/jsdelivr default): everything but diagnose', path: manifest.unpkg, limit: '12.2 kB' },
  { name: 'Script tag, development (full messages): everything but diagnose', path: 'dist/resilient-websocket.umd.development.js', limit: '13 kB' },
  { name: 'Script tag, diagnose (loaded after either): ResilientWebSocket.diagnose', path: 'dist/resilient-websocket.diagnose.umd.js', limit: '5.25 kB' },
  core('classifyClose', 'classifyClose', '290 B'),
  core('classifyCode', 'classifyCode', '220 B'),
  core('explainClose', 'explainClose', '1.12 kB'),
  core('computeDelay', 'computeDelay', '300 B'),
  core('decide and presets', 'decide, presets', '690 B'),
  core('redactUrl', 'redactUrl', '180 B'),
  core('diagnose', 'diagnose', '4.85 kB'),
  core('createSocketStore, leaseSocket, socketKey: the store contract', 'createSocketStore, leaseSocket, socketKey', '650 B'),
  wrapper('react', 'useResilientWebSocket', ['react'], '700 B', '10.7 kB'),
  wrapper('vue', 'useResilientWebSocket', ['vue'], '670 B', '10.7 kB'),
  wrapper('svelte', 'resilientWebSocket', [], '530 B', '10.55 kB'),
  wrapper('tabs', 'TabSharedWebSocket', [], '5.1 kB', '14.65 kB'),
].flat();
