import { describe, expect, it } from 'vitest';
import { parseExposition } from '../../src/prometheus/exposition.js';
import { judgeLag } from '../../src/checks/metrics/rules.js';
import { auditWindow, firstWindow, inWindow, type Scrape, START_UP_S, WARM_UP_S } from '../../src/checks/metrics/window.js';

const LIMIT_MS = 10;
const NOW_S = 1_800_000_000;

/** prom-client's lag family and process start, as text: p99 in seconds, started `ageS` before the scrape. */
function scrape(p99: number, ageS: number | undefined, atS = NOW_S): Scrape {
  const lines = [
    `nodejs_eventloop_lag_p99_seconds ${p99}`,
    'nodejs_eventloop_lag_min_seconds 0.0010',
    `nodejs_eventloop_lag_max_seconds ${Math.max(p99, 0.002)}`,
    'nodejs_eventloop_lag_mean_seconds 0.0012',
  ];
  if (ageS !== undefined) lines.push(`process_start_time_seconds ${atS - ageS}`);
  return { atMs: atS * 1000, serverNowS: atS, exposition: parseExposition(lines.join('\n')) };
}

const judged = (s: Scrape) => judgeLag(s.exposition, LIMIT_MS, 'rag');

describe("metrics.eventloop-lag judges the audit's own window (issue 10, item 3)", () => {
  it('the closing scrape reports the audit window: judged as is, and the finding says which window', () => {
    const open = scrape(0.4, 0.3); // the start-up is in the first window: p99 400 ms
    const close = scrape(0.005, 3.3, NOW_S + 3);
    const w = auditWindow(open, close);
    expect(w).toMatchObject({ kind: 'audit', durationMs: 3000, warmUpS: expect.closeTo(0.3, 5) });
    const f = inWindow(judged(close), w);
    expect(f).toMatchObject({ status: 'pass', evidence: { window: { kind: 'audit', durationMs: 3000 } } });
    expect(f.observed).toMatch(/judged on the audit's own window: 3\.0 s from its first scrape to its last/);
    // What used to be judged: the first scrape, start-up included, fails a healthy server.
    expect(judged(open).status).toBe('fail');
  });

  it('real lag in the audit window still fails', () => {
    const f = inWindow(judged(scrape(0.06, 100, NOW_S + 3)), auditWindow(scrape(0.005, 97), scrape(0.06, 100, NOW_S + 3)));
    expect(f).toMatchObject({ status: 'fail', evidence: { window: { kind: 'audit' } } });
    expect(f.remedy).toBeTruthy();
  });

  it('a process that restarted during the audit: its start-up is in the window, named, and not failed on', () => {
    const close = scrape(0.3, 1.5, NOW_S + 3);
    const w = auditWindow(scrape(0.005, 600), close);
    expect(w).toMatchObject({ kind: 'start-up', processAgeS: 1.5 });
    const f = inWindow(judged(close), w);
    expect(f).toMatchObject({ status: 'skip', severity: 'info', evidence: { window: { kind: 'start-up', processAgeS: 1.5 } } });
    expect(f.observed).toMatch(/not judged: a start-up window: the process started 1\.5 s before this scrape \(process_start_time_seconds\).*restarted/);
    expect(f.remedy).toBeUndefined();
  });

  it('only the first window is left (the closing scrape failed): a young process names a start-up window and is not failed on it', () => {
    const open = scrape(0.3, 0.4);
    const w = firstWindow(open, "the audit's own window could not be judged (no answer)");
    expect(w).toMatchObject({ kind: 'start-up', processAgeS: expect.closeTo(0.4, 5) });
    expect(inWindow(judged(open), w).status).toBe('skip');
    // Under the limit even with the start-up counted: the service passes.
    expect(inWindow(judged(scrape(0.004, 0.4)), firstWindow(scrape(0.004, 0.4), 'x')).status).toBe('pass');
  });

  it('only the first window is left, and the process is old or its start time unknown: judged as before, window named', () => {
    for (const open of [scrape(0.3, START_UP_S + 1), scrape(0.3, undefined)]) {
      const f = inWindow(judged(open), firstWindow(open, "the audit's own window could not be judged (no answer)"));
      expect(f).toMatchObject({ status: 'fail', evidence: { window: { kind: 'before-audit' } } });
      expect(f.observed).toMatch(/judged on the window before the audit .*could not be judged/);
    }
  });

  it("a process younger than WARM_UP_S when the audit's window opened: lag above the limit is its warm-up, skip naming the start-up", () => {
    const open = scrape(0.004, 0.5); // the audit opened its window 0.5 s after the process started
    const close = scrape(0.04, 3.5, NOW_S + 3); // its first requests (lazy compilation) are in the window
    const w = auditWindow(open, close);
    expect(w).toEqual({ kind: 'audit', durationMs: 3000, warmUpS: 0.5 });
    const f = inWindow(judged(close), w);
    expect(f).toMatchObject({ status: 'skip', severity: 'info', evidence: { window: { kind: 'audit', durationMs: 3000, warmUpS: 0.5 } } });
    expect(f.title).toMatch(/not judged on a start-up window/);
    expect(f.observed).toMatch(
      /^39\.00 ms .*not judged: the audit's own window: 3\.0 s .*the process started 0\.5 s before the audit \(process_start_time_seconds, under 20 s\): its warm-up .* is in this window; re-run later$/,
    );
    expect(f.remedy).toBeUndefined();
    // Below the limit, the warm-up counted, the service passes.
    expect(inWindow(judged(scrape(0.005, 3.5, NOW_S + 3)), w)).toMatchObject({ status: 'pass', evidence: { window: { warmUpS: 0.5 } } });
  });

  it('a process older than WARM_UP_S when the window opened: the same lag fails', () => {
    const close = scrape(0.04, WARM_UP_S + 3, NOW_S + 3);
    const w = auditWindow(scrape(0.004, WARM_UP_S), close);
    expect(w).toEqual({ kind: 'audit', durationMs: 3000 });
    expect(inWindow(judged(close), w)).toMatchObject({ status: 'fail', evidence: { window: { kind: 'audit' } } });
  });

  it('no process_start_time_seconds: the audit window is judged as before, a lag above the limit fails', () => {
    const close = scrape(0.04, undefined, NOW_S + 3);
    const w = auditWindow(scrape(0.004, undefined), close);
    expect(w).toEqual({ kind: 'audit', durationMs: 3000 });
    const f = inWindow(judged(close), w);
    expect(f.status).toBe('fail');
    expect(f.observed).not.toMatch(/warm-up/);
  });
});
