import type { Browser } from 'playwright-core';
import type { Page } from 'playwright-core';
import { pageCalls } from './page-calls.js';
import { probeCalls } from './page-probe.js';
import type { ConsoleEntry, HostileOrigin, OriginRun, PageCallsParams, ProbeCallsParams, ProbeRun } from './types.js';

const MAX_CONSOLE_ENTRIES = 200;

export function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/** Settles with the promise, or rejects after `ms`: Playwright's evaluate has no deadline of its own. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function keepConsole(page: Page, entries: ConsoleEntry[]): void {
  page.on('console', (m) => {
    if (entries.length < MAX_CONSOLE_ENTRIES) entries.push({ type: m.type(), text: m.text().slice(0, 2000), url: m.location().url || undefined });
  });
  page.on('pageerror', (err) => {
    if (entries.length < MAX_CONSOLE_ENTRIES) entries.push({ type: 'pageerror', text: errorText(err) });
  });
}

/**
 * A page at one hostile origin runs the calls the header rules judged for it. `null` is a
 * sandboxed iframe (opaque origin) in a page at `nullHost`, as an attacker's page would embed it.
 */
export async function visitProbe(browser: Browser, probe: HostileOrigin, params: ProbeCallsParams, nullHost: string): Promise<ProbeRun> {
  const entries: ConsoleEntry[] = [];
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    keepConsole(page, entries);
    const isNull = probe.origin === 'null';
    await page.goto(isNull ? `${nullHost}/null-origin` : `${probe.origin}/`, { timeout: params.callTimeoutMs, waitUntil: 'load' });
    const frame = isNull ? page.frame({ name: 'null-origin' }) : page.mainFrame();
    if (!frame) throw new Error('the sandboxed frame did not load');
    const calls = await withDeadline(frame.evaluate(probeCalls, params), 3 * params.callTimeoutMs + 5_000, `the probe calls at ${probe.origin}`);
    await withDeadline(
      page.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 50))),
      params.callTimeoutMs,
      'console flush',
    );
    // A page that is not at the probe origin (an upgrade, a redirect) would judge another origin.
    if (calls.pageOrigin !== probe.origin) return { ...probe, error: `the page ran at ${calls.pageOrigin}, not at ${probe.origin}`, console: entries };
    return { ...probe, calls, console: entries };
  } catch (err) {
    return { ...probe, error: errorText(err), console: entries };
  } finally {
    await withDeadline(context.close(), 5_000, 'closing the page').catch(() => undefined);
  }
}

export interface VisitPlan {
  role: OriginRun['role'];
  origin: string;
  params: PageCallsParams;
}

/**
 * Open the page at `origin` in a fresh context (no cookies shared between origins), run the app's
 * calls there and keep what the console said: Chromium's CORS error text is only in the console.
 */
export async function visit(browser: Browser, plan: VisitPlan): Promise<OriginRun> {
  const { role, origin, params } = plan;
  const entries: ConsoleEntry[] = [];
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    keepConsole(page, entries);
    await page.goto(`${origin}/`, { timeout: params.callTimeoutMs, waitUntil: 'load' });
    // In-page deadlines end every call first; this outer one only guards against a wedged renderer.
    const guardMs = 2 * params.callTimeoutMs + params.streamTimeoutMs + 5_000;
    const calls = await withDeadline(page.evaluate(pageCalls, params), guardMs, `the page calls at ${origin}`);
    // "Failed to load resource" lines can trail the page's promise; one more round trip collects them.
    await withDeadline(
      page.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 50))),
      params.callTimeoutMs,
      'console flush',
    );
    return { role, origin, calls, console: entries };
  } catch (err) {
    return { role, origin, error: errorText(err), console: entries };
  } finally {
    await withDeadline(context.close(), 5_000, 'closing the page').catch(() => undefined);
  }
}
