/**
 * The examples as built (`npm run build:examples`; the script-tag page
 * loads dist/): each opens, shows the 1006 and its explanation when the
 * server crashes, and comes back on its own.
 */

import { describe, expect, it } from 'vitest';
import { startStaticServer } from './support/static-server.js';
import { printFigure, useBrowserSuite } from './support/suite.js';

const suite = useBrowserSuite();

const examples = {
  react: 'examples/react/dist/index.html',
  vue: 'examples/vue/dist/index.html',
  svelte: 'examples/svelte/dist/index.html',
  'script-tag': 'examples/script-tag.html',
} as const;

describe(`the examples, in ${suite.engineTitle}`, () => {
  for (const [name, file] of Object.entries(examples)) {
    it(`${name}: should open, show the 1006 and its explanation when the server crashes, and reconnect`, async () => {
      const server = await suite.server();
      const files = await startStaticServer();
      suite.defer(() => files.close());
      const app = await suite.open(`${files.origin}${file}?ws=${encodeURIComponent(server.url)}`);

      await app.waitForText('[data-state]', 'open');
      await app.click('button[type=submit]'); // sends the input's text, 'hello'; the server echoes it
      await app.waitForText('[data-log] li:last-child', 'hello');
      expect(server.messages).toEqual(['hello']);

      server.crash();
      await app.waitForText('[data-close-code]', '1006');
      const explanation = (await app.text('[data-close-explanation]')) ?? '';
      expect(explanation).toMatch(/without a close frame/);
      await app.waitForText('[data-state]', 'open');
      expect(server.connectionCount).toBeGreaterThanOrEqual(2);
      printFigure(`example ${name}`, `1006 shown as "${explanation}", then open again`);
    });
  }
});
