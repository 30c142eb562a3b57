/**
 * Runs test/runtimes/smoke.ts in another runtime against two `ws` servers
 * run here (an echo server, crashed once the first echo is seen, and a
 * server that closes every connection with 1008), and collects what the
 * script printed, one JSON object per line.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type TestServer } from '../../support/ws-server.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = 'test/runtimes/smoke.ts';

/** One line the smoke script printed. */
export interface SmokeLine {
  readonly event: string;
  readonly [field: string]: unknown;
}

/** What a smoke run left. */
export interface SmokeRun {
  readonly lines: readonly SmokeLine[];
  readonly exitCode: number | null;
  readonly stderr: string;
  readonly echo: TestServer;
  readonly policy: TestServer;
}

/** How to start the script: the binary and its arguments before the script's own. */
export type Launch = (echoUrl: string, policyUrl: string) => { readonly command: string; readonly args: readonly string[]; readonly env?: NodeJS.ProcessEnv };

/** The Deno command: offline (no remote modules, cache only, no npm), network limited to 127.0.0.1, a fresh DENO_DIR. */
export function denoLaunch(binary: string, denoDir: string): Launch {
  return (echoUrl, policyUrl) => ({
    command: binary,
    args: ['run', '--no-remote', '--cached-only', '--no-config', '--no-npm', '--allow-net=127.0.0.1', `--allow-read=${root}`, script, echoUrl, policyUrl],
    env: { ...process.env, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1', NO_COLOR: '1' },
  });
}

/** The Bun command: the script imports the package by its name, resolved through package.json `exports`. */
export function bunLaunch(binary: string): Launch {
  return (echoUrl, policyUrl) => ({ command: binary, args: [script, echoUrl, policyUrl], env: { ...process.env, NO_COLOR: '1' } });
}

/** A temporary directory, removed by the returned function. */
export function temporaryDirectory(prefix: string): { readonly dir: string; readonly remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the smoke script and waits for it to exit (killed after 40 s). */
export async function runSmoke(launch: Launch): Promise<SmokeRun> {
  const echo = await startServer();
  const policy = await startServer({ behaviour: { kind: 'close', code: 1008, reason: 'token expired' } });
  try {
    const { command, args, env } = launch(echo.url, policy.url);
    const child = spawn(command, [...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: SmokeLine[] = [];
    let stderr = '';
    let pending = '';
    let crashed = false;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const complete = pending.split('\n');
      pending = complete.pop() ?? '';
      for (const text of complete) {
        if (text.trim() === '') continue;
        let line: SmokeLine;
        try {
          line = JSON.parse(text) as SmokeLine;
        } catch {
          line = { event: 'unparsed', text };
        }
        lines.push(line);
        // The first echo came back: crash the server (no close frame), once.
        if (!crashed && line.event === 'message' && line.client === 'echo') {
          crashed = true;
          echo.crash();
        }
      }
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve(code));
    });
    clearTimeout(killer);
    return { lines, exitCode, stderr, echo, policy };
  } finally {
    await echo.close();
    await policy.close();
  }
}
