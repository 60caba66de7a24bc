import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserType } from 'playwright-core';
import { mapLimit } from '../../core/map-limit.js';
import { launchChromium } from './chromium.js';
import { startDualPageServer, type PageServer } from './page-server.js';
import { makeThrowawayCert } from './tls.js';
import type { BrowserObservation, HostileOrigin, PageCallsParams, ProbeCallsParams, ProbeRun } from './types.js';
import { errorText, visit, visitProbe, withDeadline } from './visit.js';

/** Starting Chromium on a loaded CI machine can take seconds; this is not a target's deadline. */
const LAUNCH_TIMEOUT_MS = 30_000;
const CLOSE_TIMEOUT_MS = 10_000;
/** Probe pages open at once: one browser, a few contexts; enough to keep the replay to seconds. */
const PROBE_PAGES_AT_ONCE = 6;

export interface BrowserPlan {
  executablePath: string;
  opensslPath?: string;
  origin: string;
  /** An origin the app does not own, playing the attacker's page. */
  foreignOrigin: string;
  /** The same calls for both origins, but the foreign page gets a dummy token, never the configured one. */
  appParams: PageCallsParams;
  foreignParams: PageCallsParams;
  /** The hostile origins the header rules judged, to replay in the browser ([] for none). */
  probes: readonly HostileOrigin[];
  probeParams: ProbeCallsParams;
}

/**
 * Why Chromium cannot play a page at this origin, or undefined. Host-resolver rules map names;
 * Chromium answers `localhost` and IP literals itself, so no page of ours can stand there.
 */
export function unreplayable(origin: string): string | undefined {
  if (origin === 'null') return undefined;
  const host = new URL(origin).hostname;
  if (host === 'localhost' || host.endsWith('.localhost')) return 'Chromium resolves localhost itself: no page of ours can stand at this origin';
  if (/^[\d.]+$|^\[/.test(host)) return 'an IP literal cannot be mapped to the page server';
  return undefined;
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
    const replayable = plan.probes.filter((p) => p.origin !== 'null' && unreplayable(p.origin) === undefined);
    const urls = [new URL(plan.origin), new URL(plan.foreignOrigin), ...replayable.map((p) => new URL(p.origin))];
    const tlsHosts = [...new Set(urls.filter((u) => u.protocol === 'https:').map((u) => u.hostname))];
    let spki: string | undefined;
    let tls: { cert: Buffer; key: Buffer } | undefined;
    if (tlsHosts.length) {
      if (!plan.opensslPath) throw new Error('openssl is needed to serve an https origin');
      const cert = await makeThrowawayCert(plan.opensslPath, dir, tlsHosts, plan.appParams.callTimeoutMs);
      spki = cert.spkiSha256;
      tls = cert;
    }
    // One port for every page: http and https are told apart by the first byte (page-server.ts).
    const server = await startDualPageServer(tls);
    servers.push(server);
    const hostMap = [...new Set(urls.map((u) => u.hostname))].map((h): [string, number] => [h, server.port]);
    signal.throwIfAborted();
    const launched = await launchChromium(driver, {
      executablePath: plan.executablePath,
      profileDir: join(dir, 'profile'),
      hostMap,
      spkiSha256: spki,
      timeoutMs: LAUNCH_TIMEOUT_MS,
    });
    browser = launched.browser;
    signal.throwIfAborted();
    const app = await visit(browser, { role: 'app', origin: plan.origin, params: plan.appParams });
    const foreign = signal.aborted
      ? { role: 'foreign' as const, origin: plan.foreignOrigin, error: 'interrupted', console: [] }
      : await visit(browser, { role: 'foreign', origin: plan.foreignOrigin, params: plan.foreignParams });
    const started = performance.now();
    const live = browser;
    const probes = await mapLimit(plan.probes, PROBE_PAGES_AT_ONCE, async (p): Promise<ProbeRun> => {
      const why = unreplayable(p.origin);
      if (why || signal.aborted) return { ...p, error: why ?? 'interrupted', console: [] };
      return visitProbe(live, p, plan.probeParams, plan.foreignOrigin);
    });
    const probesMs = Math.round(performance.now() - started);
    return { kind: 'browser', browser: { executablePath: plan.executablePath, version: browser.version(), args: launched.args }, app, foreign, probes, probesMs };
  } catch (err) {
    throw new Error(signal.aborted ? 'interrupted' : errorText(err));
  } finally {
    signal.removeEventListener('abort', onAbort);
    if (browser) await withDeadline(browser.close(), CLOSE_TIMEOUT_MS, 'closing Chromium').catch(() => undefined);
    await Promise.all(servers.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  }
}
