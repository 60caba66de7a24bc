/**
 * The HTML report, opened from disk in headless Chromium as a person would open a CI artifact:
 * no console error, no request besides the file itself (a CSP forbids any), the verdict, the
 * findings and the charts rendered with a size, and the timeline telling a buffered stream (a
 * burst at the end) from a clean one (marks spread over the stream). Screenshots land in
 * test-output/html-report/ for review; UPDATE_DOCS_SCREENSHOT=1 also refreshes docs/html-report.png.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { CHROMIUM_FLAGS } from '../../src/checks/browser/chromium.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const OUT = fileURLToPath(new URL('../../test-output/html-report/', import.meta.url));
const DOCS_PNG = fileURLToPath(new URL('../../docs/html-report.png', import.meta.url));
const SECRET = 'Bearer s3cr3t-html-token-value';

interface Opened {
  problems: string[];
  exitShown: string;
  sections: Record<string, number>;
  /** Per timeline: where each mark sits, 0 (request) to 1 (end of the chart). */
  marks: number[][];
  failing: string[];
  charts: Array<{ cls: string; width: number; height: number; bars: number; points: number }>;
}

describe.skipIf(!hasChromium)(`the HTML report in ${CHROMIUM} (skipped when missing: apt-get install chromium)`, () => {
  let browser: Browser;
  let profile: string;
  const dir = mkdtempSync(join(tmpdir(), 'zantara-html-test-'));

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'zantara-html-profile-'));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      ignoreDefaultArgs: true,
      // No host resolves: a report that reached for the network would fail loudly.
      args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--host-resolver-rules=MAP * ~NOTFOUND', '--remote-debugging-pipe'],
      timeout: 30_000,
    });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  /** Open a report file, collect every console error and request, measure what rendered, screenshot it. */
  async function open(file: string, name: string, docsPng?: string): Promise<Opened> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const problems: string[] = [];
    const url = pathToFileURL(file).href;
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
    page.on('request', (r) => r.url() !== url && problems.push(`request: ${r.url()}`));
    await page.goto(url);
    const seen = await page.evaluate(() => {
      const size = (sel: string) => {
        const r = document.querySelector(sel)?.getBoundingClientRect();
        return r ? r.width * r.height : 0;
      };
      const marks = [...document.querySelectorAll('svg.timeline-chart')].map((svg) => {
        const box = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('line.mark')].map((m) => (m.getBoundingClientRect().left - box.left) / box.width);
      });
      const charts = [...document.querySelectorAll('svg.chart')].map((s) => ({
        cls: s.closest('figure')?.className ?? '',
        width: s.getBoundingClientRect().width,
        height: s.getBoundingClientRect().height,
        bars: s.querySelectorAll('rect.bar').length,
        points: [...s.querySelectorAll('polyline')].reduce((n, p) => n + (p.getAttribute('points') ?? '').split(' ').length, 0),
      }));
      return {
        exitShown: document.querySelector('#verdict')?.textContent ?? '',
        sections: { verdict: size('#verdict'), timeline: size('#timeline'), load: size('#load'), findings: size('#findings') },
        marks,
        failing: [...document.querySelectorAll('details.finding.fail')].map((d) => d.getAttribute('data-id') ?? ''),
        charts,
      };
    });
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
    // The README's picture: the top of the page (verdict, timeline, the first failure), kept small.
    if (docsPng) await page.screenshot({ path: docsPng, clip: { x: 0, y: 0, width: 1000, height: 900 } });
    await page.close();
    return { problems, ...seen };
  }

  it('clean run (audit --local): verdict, findings, a timeline whose marks spread over the stream; no request, no console error; secrets redacted', async () => {
    const file = join(dir, 'clean.html');
    const r = await runCli(['audit', '--local', '--no-log', '--skip', 'metrics.eventloop-lag', '--header', `Authorization: ${SECRET}`, '--html', file], { timeoutMs: 90_000 });
    expect(r.stdout).toContain(`html: ${file}`);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain('s3cr3t-html-token-value');
    const seen = await open(file, 'clean');
    expect(seen.problems).toEqual([]);
    expect(seen.exitShown).toContain(`exit code ${r.code}`);
    for (const section of ['verdict', 'timeline', 'findings']) expect(seen.sections[section], section).toBeGreaterThan(0);
    expect(seen.marks).toHaveLength(1);
    const marks = seen.marks[0] ?? [];
    expect(marks.length).toBeGreaterThanOrEqual(10);
    // Tokens paced by the server: under half of the marks sit in the last tenth of the chart.
    expect(marks.filter((x) => x > 0.9).length / marks.length).toBeLessThan(0.5);
    expect(seen.failing).not.toContain('sse.buffering');
  });

  it('buffered stream (stream --local --fault buffered): sse.buffering fails and the timeline shows the burst at the end', async () => {
    const file = join(dir, 'buffered.html');
    const r = await runCli(['stream', '--local', '--no-log', '--fault', 'buffered', '--skip', 'sse.disconnect', '--html', file], { timeoutMs: 90_000 });
    expect(r.code).toBe(1);
    const seen = await open(file, 'buffered', process.env.UPDATE_DOCS_SCREENSHOT === '1' ? DOCS_PNG : undefined);
    expect(seen.problems).toEqual([]);
    expect(seen.exitShown).toContain('exit code 1');
    expect(seen.failing).toContain('sse.buffering');
    const marks = seen.marks[0] ?? [];
    expect(marks.length).toBeGreaterThanOrEqual(10);
    expect(marks.filter((x) => x > 0.9).length / marks.length).toBeGreaterThanOrEqual(0.8);
  });

  it('load run: distributions of time to first event and to done, and the streams over time, drawn', async () => {
    const file = join(dir, 'load.html');
    const r = await runCli(['load', '--local', '--no-log', '--connections', '50', '--duration', '2', '--ramp', '500', '--html', file], { timeoutMs: 90_000 });
    expect(r.stdout).toContain(`html: ${file}`);
    const seen = await open(file, 'load');
    expect(seen.problems).toEqual([]);
    expect(seen.sections.load).toBeGreaterThan(0);
    const byClass = (cls: string) => seen.charts.find((c) => c.cls.includes(cls));
    for (const cls of ['first-event', 'done', 'over-time']) {
      const chart = byClass(cls);
      expect(chart, cls).toBeDefined();
      expect((chart?.width ?? 0) * (chart?.height ?? 0), cls).toBeGreaterThan(0);
      expect(chart?.points, cls).toBeGreaterThan(2);
    }
    expect(byClass('first-event')?.bars).toBeGreaterThan(0);
  });
});
