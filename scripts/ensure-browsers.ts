/**
 * Makes sure every engine the run selects (see `BROWSERS` in
 * `scripts/browsers.ts`) is installed before the tests: reports what it
 * found, or, as root with apt-get, installs Debian's packages for what is
 * missing and looks again. A missing engine stops the run with how to get
 * it: the browser suite never skips an engine.
 *
 * @module
 */

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineFound, engineHelp, enginePackages, engineTitles, isExecutableFile, selectedEngines, type EngineName } from './browsers.js';

/** Whether `command` is an executable on the PATH. */
function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && isExecutableFile(path.join(dir, command)));
}

/** Runs a command with the terminal attached; throws if it fails. */
function run(command: string, args: readonly string[]): void {
  console.log(`ensure-browsers: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal ?? 'an unknown status'}`);
}

/**
 * Finds, or installs, the selected engines.
 *
 * @returns the process exit code: 0 when every selected engine is available, 1 when not
 */
export function ensureBrowsers(): number {
  try {
    const engines = selectedEngines();
    let missing: EngineName[] = engines.filter((engine) => !engineFound(engine));
    if (missing.length > 0 && process.getuid?.() === 0 && onPath('apt-get')) {
      const packages = missing.flatMap((engine) => enginePackages[engine]);
      console.log(`ensure-browsers: missing ${missing.map((engine) => engineTitles[engine]).join(', ')}; installing ${packages.join(' ')}`);
      run('apt-get', ['update']);
      run('apt-get', ['install', '-y', ...packages]);
      missing = missing.filter((engine) => !engineFound(engine));
    }
    for (const engine of missing) console.error(`ensure-browsers: no ${engineTitles[engine]} found. ${engineHelp[engine]}`);
    if (missing.length > 0) {
      console.error('ensure-browsers: set BROWSERS (e.g. BROWSERS=chromium) to run only some engines locally.');
      return 1;
    }
    console.log(`ensure-browsers: ${engines.map((engine) => engineTitles[engine]).join(', ')} available`);
    return 0;
  } catch (error) {
    console.error(`ensure-browsers: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) process.exitCode = ensureBrowsers();
