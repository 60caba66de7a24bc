import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../../src/prometheus/exposition.js';
import { configSchema } from '../../src/checks/config.js';
import { loadConfig } from '../../src/config/load.js';
import { finding, type Finding } from '../../src/core/finding.js';
import { Redactor } from '../../src/core/redact.js';
import type { Check, CheckContext } from '../../src/checks/runner.js';
import { LogDir } from '../../src/exporter/log-dir.js';
import { resolveAll, resolvePlan } from '../../src/exporter/plan.js';
import type { ProbeResult } from '../../src/exporter/prober.js';
import { guardQuiet, guardQuietChecks, TargetActivity } from '../../src/exporter/quiet.js';
import { renderDebug, renderProbe } from '../../src/exporter/render.js';
import { parseProbeQuery, probeDeadlineMs } from '../../src/exporter/request.js';

const TARGETS = ['prod', 'staging'];
const MODULES = ['audit', 'stream'];
const q = (search: string, header?: string) => parseProbeQuery(new URLSearchParams(search), header, TARGETS, MODULES);

describe('/probe input: nothing is sent for a request the exporter refuses', () => {
  it.each([
    ['target=http://evil.example&module=stream', /not a configured target name.*never a URL/],
    ['target=evil.example:443&module=stream', /never a URL/],
    ['target=//evil.example&module=stream', /never a URL/],
    ['target=other&module=stream', /unknown target "other": configured are prod, staging/],
    ['module=stream', /missing target/],
    ['target=prod', /missing module: one of audit, stream/],
    ['target=prod&module=http_2xx', /unknown module "http_2xx"/],
    ['target=prod&module=stream&hostname=x', /unknown parameter "hostname"/],
    ['target=prod&target=staging&module=stream', /more than once/],
    ['target=prod&module=stream&debug=yes', /debug must be true or false/],
  ])('%s → 400: %s', (search, reason) => {
    const r = q(search);
    expect(r).toHaveProperty('error');
    expect((r as { error: string }).error).toMatch(reason);
    expect((r as { error: string }).error).not.toContain('\n');
  });

  it('accepts a configured target, a module, debug and the scrape timeout header', () => {
    expect(q('target=prod&module=stream&debug=true', '9.5')).toEqual({ target: 'prod', module: 'stream', debug: true, scrapeTimeoutMs: 9500 });
    expect(q('target=staging&module=audit')).toEqual({ target: 'staging', module: 'audit', debug: false });
  });

  it.each(['', 'abc', '-3', '0', '1e3'])('a bad X-Prometheus-Scrape-Timeout-Seconds %j is a 400', (header) => {
    expect(q('target=prod&module=stream', header)).toHaveProperty('error');
  });

  it('the deadline is the module deadline, cut to end margin ms before Prometheus gives up', () => {
    expect(probeDeadlineMs(45_000, undefined, 500)).toBe(45_000);
    expect(probeDeadlineMs(45_000, 10_000, 500)).toBe(9_500);
    expect(probeDeadlineMs(5_000, 10_000, 500)).toBe(5_000);
    expect(probeDeadlineMs(45_000, 300, 500)).toBe(100);
  });
});

function result(findings: Finding[], extra: Partial<ProbeResult> = {}): ProbeResult {
  return {
    target: 'prod',
    module: 'stream',
    startedAt: '2026-01-01T00:00:00.000Z',
    deadlineMs: 9500,
    durationMs: 1234,
    findings,
    success: !findings.some((f) => f.status === 'fail'),
    ...extra,
  };
}
const f = (id: string, status: Finding['status'], more: Partial<Finding> = {}) => finding({ id, target: 'rag', status, title: id, expected: 'e', observed: 'o', ...more });

