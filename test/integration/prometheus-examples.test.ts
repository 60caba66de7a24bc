/**
 * The shipped Prometheus and Grafana examples: promtool validates the scrape config and the rules
 * and runs the rules' unit tests, and every zantara_* metric they use is one the code writes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderLoadMetrics } from '../../src/checks/load/live.js';
import { finding } from '../../src/core/finding.js';
import { renderProbe } from '../../src/exporter/render.js';
import { ExporterMetrics } from '../../src/exporter/self-metrics.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const PROMTOOL = '/usr/bin/promtool';
const promtool = (...args: string[]) => spawnSync(PROMTOOL, args, { cwd: `${EXAMPLES}prometheus`, encoding: 'utf8', timeout: 30_000 });

describe.skipIf(!existsSync(PROMTOOL))('examples/prometheus with promtool', () => {
  it('promtool check config accepts prometheus.yml (and the rules it loads)', () => {
    const r = promtool('check', 'config', 'prometheus.yml');
    expect(r.stdout + r.stderr).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });

  it('promtool check rules accepts alerts.yml', () => {
    const r = promtool('check', 'rules', 'alerts.yml');
    expect(r.stdout + r.stderr).toMatch(/SUCCESS: 6 rules found/);
    expect(r.status).toBe(0);
  });

  it('promtool test rules: each alert fires on its broken series and not on the others', () => {
    const r = promtool('test', 'rules', 'alerts.test.yml');
    expect(r.stdout + r.stderr).toMatch(/SUCCESS/);
    expect(r.status).toBe(0);
  });
});

describe('the examples use only metrics the code writes', () => {
  it('every zantara_* name in alerts.yml and the Grafana dashboard exists', async () => {
    const written = new Set<string>();
    const stream = [
      finding({ id: 'sse.first-event', target: 'rag', status: 'pass', title: 't', expected: 'e', observed: 'o', evidence: { firstEventMs: 1 } }),
      finding({ id: 'sse.done', target: 'rag', status: 'pass', title: 't', expected: 'e', observed: 'o', evidence: { doneAtMs: 2 } }),
      finding({ id: 'sse.protocol', target: 'rag', status: 'pass', title: 't', expected: 'e', observed: 'o', evidence: { counts: { done: 1 } } }),
    ];
    const texts = [
      renderProbe({ target: 't', module: 'm', startedAt: '', deadlineMs: 1, durationMs: 1, findings: stream, success: true }),
      renderLoadMetrics(undefined, undefined, true),
      await new ExporterMetrics().text(),
    ];
    for (const t of texts) for (const m of t.matchAll(/^# TYPE (zantara_\w+)/gm)) written.add(m[1] as string);
    const used = `${readFileSync(`${EXAMPLES}prometheus/alerts.yml`, 'utf8')}\n${readFileSync(`${EXAMPLES}grafana/zantara-audit.json`, 'utf8')}`;
    const names = new Set([...used.matchAll(/\bzantara_[a-z_]+\b/g)].map((m) => m[0].replace(/_(bucket|count|sum)$/, '')));
    expect(names.size).toBeGreaterThan(10);
    expect([...names].filter((n) => !written.has(n))).toEqual([]);
  });
});
