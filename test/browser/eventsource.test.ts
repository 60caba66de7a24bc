/**
 * The CLI's verdict on the answer stream against a real browser's: headless Chromium on a page
 * served from one loopback origin opens `new EventSource(<reference RAG stream>)` on another, and
 * what it receives (events, done, how it ends) must be what `stream --json` implies, for the
 * clean server and for the faults a browser sees differently: no-done, wrong-content-type,
 * stream-no-cors.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonReport, runJson, statusOf } from '../helpers/cli.js';
import { CHROMIUM_FLAGS } from '../../src/checks/browser/chromium.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);

type ReferenceModule = typeof import('../../src/server/index.js');
type FaultsModule = typeof import('../../src/server/faults.js');
const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;

/** What the page saw: the messages EventSource dispatched and how it ended. */
interface Seen {
  opened: boolean;
  events: Array<{ type: string; data: string; lastEventId: string }>;
  /** `done`: the page saw done and closed; `closed`: error with readyState CLOSED (failed for good); `reconnecting`: error with readyState CONNECTING. */
  ending: 'done' | 'closed' | 'reconnecting' | 'timeout';
}

/** Runs in the page: the web app's stream call, closing on done as the app should. */
function listen(url: string): Promise<Seen> {
  return new Promise((resolve) => {
    const source = new EventSource(url, { withCredentials: false });
    const seen: Seen = { opened: false, events: [], ending: 'timeout' };
    const end = (ending: Seen['ending']) => {
      source.close();
      resolve({ ...seen, ending });
    };
    const timer = setTimeout(() => end('timeout'), 8000);
    source.onopen = () => (seen.opened = true);
    source.onmessage = (e) => {
      seen.events.push({ type: e.type, data: e.data, lastEventId: e.lastEventId });
      let type: unknown;
      try {
        type = (JSON.parse(e.data) as { type?: unknown }).type;
      } catch {
        /* not JSON: not done */
      }
      if (type === 'done') {
        clearTimeout(timer);
        end('done');
      }
    };
    source.onerror = () => {
      clearTimeout(timer);
      end(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    };
  });
}

function kinds(events: Seen['events']): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) {
    const type = (JSON.parse(e.data) as { type: string }).type;
    counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

/** What `stream --json` says a browser gets: nothing past a failed gate; otherwise the events it read and whether done came. */
function implied(report: JsonReport): { gateFailed: boolean; counts: Record<string, number>; answer: string; done: boolean; lastEventId: unknown } {
  const evidence = (id: string) => (report.findings.find((f) => f.id === id) as { evidence?: Record<string, unknown> } | undefined)?.evidence ?? {};
  const gateFailed = ['sse.status', 'sse.content-type', 'sse.cors'].some((id) => statusOf(report, id).includes('fail'));
  return {
    gateFailed,
    counts: (evidence('sse.protocol').counts as Record<string, number> | undefined) ?? {},
    answer: (evidence('sse.protocol').answer as string | undefined) ?? '',
    done: statusOf(report, 'sse.done').includes('pass'),
    lastEventId: evidence('sse.reconnect').lastEventId,
  };
}

describe.skipIf(!hasChromium)(`EventSource in ${CHROMIUM} sees what stream --json reports (skipped when missing: apt-get install chromium)`, () => {
  let page: Page;
  let browser: Browser;
  let pageServer: Server;
  let origin: string;
  let profile: string;
  let reference: ReferenceModule;
  let faults: FaultsModule;

  beforeAll(async () => {
    reference = (await import(dist('server/index.js'))) as ReferenceModule;
    faults = (await import(dist('server/faults.js'))) as FaultsModule;
    pageServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>zantara-audit EventSource test</title>');
    });
    await new Promise<void>((r) => pageServer.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'zantara-es-profile-'));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      ignoreDefaultArgs: true,
      // Playwright's pipe transport is the one switch it needs once its defaults are off.
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-pipe'],
      timeout: 30_000,
    });
    page = await browser.newPage();
    await page.goto(`${origin}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (pageServer ? pageServer.close(() => r()) : r()));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it.each([
    ['clean', 'done', []],
    ['no-done', 'reconnecting', ['no-done']],
    ['wrong-content-type', 'closed', ['wrong-content-type']],
    ['stream-no-cors', 'closed', ['stream-no-cors']],
  ] as const)('%s: the page ends %s, as the CLI report implies', async (_name, ending, fault) => {
    const ref = await reference.startReference({ origin, faults: new faults.Faults([...fault]), pace: { ttftMs: 0, tokenIntervalMs: 2, jitterMs: 0 } });
    try {
      const url = `${ref.rag}/bali-zero/chat-stream?query=hello`;
      const seen = await page.evaluate(listen, url);
      const { result, report } = await runJson(['stream', '--rag', ref.rag, '--gateway', ref.gateway, '--origin', origin, '--no-log', '--skip', 'sse.disconnect']);
      expect(result.code, result.stderr).toBe(fault.length === 0 ? 0 : 1);
      const cli = implied(report);
      expect(seen.ending).toBe(ending);
      if (cli.gateFailed) {
        // A failed status, type or CORS check: EventSource is CLOSED before any event.
        expect(seen).toMatchObject({ opened: false, events: [], ending: 'closed' });
        return;
      }
      expect(seen.opened).toBe(true);
      expect(kinds(seen.events)).toEqual(cli.counts);
      expect(
        seen.events
          .filter((e) => JSON.parse(e.data).type === 'token')
          .map((e) => JSON.parse(e.data).data)
          .join(''),
      ).toBe(cli.answer);
      expect(seen.ending === 'done').toBe(cli.done);
      expect(seen.events.at(-1)?.lastEventId).toBe(cli.lastEventId);
    } finally {
      await ref.close();
    }
  });
});
