/**
 * The Node-only parts stay apart from the browser build: the core's files
 * hold nothing of the companion or the probe, and theirs hold nothing of
 * the browser class. Reads dist/: run `npm run build` first (`npm test` does it).
 */

import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { distFile } from '../package/support.js';

const read = (file: string): Promise<string> =>
  readFile(distFile(file), 'utf8').catch(() => {
    throw new Error(`dist/${file} is missing: run \`npm run build\` first (\`npm test\` does it).`);
  });

describe('the Node-only entries', () => {
  it('should not reach the core build or the script-tag bundle', async () => {
    for (const file of ['index.js', 'index.cjs', 'resilient-websocket.umd.js']) {
      const code = await read(file);
      for (const name of ['ServerCompanion', 'node:http', 'node:net', 'FrameReader']) expect(code, `${file} holds ${name}`).not.toContain(name);
    }
  });

  it('should not carry the browser class, nor touch browser globals', async () => {
    for (const file of ['server.js', 'server.cjs', 'cli.js']) {
      const code = await read(file);
      for (const name of ['class ResilientWebSocket', 'window', 'document', 'navigator']) expect(code, `${file} holds ${name}`).not.toContain(name);
    }
  });
});
