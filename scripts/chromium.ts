/**
 * Finds the Chromium the browser tests and benchmarks drive, and says how
 * they run it. `scripts/ensure-browsers.ts` installs it when it is missing;
 * the harness, the benchmarks and that script all look through
 * {@link findChromium}, so they look in the same places.
 *
 * Playwright's own browser download is never used: the tests drive the
 * system's Chromium through `playwright-core`.
 *
 * @module
 */

import { accessSync, constants, statSync } from 'node:fs';

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
export function isExecutableFile(file: string): boolean {
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
