import { accessSync, constants, statSync } from 'node:fs';
import type { Browser, BrowserType } from 'playwright-core';
import { AuditError, UsageError } from '../../core/errors.js';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * Chromium's switches, exactly these (Playwright's defaults are ignored): headless, no sandbox
 * (containers and CI run as root), and none of the background traffic that would add requests
 * or console noise to what we observe.
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Chromium tries an http:// navigation over https first and keeps it when that works: the
  // `downgrade` probe's http page would silently become the app's https origin.
  '--disable-features=HttpsUpgrades',
] as const;

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `--browser-path`, then CHROME_PATH, then /usr/bin/chromium; never a downloaded browser build. */
export function resolveChromium(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const [path, source] = flag ? [flag, '--browser-path'] : env.CHROME_PATH ? [env.CHROME_PATH, 'CHROME_PATH'] : [DEFAULT_CHROMIUM, 'default'];
  if (isExecutableFile(path)) return path;
  const where = source === 'default' ? `no Chromium at ${path}` : `${source} ${path}: no executable there`;
  throw new UsageError(`browser: ${where} — install it with "apt-get install chromium", or set --browser-path / CHROME_PATH`);
}

/** playwright-core drives Chromium; a build without it (e.g. the single executable) says so plainly. */
export async function loadChromiumDriver(): Promise<BrowserType> {
  try {
    const { chromium } = await import('playwright-core');
    return chromium;
  } catch {
    throw new AuditError(
      'browser: the playwright-core driver is not available in this build',
      2,
      'run the npm package (npx zantara-audit browser), or npm install playwright-core next to it',
    );
  }
}

export interface LaunchPlan {
  executablePath: string;
  profileDir: string;
  /** host name → loopback port of the page server that impersonates it. */
  hostMap: ReadonlyArray<[host: string, port: number]>;
  /** SPKI hash of the page's throwaway certificate: the only certificate errors Chromium ignores. */
  spkiSha256?: string;
  timeoutMs: number;
}

/**
 * Only the impersonated names are mapped (never `MAP *`), so the targets — loopback ports for
 * --local, real hosts otherwise — are reached as they are.
 */
export function chromiumArgs(plan: LaunchPlan): string[] {
  const rules = plan.hostMap.map(([host, port]) => `MAP ${host} 127.0.0.1:${port}`).join(', ');
  const args: string[] = [...CHROMIUM_FLAGS, `--user-data-dir=${plan.profileDir}`, `--host-resolver-rules=${rules}`];
  if (plan.spkiSha256) args.push(`--ignore-certificate-errors-spki-list=${plan.spkiSha256}`);
  return args;
}

/** A proxy from the environment would resolve the impersonated names itself: keep them direct. */
function browserEnv(hosts: readonly string[], env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  const noProxy = [env.no_proxy ?? env.NO_PROXY, ...hosts].filter(Boolean).join(',');
  out.no_proxy = noProxy;
  out.NO_PROXY = noProxy;
  return out;
}

export async function launchChromium(driver: BrowserType, plan: LaunchPlan): Promise<{ browser: Browser; args: string[] }> {
  const args = chromiumArgs(plan);
  const browser = await driver.launch({
    executablePath: plan.executablePath,
    ignoreDefaultArgs: true,
    // Playwright's pipe transport is the one switch it needs from us once its defaults are off.
    args: [...args, '--remote-debugging-pipe'],
    timeout: plan.timeoutMs,
    env: browserEnv(plan.hostMap.map(([host]) => host)),
    // The session owns SIGINT/SIGTERM (130/143) and closes Chromium through the abort signal.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  return { browser, args };
}
