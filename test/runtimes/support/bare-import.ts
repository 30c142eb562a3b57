/**
 * The child script of missing-api.test.ts, run as
 * `node --experimental-vm-modules --input-type=module -e <script> -- <file> <granted globals>`.
 */
export const bareImportScript = `// Imports the built package (ESM) inside a vm context that holds only what
// the test grants (by default: the ECMAScript built-ins, no EventTarget,
// Event, WebSocket, timers or URL), then constructs a socket, and prints
// one JSON line: whether the import threw, the export names, and what the
// constructor threw. Run with \`node --experimental-vm-modules\`.
import { readFile } from 'node:fs/promises';
import vm from 'node:vm';

const [file, grants = ''] = process.argv.slice(1);
const granted = Object.fromEntries(grants.split(',').filter(Boolean).map((name) => [name, globalThis[name]]));
const context = vm.createContext(granted);
const result = { imported: false, exports: [], constructed: null };
try {
  const module = new vm.SourceTextModule(await readFile(file, 'utf8'), { context, identifier: file });
  await module.link(() => {
    throw new Error('the built file imports nothing');
  });
  await module.evaluate();
  result.imported = true;
  result.exports = Object.keys(module.namespace).sort();
  try {
    new module.namespace.ResilientWebSocket('ws://127.0.0.1:1/');
    result.constructed = { threw: false };
  } catch (error) {
    result.constructed = { threw: true, name: error?.name, code: error?.code ?? null, message: String(error?.message) };
  }
} catch (error) {
  result.importError = String(error);
}
process.stdout.write(\`\${JSON.stringify(result)}\\n\`);
`;
