import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../../src/prometheus/exposition.js';
import { runCli } from '../helpers/cli.js';
import { closedPort, startExporterProcess, type RunningExporterProcess } from '../helpers/exporter.js';

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

describe('exporter --local (the built CLI)', () => {
  let exp: RunningExporterProcess;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'za-exporter-'));
    // maxConcurrent 1 so that two overlapping scrapes show the 503.
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ exporter: { maxConcurrent: 1, log: { maxFiles: 3 } } }));
    exp = await startExporterProcess(['--local', '--config', join(dir, 'config.json'), '--log-dir', join(dir, 'logs')]);
  });
  afterAll(async () => {
    expect(await exp.stop()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a stream probe of the clean reference server: success 1, Prometheus text with the stream timings', async () => {
    const r = await get(`${exp.url}/probe?target=local&module=stream`);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parseExposition(r.text);
    expect(m.errors).toEqual([]);
    expect(sampleValue(m, 'zantara_probe_success')).toBe(1);
    expect(sampleValue(m, 'zantara_check_status', { id: 'sse.done', target: 'rag' })).toBe(0);
    expect(sampleValue(m, 'zantara_stream_events')).toBeGreaterThan(2);
    expect(sampleValue(m, 'zantara_stream_done_seconds')).toBeGreaterThan(sampleValue(m, 'zantara_stream_first_event_seconds') as number);
  });

  it.each([
    ['target=http://127.0.0.1:1/&module=stream', /never a URL/],
    ['target=prod&module=stream', /unknown target "prod"/],
    ['target=local&module=nope', /unknown module/],
    ['target=local&module=stream&extra=1', /unknown parameter/],
  ])('%s → 400 with one line', async (search, reason) => {
    const r = await get(`${exp.url}/probe?${search}`);
    expect(r.status).toBe(400);
    expect(r.text).toMatch(reason);
    expect(r.text.trim().split('\n')).toHaveLength(1);
  });

  it('beyond exporter.maxConcurrent a probe is refused with 503, not queued', async () => {
    const [a, b] = await Promise.all([get(`${exp.url}/probe?target=local&module=stream`), get(`${exp.url}/probe?target=local&module=stream`)]);
    expect([a.status, b.status].sort()).toEqual([200, 503]);
    expect([a, b].find((r) => r.status === 503)?.text).toMatch(/busy: 1 probes in flight \(exporter.maxConcurrent 1\)/);
  });

  it('a scrape timeout shorter than the module deadline becomes the deadline, minus the margin', async () => {
    const r = await get(`${exp.url}/probe?target=local&module=health`, { 'X-Prometheus-Scrape-Timeout-Seconds': '3' });
    expect(sampleValue(parseExposition(r.text), 'zantara_probe_deadline_seconds')).toBe(2.5);
  });

  it("/metrics has the exporter's own figures and process metrics; / links the debug view", async () => {
    const m = await get(`${exp.url}/metrics`);
    const exposition = parseExposition(m.text);
    expect(sampleValue(exposition, 'zantara_exporter_probes_total', { module: 'stream', result: 'success' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(exposition, 'zantara_exporter_requests_refused_total', { reason: 'busy' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(exposition, 'zantara_exporter_probes_in_flight')).toBe(0);
    expect(sampleValue(exposition, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    const page = await get(`${exp.url}/`);
    expect(page.text).toContain('/probe?target=local&amp;module=stream&amp;debug=true');
    expect(page.text).toMatch(/success \(0 failed/);
  });

  it('the per-probe audit logs stay within log.maxFiles', () => {
    expect(readdirSync(join(dir, 'logs')).length).toBeLessThanOrEqual(3);
  });
});

describe('overlapping probes of one target', () => {
  it('the disconnect-cleanup check says skip (overlap) instead of flapping when two stream probes overlap', async () => {
    const exp = await startExporterProcess(['--local', '--no-log']);
    try {
      const texts = await Promise.all([1, 2].map(() => get(`${exp.url}/probe?target=local&module=stream&debug=true`).then((r) => r.text)));
      // Both started together: whichever reaches the check first finds the other in flight.
      const skipped = texts.filter((t) => /skip \[sse\.disconnect\.cleanup\][\s\S]*?observed: not judged: \d+ other probe\(s\) of this target/.test(t));
      expect(skipped.length).toBeGreaterThanOrEqual(1);
      // Alone, it is judged again.
      const alone = parseExposition((await get(`${exp.url}/probe?target=local&module=stream`)).text);
      expect(sampleValue(alone, 'zantara_check_status', { id: 'sse.disconnect.cleanup', target: 'rag' })).toBe(0);
    } finally {
      await exp.stop();
    }
  });
});

describe('exporter with configured targets', () => {
  it('a target that is down: 200 with zantara_probe_success 0, the reason in debug, secrets redacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'za-exporter-'));
    const port = await closedPort();
    const cfg = {
      exporter: { targets: { down: { gateway: `http://127.0.0.1:${port}`, rag: `http://127.0.0.1:${port}`, headers: { Authorization: 'Bearer sekret-token-123' } } } },
    };
    writeFileSync(join(dir, 'c.json'), JSON.stringify(cfg));
    const exp = await startExporterProcess(['--config', join(dir, 'c.json'), '--no-log']);
    try {
      const r = await get(`${exp.url}/probe?target=down&module=health`);
      expect(r.status).toBe(200);
      expect(sampleValue(parseExposition(r.text), 'zantara_probe_success')).toBe(0);
      const d = await get(`${exp.url}/probe?target=down&module=audit&debug=true`);
      expect(d.status).toBe(200);
      expect(d.text).toMatch(/FAILED/);
      expect(d.text).toMatch(/refused/i);
      expect(d.text).not.toContain('sekret-token-123');
      expect(exp.stderr()).toContain('audit logs: off');
    } finally {
      await exp.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('no targets and no --local: exit 2 with the way out', async () => {
    const r = await runCli(['exporter', '--listen', '127.0.0.1:0'], { cwd: tmpdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no targets to probe/);
  });

  it('a bad --listen is a usage error', async () => {
    const r = await runCli(['exporter', '--local', '--listen', 'localhost'], { cwd: tmpdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exporter.listen \(from flag --listen\): expected host:port/);
  });
});
