/**
 * Headless Chromium for tests that open a generated page. Uses Debian's `chromium` package; when
 * it is absent and the tests run as root, installs it with apt-get (once), otherwise fails with a
 * message that says what to install. Playwright drives it through `executablePath`, so no browser
 * download is ever attempted.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

/** Where Debian's package puts the browser (override with CHROMIUM_PATH). */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a quiet, offline, throwaway browser. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;

export class ChromiumUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChromiumUnavailableError';
  }
}

/**
 * The path of a usable Chromium, installing Debian's package when it is missing.
 * Takes minutes the first time; give the calling hook a long timeout.
 */
export const ensureChromium = (): string => {
  const path = chromiumPath();
  if (existsSync(path)) return path;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new ChromiumUnavailableError(
      `Chromium not found at ${path}. Install it with \`sudo apt-get update && sudo apt-get install -y chromium\` or set CHROMIUM_PATH.`,
    );
  }
  try {
    const options = {
      stdio: 'pipe' as const,
      timeout: 15 * 60_000,
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    };
    execFileSync('apt-get', ['update'], options);
    execFileSync('apt-get', ['install', '-y', 'chromium'], options);
  } catch (error) {
    throw new ChromiumUnavailableError(
      `Chromium not found at ${path} and \`apt-get install -y chromium\` failed; install it by hand or set CHROMIUM_PATH.`,
      { cause: error },
    );
  }
  if (!existsSync(path))
    throw new ChromiumUnavailableError(`apt-get installed chromium but ${path} does not exist; set CHROMIUM_PATH.`);
  return path;
};

/**
 * Open a local file in a fresh headless Chromium (new user-data-dir), run `inspect` on the page,
 * and close everything, also when `inspect` throws.
 *
 * @example
 * const rows = await withPageOf('output/review-report.html', (page) => page.locator('#uploads tbody tr').count());
 */
export const withPageOf = async <T>(filePath: string, inspect: (page: Page) => Promise<T>): Promise<T> => {
  const executablePath = ensureChromium();
  const userDataDir = mkdtempSync(join(tmpdir(), 'govrec-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS],
    offline: true,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(pathToFileURL(filePath).href, { waitUntil: 'load' });
    return await inspect(page);
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
};
