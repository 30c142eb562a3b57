#!/usr/bin/env node
/**
 * `resilient-websocket`: the package's command (`npx resilient-websocket
 * probe <url>`). Node only; it never loads the browser class.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { runCommand } from './run.js';

const controller = new AbortController();
// The first Ctrl-C stops the probe and prints what it measured; a second one exits at once.
process.once('SIGINT', () => {
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});

/** The version in the package's package.json, next to dist/. */
function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const version = packageVersion();
runCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal, version }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`resilient-websocket: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
