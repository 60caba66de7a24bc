import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserType } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { startPageServer, type PageServer } from './page-server.js';
import { makeThrowawayCert } from './tls.js';
import type { BrowserObservation, PageCallsParams } from './types.js';
import { errorText, visit, withDeadline } from './visit.js';

/** Starting Chromium on a loaded CI machine can take seconds; this is not a target's deadline. */
const LAUNCH_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 10_000;

export interface BrowserPlan {
  executablePath: string;
  opensslPath?: string;
  origin: string;
  /** An origin the app does not own, playing the attacker's page. */
  foreignOrigin: string;
  /** The same calls for both origins, but the foreign page gets a dummy token, never the configured one. */
  appParams: PageCallsParams;
  foreignParams: PageCallsParams;
}

/** Everything started here is stopped in `finally`, whatever happened: Chromium, servers, temp dir. */
export async function observeInBrowser(driver: BrowserType, plan: BrowserPlan, signal: AbortSignal): Promise<BrowserObservation> {
  const dir = await mkdtemp(join(tmpdir(), 'zantara-audit-browser-'));
  const servers: PageServer[] = [];
  let browser: Browser | undefined;
  // Closing Chromium rejects whatever Playwright call is pending, so an interrupt ends the check at once.
  const onAbort = () => void browser?.close().catch(() => undefined);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const urls = [new URL(plan.origin), new URL(plan.foreignOrigin)];
    const tlsHosts = urls.filter((u) => u.protocol === 'https:').map((u) => u.hostname);
    let httpsPort: number | undefined;
    let httpPort: number | undefined;
    let spki: string | undefined;
    if (tlsHosts.length) {
      if (!plan.opensslPath) throw new Error('openssl is needed to serve an https origin');
      const cert = await makeThrowawayCert(plan.opensslPath, dir, tlsHosts, plan.appParams.callTimeoutMs);
      spki = cert.spkiSha256;
      const server = await startPageServer(cert);
      servers.push(server);
      httpsPort = server.port;
    }
    if (urls.some((u) => u.protocol === 'http:')) {
      const server = await startPageServer();
      servers.push(server);
      httpPort = server.port;
    }
    const hostMap = urls.map((u): [string, number] => [u.hostname, (u.protocol === 'https:' ? httpsPort : httpPort) as number]);
    signal.throwIfAborted();
    const launched = await launchChromium(driver, { executablePath: plan.executablePath, profileDir: join(dir, 'profile'), hostMap, spkiSha256: spki, timeoutMs: LAUNCH_TIMEOUT_MS });
    browser = launched.browser;
    signal.throwIfAborted();
    const app = await visit(browser, { role: 'app', origin: plan.origin, params: plan.appParams });
    const foreign = signal.aborted
      ? { role: 'foreign' as const, origin: plan.foreignOrigin, error: 'interrupted', console: [] }
      : await visit(browser, { role: 'foreign', origin: plan.foreignOrigin, params: plan.foreignParams });
    return { kind: 'browser', browser: { executablePath: plan.executablePath, version: browser.version(), args: launched.args }, app, foreign };
  } catch (err) {
    throw new Error(signal.aborted ? 'interrupted' : errorText(err));
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (browser) await withDeadline(browser.close(), CLOSE_TIMEOUT_MS, 'closing Chromium').catch(() => undefined);
    await Promise.all(servers.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}
