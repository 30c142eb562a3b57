/**
 * The probe's sample output in the README, re-run: a `ws` server with the
 * companion behind the fault proxy, which cuts connections after 60 s of
 * upstream silence as nginx's `proxy_read_timeout` does, probed by the
 * built command (`dist/cli.js`) with a token in the query and an
 * `Authorization` header, as a user would. Prints what the probe printed
 * (stdout, then its progress on stderr) and its exit code. Takes about
 * 65 s: the probe waits out the silence.
 *
 * Run: `npm run bench:probe` (builds dist/ first); `-- --idle 30` for
 * another timeout, in seconds (the probe waits up to its default 130 s).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FaultProxy } from '../tools/fault-proxy.js';
import { startTarget } from '../test/cli/support.js';

const { values } = parseArgs({ options: { idle: { type: 'string', default: '60' } } });
const idleS = Number(values.idle);
if (!Number.isFinite(idleS) || idleS <= 0) throw new TypeError(`Expected --idle to be a number of seconds above 0, got ${JSON.stringify(values.idle)}`);

const server = await startTarget({ kind: 'companion' });
const proxy = await FaultProxy.start({ targetPort: server.port });
proxy.idleTimeout(idleS * 1_000);
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const url = `ws://127.0.0.1:${proxy.port}/ws?token=sample-token-not-a-secret`;
const args = [cli, 'probe', url, '-H', 'Authorization: Bearer sample-bearer'];

try {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  console.log(`$ npx resilient-websocket probe 'ws://127.0.0.1:${proxy.port}/ws?token=...' -H 'Authorization: Bearer ...'`);
  process.stdout.write(stdout);
  console.log(`\n(progress on stderr:)\n${stderr.trimEnd()}\n\nexit code ${code}`);
  // The sample must hold what the README promises: no secret in any output.
  const leaked = ['sample-token-not-a-secret', 'sample-bearer'].filter((secret) => stdout.includes(secret) || stderr.includes(secret));
  if (leaked.length > 0) {
    console.error(`a secret reached the output: ${leaked.length} of 2`);
    process.exitCode = 1;
  }
} finally {
  await proxy.close();
  await server.close();
}
