/**
 * Finds the Chromium the browser tests drive, and installs Debian's when
 * there is none and we may. Run before the tests (`tsx
 * scripts/ensure-chromium.ts`); the test harness imports
 * {@link findChromium} from here so both look in the same places.
 *
 * Playwright's own browser download is never used: the tests drive the
 * system's Chromium through `playwright-core`.
 *
 * @module
 */

import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a system Chromium usually lives, in the order they are tried (after `CHROMIUM_PATH`). */
export const chromiumLocations: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** The flags every headless Chromium here runs with: headless, and no background traffic of its own. */
export const chromiumFlags: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** How to get a Chromium, for error messages. */
export const chromiumHelp =
  'Install Debian\'s Chromium (`apt-get install chromium`, as root) or point CHROMIUM_PATH at a Chromium or Chrome executable. ' +
  `Looked in: CHROMIUM_PATH, ${chromiumLocations.join(', ')}.`;

/** Whether `file` is a regular file this process may execute. */
function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The path of the Chromium to drive: `CHROMIUM_PATH` when set, else the
 * first executable of {@link chromiumLocations}.
 *
 * @param env - the environment to read `CHROMIUM_PATH` from
 * @returns the executable's path, or `undefined` when there is none
 * @throws Error when `CHROMIUM_PATH` is set but is not an executable file:
 *   an explicit choice that does not work is reported, not replaced
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.CHROMIUM_PATH;
  if (chosen !== undefined && chosen !== '') {
    if (!isExecutableFile(chosen)) throw new Error(`CHROMIUM_PATH is set to ${chosen}, which is not an executable file. ${chromiumHelp}`);
    return chosen;
  }
  return chromiumLocations.find(isExecutableFile);
}

/** Whether `command` is an executable on the PATH. */
function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && isExecutableFile(path.join(dir, command)));
}

/** Runs a command with the terminal attached; throws if it fails. */
function run(command: string, args: readonly string[]): void {
  console.log(`ensure-chromium: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal ?? 'an unknown status'}`);
}

/**
 * Makes sure a Chromium is available: reports the one found, or, as root
 * with apt-get, installs Debian's `chromium` and looks again.
 *
 * @returns the process exit code: 0 when a Chromium is available, 1 when not
 */
export function ensureChromium(): number {
  try {
    let found = findChromium();
    if (found === undefined && process.getuid?.() === 0 && onPath('apt-get')) {
      console.log('ensure-chromium: no Chromium found; installing Debian\'s chromium package');
      run('apt-get', ['update']);
      run('apt-get', ['install', '-y', 'chromium']);
      found = findChromium();
    }
    if (found === undefined) {
      console.error(`ensure-chromium: no Chromium found. ${chromiumHelp}`);
      return 1;
    }
    console.log(`ensure-chromium: using ${found}`);
    return 0;
  } catch (error) {
    console.error(`ensure-chromium: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) process.exitCode = ensureChromium();
