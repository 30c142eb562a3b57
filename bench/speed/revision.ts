/**
 * Which version of the library a result belongs to.
 *
 * @module
 */

import { execFileSync } from 'node:child_process';

/** `git describe --always --dirty` in `dir`, or `unknown` outside a repository. */
export function revision(dir: string): string {
  try {
    return execFileSync('git', ['describe', '--always', '--dirty'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
