/**
 * The three browser engines the browser suite runs in, which of them a run
 * selects (`BROWSERS`), where each one's executables are looked for, and how
 * to get them. `vitest.config.ts` builds one test project per selected
 * engine from here, `scripts/ensure-browsers.ts` installs what is missing,
 * and the drivers under `test/browser/support/` launch what is found.
 *
 * @module
 */

import { chromiumHelp, findChromium, isExecutableFile } from './chromium.js';

export { isExecutableFile };

/** A browser engine the suite runs in. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** Every engine, in the order the suite runs them. */
export const engineNames: readonly EngineName[] = ['chromium', 'firefox', 'webkit'];

/** How each engine is named in test titles and printed figures. */
export const engineTitles: Readonly<Record<EngineName, string>> = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };

const isEngineName = (name: string): name is EngineName => (engineNames as readonly string[]).includes(name);

/**
 * The engines a run covers: all three, unless `BROWSERS` names some
 * (comma-separated, e.g. `BROWSERS=chromium,firefox`) for a quick local loop.
 *
 * @throws Error naming `BROWSERS`, the engines it may list, and what it holds, when it names none or an unknown one
 */
export function selectedEngines(env: NodeJS.ProcessEnv = process.env): EngineName[] {
  const chosen = env.BROWSERS?.trim();
  if (chosen === undefined || chosen === '' || chosen === 'all') return [...engineNames];
  const names = chosen.split(',').map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  const unknown = names.filter((name) => !isEngineName(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new Error(`BROWSERS must be a comma-separated list of ${engineNames.join(', ')} (or "all"); got "${chosen}"`);
  }
  return engineNames.filter((name) => names.includes(name));
}

/** The executables that drive WebKitGTK: its WebDriver, its browser and the Broadway display server. */
export interface WebKitExecutables {
  readonly driver: string;
  readonly browser: string;
  readonly broadwayd: string;
}

/** Where Debian and Ubuntu put each engine's executables. */
export const engineLocations = {
  firefox: ['/usr/bin/firefox-esr', '/usr/bin/firefox'],
  webkitDriver: ['/usr/bin/WebKitWebDriver'],
  webkitBrowser: ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser', '/usr/libexec/webkit2gtk-4.1/MiniBrowser'],
  broadwayd: ['/usr/bin/broadwayd'],
} as const;

/** The Debian packages that provide each engine. */
export const enginePackages: Readonly<Record<EngineName, readonly string[]>> = {
  chromium: ['chromium'],
  firefox: ['firefox-esr'],
  webkit: ['webkit2gtk-driver', 'libgtk-3-bin'],
};

/** How to get each engine, for error messages. */
export const engineHelp: Readonly<Record<EngineName, string>> = {
  chromium: chromiumHelp,
  firefox: `Install Debian's Firefox ESR (\`apt-get install firefox-esr\`, as root). Looked in: ${engineLocations.firefox.join(', ')}.`,
  webkit:
    'Install WebKitGTK\'s WebDriver, MiniBrowser and broadwayd (`apt-get install webkit2gtk-driver libgtk-3-bin`, as root). ' +
    `Looked in: ${[...engineLocations.webkitDriver, ...engineLocations.webkitBrowser, ...engineLocations.broadwayd].join(', ')}.`,
};

/** The Firefox to drive, or `undefined`. */
export function findFirefox(): string | undefined {
  return engineLocations.firefox.find(isExecutableFile);
}

/** WebKitGTK's executables, or `undefined` when any one is missing. */
export function findWebKit(): WebKitExecutables | undefined {
  const driver = engineLocations.webkitDriver.find(isExecutableFile);
  const browser = engineLocations.webkitBrowser.find(isExecutableFile);
  const broadwayd = engineLocations.broadwayd.find(isExecutableFile);
  return driver && browser && broadwayd ? { driver, browser, broadwayd } : undefined;
}

/**
 * Whether `engine` is installed (for Chromium, `CHROMIUM_PATH` or the usual
 * places; a `CHROMIUM_PATH` that is not executable throws).
 */
export function engineFound(engine: EngineName): boolean {
  if (engine === 'chromium') return findChromium() !== undefined;
  if (engine === 'firefox') return findFirefox() !== undefined;
  return findWebKit() !== undefined;
}
