/**
 * The exporter as Prometheus uses it: a real `prometheus` scrapes `exporter --local` every second
 * through the relabelling of examples/prometheus/prometheus.yml, and we read the result back
 * through Prometheus's HTTP API.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAST } from '../helpers/cli.js';
import { startExporterProcess } from '../helpers/exporter.js';
import { eventually, PROMETHEUS, startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';

/** A module that fits a 1 s scrape timeout: the stream check alone (the replay, empty query and disconnect probe take seconds). */
// The reference answers at a fast pace here (FAST): at the default model pace one answer alone outlasts a 1 s scrape.
const CONFIG = { exporter: { timeoutMarginMs: 100, modules: { 'stream-fast': { checks: 'stream', skip: ['sse.disconnect', 'sse.empty-query', 'sse.reconnect-after-done'] } } } };

function scrapeConfig(exporterAddress: string): string {
  return `global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: zantara-audit-stream
    metrics_path: /probe
    params:
      module: [stream-fast]
    static_configs:
      - targets: [local]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - source_labels: [__param_module]
        target_label: module
      - target_label: __address__
        replacement: ${exporterAddress}
`;
}

/** exporter --local (with faults) and a Prometheus scraping it; both stopped by pid afterwards. */
async function withStack(faults: string[], fn: (prom: RunningPrometheus) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'za-prom-exporter-'));
  writeFileSync(join(dir, 'c.json'), JSON.stringify(CONFIG));
  const exp = await startExporterProcess(['--local', ...FAST, '--config', join(dir, 'c.json'), '--no-log', ...(faults.length ? ['--fault', faults.join(',')] : [])]);
  try {
    const prom = await startPrometheus(scrapeConfig(new URL(exp.url).host));
    try {
      await fn(prom);
    } finally {
      await prom.stop();
    }
  } finally {
    await exp.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!existsSync(PROMETHEUS))('Prometheus scraping exporter --local every second', () => {
  it('zantara_probe_success is 1 on the clean reference server, and the dashboard queries run', () =>
    withStack([], async (prom) => {
      const labels = await eventually(30_000, () => prom.query('zantara_probe_success == 1').then((r) => r[0]?.metric), 'zantara_probe_success 1');
      expect(labels).toMatchObject({ instance: 'local', module: 'stream-fast', job: 'zantara-audit-stream' });
      const done = await prom.query('zantara_check_status{id="sse.done",target="rag"}');
      expect(done[0]?.value[1]).toBe('0');
      // Every query of the shipped dashboard is valid PromQL for this Prometheus.
      const dash = JSON.parse(readFileSync(new URL('../../examples/grafana/zantara-audit.json', import.meta.url), 'utf8')) as {
        panels: Array<{ targets: Array<{ expr: string }> }>;
      };
      for (const expr of dash.panels.flatMap((p) => p.targets.map((t) => t.expr))) await prom.query(expr.replace(/\$instance/g, '.*'));
    }));

  it('zantara_probe_success is 0 with --fault no-done, and sse.done reads 3 (fail)', () =>
    withStack(['no-done'], async (prom) => {
      const status = await eventually(30_000, () => prom.query('zantara_check_status{id="sse.done"}').then((r) => r[0]?.value[1]), 'sse.done status');
      expect(status).toBe('3');
      const success = await prom.query('zantara_probe_success{instance="local"}');
      expect(success[0]?.value[1]).toBe('0');
    }));
});