describe('probe exposition', () => {
  it('values per status and severity are the documented ones; the worst finding per (id, target) wins', () => {
    const exp = parseExposition(
      renderProbe(
        result([
          f('sse.done', 'fail'),
          f('a', 'pass'),
          f('b', 'skip'),
          f('c', 'warn'),
          f('cors.probe.null', 'pass'),
          f('cors.probe.null', 'fail', { severity: 'critical' }),
          f('cors.probe.null', 'fail', { severity: 'medium' }),
        ]),
      ),
    );
    expect(exp.errors).toEqual([]);
    expect(sampleValue(exp, 'zantara_probe_success')).toBe(0);
    expect(sampleValue(exp, 'zantara_probe_duration_seconds')).toBe(1.234);
    expect(sampleValue(exp, 'zantara_probe_deadline_seconds')).toBe(9.5);
    const status = (id: string) => sampleValue(exp, 'zantara_check_status', { id, target: 'rag' });
    expect([status('a'), status('b'), status('c'), status('sse.done')]).toEqual([0, 1, 2, 3]);
    expect(status('cors.probe.null')).toBe(3);
    expect(sampleValue(exp, 'zantara_check_severity', { id: 'cors.probe.null', target: 'rag' })).toBe(4);
    expect(sampleValue(exp, 'zantara_checks', { status: 'fail' })).toBe(3);
    expect(sampleValue(exp, 'zantara_checks', { status: 'pass' })).toBe(2);
  });

  it('success is 1 when nothing failed (warnings and skips allowed)', () => {
    const exp = parseExposition(renderProbe(result([f('a', 'pass'), f('b', 'warn'), f('c', 'skip')])));
    expect(sampleValue(exp, 'zantara_probe_success')).toBe(1);
  });

  it("the stream's timings come from the findings that carry them, and any …Ms evidence is exported generically", () => {
    const exp = parseExposition(
      renderProbe(
        result([
          f('sse.first-event', 'pass', { evidence: { firstEventMs: 72.35, firstTokenMs: 102.7 } }),
          f('sse.done', 'pass', { evidence: { doneAtMs: 342.62 } }),
          f('sse.protocol', 'pass', { evidence: { counts: { metadata: 1, token: 12, sources: 1, done: 1 } } }),
          f('sse.latency', 'pass', { evidence: { latency: { ttftMs: 88, itlP99Ms: 31.5 }, note: 'x', samplesMs: [1, 2] } }),
        ]),
      ),
    );
    expect(sampleValue(exp, 'zantara_stream_first_event_seconds')).toBe(0.07235);
    expect(sampleValue(exp, 'zantara_stream_done_seconds')).toBe(0.34262);
    expect(sampleValue(exp, 'zantara_stream_events')).toBe(15);
    expect(sampleValue(exp, 'zantara_check_timing_seconds', { id: 'sse.latency', field: 'latency.ttftMs' })).toBe(0.088);
    expect(sampleValue(exp, 'zantara_check_timing_seconds', { id: 'sse.latency', field: 'latency.itlP99Ms' })).toBe(0.0315);
  });

  it('without stream findings there are no stream timings (absent, not 0)', () => {
    const text = renderProbe(result([f('health.status', 'pass')]));
    expect(text).not.toMatch(/^zantara_stream_/m);
  });

  it('debug lists problems first with expected, observed and fix', () => {
    const text = renderDebug(result([f('a', 'pass'), f('sse.done', 'fail', { remedy: 'send done' })]), 'metrics');
    expect(text.split('\n').slice(0, 6).join('\n')).toMatch(/FAILED[\s\S]*FAIL \[sse\.done\][\s\S]*/);
    expect(text).toContain('fix: send done');
  });
});

describe('checks that need a quiet target', () => {
  const ctx = {} as CheckContext;
  const gaugeCheck = (verdict: Finding['status'], during?: () => void): Check => ({
    id: 'sse.disconnect',
    title: 'cleanup',
    run: async () => {
      during?.();
      return [f('sse.disconnect.cleanup', verdict)];
    },
  });

  it('runs as usual when no other probe of the target is in flight', async () => {
    const activity = new TargetActivity();
    activity.begin('rag-a');
    const check = guardQuiet(gaugeCheck('fail'), activity, 'rag-a');
    expect((await check.run(ctx))[0]?.status).toBe('fail');
  });

  it('says skip (overlap) instead of running when another probe of the same target is in flight', async () => {
    const activity = new TargetActivity();
    activity.begin('rag-a');
    activity.begin('rag-a');
    activity.begin('rag-b');
    let ran = false;
    const check = guardQuiet(
      gaugeCheck('pass', () => (ran = true)),
      activity,
      'rag-a',
    );
    const [out] = await check.run(ctx);
    expect(ran).toBe(false);
    expect(out).toMatchObject({ id: 'sse.disconnect.cleanup', status: 'skip' });
    expect(out?.observed).toMatch(/1 other probe\(s\) of this target were in flight/);
  });

  it('turns a verdict into skip when another probe started while it ran', async () => {
    const activity = new TargetActivity();
    activity.begin('rag-a');
    const check = guardQuiet(
      gaugeCheck('fail', () => activity.begin('rag-a')),
      activity,
      'rag-a',
    );
    const [out] = await check.run(ctx);
    expect(out?.status).toBe('skip');
    expect(out?.observed).toMatch(/started while it ran \(it would have said fail\)/);
  });

  it('leaves other checks alone', () => {
    const other: Check = { id: 'sse', title: 's', run: async () => [] };
    expect(guardQuiet(other, new TargetActivity(), 'k')).toBe(other);
  });

  it('guards a quiet check wherever the plan puts it, inside a stage too', async () => {
    const activity = new TargetActivity();
    activity.begin('rag-a');
    activity.begin('rag-a');
    const other: Check = { id: 'sse', title: 's', run: async () => [] };
    const [first, stage] = guardQuietChecks([other, [other, gaugeCheck('fail')]], activity, 'rag-a');
    expect(first).toBe(other);
    const [, guarded] = stage as readonly Check[];
    expect((await guarded!.run(ctx))[0]?.status).toBe('skip');
  });
});

