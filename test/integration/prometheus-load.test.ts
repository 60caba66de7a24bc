/**
 * Load beyond one machine: two `load --metrics-listen` workers against one reference server,
 * scraped every second by a real Prometheus. What Prometheus aggregates must equal what the two
 * JSON reports say: the counts exactly, the p99 within one of the fixed buckets.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS_S } from '../../src/prometheus/buckets.js';
import { BIN, runJson, type JsonReport } from '../helpers/cli.js';
import { closedPort } from '../helpers/exporter.js';
import { PROMETHEUS, startPrometheus } from '../helpers/prometheus.js';

type Evidence = Record<string, unknown>;
const evidence = (r: JsonReport, id: string) => ((r.findings.find((f) => f.id === id) as unknown as { evidence?: Evidence })?.evidence ?? {}) as Evidence;

/** p99 (ms) of the two reports' HDR histograms merged bucket by bucket ([lowMs, highMs, count]). */
function mergedP99(reports: JsonReport[]): number {
  const merged = new Map<string, [number, number, number]>();
  for (const r of reports) {
    const done = evidence(r, 'load.first-event-p99').done as { buckets: Array<[number, number, number]> };
    for (const [lo, hi, n] of done.buckets) {
      const b = merged.get(`${lo}`) ?? [lo, hi, 0];
      b[2] += n;
      merged.set(`${lo}`, b);
    }
  }
  const sorted = [...merged.values()].sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((n, b) => n + b[2], 0);
  const rank = Math.ceil(0.99 * total);
  let seen = 0;
  for (const [, hi, n] of sorted) if ((seen += n) >= rank) return hi;
  return NaN;
}

/** Index of the fixed bucket (le) holding `seconds`. */
const bucketOf = (seconds: number) => LATENCY_BUCKETS_S.findIndex((le) => seconds <= le);

/** About 1 s an answer (64 events x ~15 ms): each slot ends a few streams within the 3 s run, with spread for the p99. */
const ANSWER_IN_ABOUT_1S = ['--ttft', '100', '--token-interval', '15', '--jitter', '5'];

function startReference(): Promise<{ gateway: string; rag: string; stop: () => void }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--ready-json', '--exit-on-stdin-close', ...ANSWER_IN_ABOUT_1S], { stdio: ['pipe', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (line) => {
      const ready = JSON.parse(line) as { gateway: string; rag: string };
      resolve({ ...ready, stop: () => child.stdin.end() });
    });
    child.once('exit', (code) => reject(new Error(`reference exited ${code}`)));
  });
}

describe.skipIf(!existsSync(PROMETHEUS))('two load workers aggregated by Prometheus', () => {
  it('the fleet count equals the sum of the JSON reports; the fleet p99 is within one bucket of the merged p99', async () => {
    const ref = await startReference();
    const ports = [await closedPort(), await closedPort()];
    const prom = await startPrometheus(
      `global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: zantara-load\n    static_configs:\n      - targets: ['127.0.0.1:${ports[0]}', '127.0.0.1:${ports[1]}']\n`,
    );
    try {
      const worker = (port: number) =>
        runJson(
          ['load', '--gateway', ref.gateway, '--rag', ref.rag, '--connections', '40', '--ramp', '500', '--duration', '3', '--metrics-listen', `127.0.0.1:${port}`, '--no-log'],
          { timeoutMs: 60_000 },
        );
      const results = await Promise.all(ports.map(worker));
      const reports = results.map((r) => r.report);
      for (const r of results) expect(r.result.stderr).toMatch(/load metrics for Prometheus at http:\/\/127\.0\.0\.1:\d+\/metrics/);
      const sum = (field: string) => reports.reduce((n, r) => n + (evidence(r, 'load.success-rate')[field] as number), 0);
      const value = async (expr: string) => Number((await prom.query(expr))[0]?.value[1]);
      // Counters only grow: the last value of each worker is its max over the run.
      const completed = await value('sum(max_over_time(zantara_load_streams_ended_total{outcome="done"}[5m]))');
      const started = await value('sum(max_over_time(zantara_load_streams_started_total[5m]))');
      const doneCount = await value('sum(max_over_time(zantara_load_done_seconds_count[5m]))');
      const fleetP99 = await value('histogram_quantile(0.99, sum by (le) (max_over_time(zantara_load_done_seconds_bucket[5m])))');
      const merged = mergedP99(reports) / 1000;
      console.log(
        `aggregation: completed ${completed} (JSON ${sum('completed')}), started ${started} (JSON ${sum('started')}), done count ${doneCount}; p99 to done: Prometheus ${fleetP99.toFixed(4)} s (bucket ${bucketOf(fleetP99)}), merged JSON ${merged.toFixed(4)} s (bucket ${bucketOf(merged)})`,
      );
      expect(sum('completed')).toBeGreaterThan(80);
      expect(completed).toBe(sum('completed'));
      expect(started).toBe(sum('started'));
      expect(doneCount).toBe(sum('completed'));
      expect(Math.abs(bucketOf(fleetP99) - bucketOf(merged))).toBeLessThanOrEqual(1);
    } finally {
      await prom.stop();
      ref.stop();
    }
  });
});
