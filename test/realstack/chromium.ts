/**
 * One headless Chromium for a whole test file, with the project's flags, and one page server on
 * a loopback port that every test host name is mapped to: the app origin
 * `http://app.example.test:<port>`, a foreign site, a prefix look-alike of the app, and a
 * sandboxed page (origin `null`). Everything else resolves to nothing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { type AppSeen, appCalls, closeEarly, type CleanupSeen, foreignRead, type Read } from './pages.js';
import { CHROMIUM_FLAGS } from '../../src/checks/browser/chromium.js';

export const CHROMIUM = '/usr/bin/chromium';

export const APP_HOST = 'app.example.test';
/** The foreign pages, by the probe kind whose question they answer in the browser. */
export const FOREIGN_HOSTS = { arbitrary: 'evil.example', prefix: 'app.example.test.attacker.test' } as const;

export interface Judge {
  /** The app's origin, `http://app.example.test:<port>`: what every target allows. */
  origin: string;
  visit(target: { gateway: string; rag: string }, opts: { cleanup: boolean }): Promise<BrowserSeen>;
  close(): Promise<void>;
}

export interface BrowserSeen {
  app: AppSeen;
  foreign: { arbitrary: Read; prefix: Read; null: Read };
  cleanup?: CleanupSeen;
  /** Chromium's own console lines (the CORS reasons). */
  console: string[];
}

const BLANK = '<!doctype html><meta charset="utf-8"><title>realstack</title>';

function pageServer(): Promise<Server> {
  const server = createServer((req, res) => {
    // A document served with CSP sandbox has an opaque origin: its requests say `Origin: null`.
    const sandbox = req.url === '/sandboxed' ? { 'content-security-policy': 'sandbox allow-scripts' } : {};
    res.writeHead(req.url === '/' || req.url === '/sandboxed' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...sandbox });
    res.end(BLANK);
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export const STREAM_PATH = '/bali-zero/chat-stream';
export const GAUGE = 'sse_active_streams';
/** A tab closed this soon after opening the stream: before any buffered answer could arrive. */
export const CLOSE_AFTER_MS = 400;
/** The CLI's default `disconnect.deadlineMs`: the same question, asked with the same patience. */
export const CLEANUP_DEADLINE_MS = 5000;

export async function startJudge(): Promise<Judge> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing — apt-get install chromium`);
  const server = await pageServer();
  const port = (server.address() as AddressInfo).port;
  const profile = mkdtempSync(join(tmpdir(), 'zantara-realstack-chromium-'));
  const hosts = [APP_HOST, ...Object.values(FOREIGN_HOSTS)];
  const rules = [...hosts.map((h) => `MAP ${h} 127.0.0.1`), 'MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1'].join(', ');
  const { chromium } = await import('playwright-core');
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    ignoreDefaultArgs: true,
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, `--host-resolver-rules=${rules}`, '--remote-debugging-pipe'],
    timeout: 30_000,
  });
  const origin = `http://${APP_HOST}:${port}`;
  const at = (host: string) => `http://${host}:${port}/`;

  async function visit(target: { gateway: string; rag: string }, opts: { cleanup: boolean }): Promise<BrowserSeen> {
    const context = await browser.newContext();
    const consoleLines: string[] = [];
    context.on('console', (m) => consoleLines.push(m.text()));
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(45_000);
      await page.goto(at(APP_HOST));
      const app = await page.evaluate(appCalls, {
        gateway: target.gateway,
        rag: target.rag,
        streamUrl: `${target.rag}${STREAM_PATH}?query=hello`,
        emptyQueryUrl: `${target.rag}${STREAM_PATH}?query=`,
      });
      const healthUrl = `${target.gateway}/health`;
      await page.goto(at(FOREIGN_HOSTS.arbitrary));
      const arbitrary = await page.evaluate(foreignRead, healthUrl);
      await page.goto(at(FOREIGN_HOSTS.prefix));
      const prefix = await page.evaluate(foreignRead, healthUrl);
      await page.goto(`${at(FOREIGN_HOSTS.arbitrary)}sandboxed`);
      const nullRead = await page.evaluate(foreignRead, healthUrl);
      let cleanup: CleanupSeen | undefined;
      if (opts.cleanup) {
        // Same origin as the stream: no CORS in the way of reading the gauge or opening the stream.
        await page.goto(`${target.rag}/health`);
        cleanup = await page.evaluate(closeEarly, { streamPath: `${STREAM_PATH}?query=hello`, gauge: GAUGE, closeAfterMs: CLOSE_AFTER_MS, deadlineMs: CLEANUP_DEADLINE_MS });
      }
      return { app, foreign: { arbitrary, prefix, null: nullRead }, cleanup, console: consoleLines };
    } finally {
      await context.close();
    }
  }

  return {
    origin,
    visit,
    close: async () => {
      await browser.close();
      await new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      });
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