describe('per-probe audit logs rotate', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('keeps at most maxFiles of its own files, oldest removed first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'za-logdir-'));
    dirs.push(dir);
    const logs = new LogDir({ dir, maxFiles: 3, maxBytes: 1 << 30, redactor: new Redactor(), warn: () => undefined });
    const names: string[] = [];
    for (let i = 0; i < 7; i++) {
      const log = logs.open('prod', 'stream');
      log.write('run', { i });
      log.close();
      names.push(log.path!.split('/').pop()!);
      logs.prune();
    }
    expect(readdirSync(dir).sort()).toEqual(names.slice(-3).sort());
  });

  it('keeps the total under maxBytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'za-logdir-'));
    dirs.push(dir);
    const logs = new LogDir({ dir, maxFiles: 1000, maxBytes: 2500, redactor: new Redactor(), warn: () => undefined });
    for (let i = 0; i < 10; i++) {
      const log = logs.open('prod', 'audit');
      log.write('run', { pad: 'x'.repeat(900) });
      log.close();
      logs.prune();
    }
    expect(readdirSync(dir).length).toBe(2);
  });
});

describe('probe plans', () => {
  const overrides = (exporter: object) => [{ path: ['exporter'], value: exporter, source: 'test' }];

  it('target settings, then module settings, over the top-level config; skips add up', () => {
    const { config } = loadConfig(configSchema, {
      cwd: tmpdir(),
      overrides: [
        { path: ['skip'], value: ['security.headers'], source: 'test' },
        ...overrides({
          targets: {
            prod: {
              gateway: 'https://api.example.com',
              rag: 'https://rag.example.com',
              origin: 'https://app.example.com',
              skip: ['sse.heartbeat'],
              settings: { stream: { query: 'ping' } },
            },
          },
          modules: { 'headers-quick': { checks: 'headers', timeoutMs: 5000, skip: ['cors.probe.platform'], settings: { cors: { probes: false } } } },
        }),
      ],
    });
    const plans = resolveAll(config);
    expect(plans.size).toBe(6);
    const p = resolvePlan(config, 'prod', 'headers-quick');
    expect(p.config.targets.rag.url).toBe('https://rag.example.com');
    expect(p.config.origin).toBe('https://app.example.com');
    expect(p.config.stream.query).toBe('ping');
    expect(p.config.cors.probes).toBe(false);
    expect(p.config.skip).toEqual(['security.headers', 'sse.heartbeat', 'cors.probe.platform']);
    expect(p.timeoutMs).toBe(5000);
    expect(resolvePlan(config, 'prod', 'stream').timeoutMs).toBe(45_000);
  });

  it('a bad setting is a usage error naming the target, the module and the field', () => {
    const { config } = loadConfig(configSchema, {
      cwd: tmpdir(),
      overrides: overrides({ targets: { prod: { gateway: 'https://a.example', rag: 'https://b.example', settings: { stream: { timeoutMs: -1 } } } } }),
    });
    expect(() => resolveAll(config)).toThrow(/exporter target "prod" with module "audit": stream.timeoutMs/);
  });

  it('a URL-shaped target name is refused by the schema', () => {
    expect(() =>
      loadConfig(configSchema, { cwd: tmpdir(), overrides: overrides({ targets: { 'http://x': { gateway: 'https://a.example', rag: 'https://b.example' } } }) }),
    ).toThrow(/exporter.targets/);
  });
});
