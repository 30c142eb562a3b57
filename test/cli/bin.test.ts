/**
 * The real `bin`: the built dist/cli.js as package.json names it, run as a
 * child process the way `npx resilient-websocket probe` runs it. Needs
 * `npm run build` first (`npm test` does it).
 */

import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../package/support.js';
import { startTarget } from './support.js';

let bin = '';

beforeAll(async () => {
  const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  bin = path.join(repoRoot, manifest.bin['resilient-websocket'] ?? '');
  await access(bin).catch(() => {
    throw new Error(`${bin} is missing: run \`npm run build\` first (\`npm test\` does it).`);
  });
});

const teardowns: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const teardown of teardowns.splice(0).reverse()) await teardown();
});

interface Child {
  readonly exited: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Resolves once stderr contains `text`. */
  stderrContains(text: string): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

function start(args: readonly string[]): Child {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of [...waiters]) waiter();
  });
  // Bounded: a child that outlives its test is killed.
  const guard = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, stdout, stderr });
    }),
  );
  return {
    exited,
    stderrContains: (text) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (!stderr.includes(text)) return;
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        waiters.push(check);
        check();
        void exited.then(() => reject(new Error(`the probe exited before printing ${JSON.stringify(text)}:\n${stderr}`)));
      }),
    kill: (signal) => child.kill(signal),
  };
}

describe('the resilient-websocket bin', () => {
  it('should be an executable file with a Node shebang', async () => {
    expect((await readFile(bin, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('should probe a server and print JSON with exit code 0', async () => {
    const server = await startTarget({ kind: 'companion' });
    teardowns.push(() => server.close());
    const { code, stdout } = await start(['probe', server.url, '--idle-max', '0', '--timeout', '2s', '--json']).exited;
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ handshake: { ok: true }, appPing: { answered: 3 }, protocolPing: { answered: true }, exitCode: 0 });
  });

  it('should print what it measured so far on Ctrl-C (SIGINT) and exit with 130', async () => {
    const server = await startTarget({ kind: 'companion' });
    teardowns.push(() => server.close());
    const child = start(['probe', server.url, '--idle-max', '60', '--timeout', '2000']);
    await child.stderrContains('idle: staying silent');
    child.kill('SIGINT');
    const { code, stdout } = await child.exited;
    expect(code).toBe(130);
    expect(stdout).toContain('application ping');
    expect(stdout).toContain('interrupted: the report above holds what was measured so far');
  });

  it('should exit with 2 on a bad argument', async () => {
    const { code, stderr } = await start(['probe', 'ws://127.0.0.1:1/', '--keepalive', 'often']).exited;
    expect(code).toBe(2);
    expect(stderr).toContain('Expected --keepalive to be a duration');
  });
});
