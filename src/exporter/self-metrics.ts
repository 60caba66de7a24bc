/**
 * `/metrics`: the exporter's own figures (`zantara_exporter_*`: probes by module and result,
 * their durations on the fixed latency buckets, probes in flight, refused requests) plus the
 * process metrics prom-client collects (CPU, RSS, heap, event-loop lag, open fds).
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import { BucketHistogram } from '../prometheus/bucket-histogram.js';
import { LATENCY_BUCKETS_S } from '../prometheus/buckets.js';
import { ExpositionWriter } from '../prometheus/writer.js';

/** Probe durations reach the module deadlines (60 s and more): the latency buckets go to 2 min. */
const DURATION_BUCKETS = LATENCY_BUCKETS_S;

export type RefusalReason = 'bad_request' | 'busy' | 'not_found';

export class ExporterMetrics {
  inFlight = 0;
  private readonly probes = new Map<string, number>();
  private readonly durations = new Map<string, BucketHistogram>();
  private readonly refused = new Map<RefusalReason, number>();
  private readonly process = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.process });
  }

  probed(module: string, success: boolean, seconds: number): void {
    const key = `${module}\u0000${success ? 'success' : 'failure'}`;
    this.probes.set(key, (this.probes.get(key) ?? 0) + 1);
    let h = this.durations.get(module);
    if (!h) this.durations.set(module, (h = new BucketHistogram(DURATION_BUCKETS)));
    h.observe(seconds);
  }

  refusedRequest(reason: RefusalReason): void {
    this.refused.set(reason, (this.refused.get(reason) ?? 0) + 1);
  }

  async text(): Promise<string> {
    const w = new ExpositionWriter();
    w.family('zantara_exporter_probes_total', 'counter', 'Probes run, by module and result (success: no check failed).');
    for (const [key, n] of this.probes) {
      const [module = '', result = ''] = key.split('\u0000');
      w.sample('zantara_exporter_probes_total', { module, result }, n);
    }
    w.family('zantara_exporter_probe_duration_seconds', 'histogram', 'Probe durations by module.');
    for (const [module, h] of this.durations) h.write(w, 'zantara_exporter_probe_duration_seconds', { module });
    w.gauge('zantara_exporter_probes_in_flight', 'Probes running now.', this.inFlight);
    w.family(
      'zantara_exporter_requests_refused_total',
      'counter',
      'Requests refused: bad_request (400: unknown target, module or parameter), busy (503: exporter.maxConcurrent probes in flight), not_found (404).',
    );
    for (const reason of ['bad_request', 'busy', 'not_found'] as const) w.sample('zantara_exporter_requests_refused_total', { reason }, this.refused.get(reason) ?? 0);
    return w.text() + (await this.process.metrics());
  }
}
