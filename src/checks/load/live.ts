/**
 * `load --metrics-listen`: the run's live figures for Prometheus, so N workers on N machines add
 * up with `sum` and `histogram_quantile` (README, "Load beyond one machine"). Counters only grow
 * and the histograms use the fixed buckets of src/prometheus/buckets.ts. After the run the figures
 * stay up until one scrape has read them (at most load.metricsLingerMs), so the last streams count.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { splitListen } from '../../config/listen.js';
import { UsageError } from '../../core/errors.js';
import { BucketHistogram } from '../../prometheus/bucket-histogram.js';
import { LATENCY_BUCKETS_S } from '../../prometheus/buckets.js';
import { CONTENT_TYPE, ExpositionWriter } from '../../prometheus/writer.js';
import type { LoadWatcher } from './engine.js';
import type { LoadTally } from './tally.js';
import type { LoadPlan } from './types.js';

export function renderLoadMetrics(tally: LoadTally | undefined, plan: LoadPlan | undefined, running: boolean): string {
  const w = new ExpositionWriter();
  const counter = (name: string, help: string, value: number) => w.family(name, 'counter', help).sample(name, {}, value);
  w.gauge('zantara_load_running', '1 while the load runs, 0 once it has ended.', running ? 1 : 0);
  w.gauge('zantara_load_connections', 'Streams this worker holds open at once (--connections).', plan?.connections ?? 0);
  counter('zantara_load_streams_started_total', 'Stream requests sent.', tally?.started ?? 0);
  counter('zantara_load_streams_opened_total', 'Streams that got a 200 response head.', tally?.opened ?? 0);
  w.family('zantara_load_streams_ended_total', 'counter', 'Streams ended, by outcome: done (success), aborted (interrupted, not judged), or the failure cause.');
  w.sample('zantara_load_streams_ended_total', { outcome: 'done' }, tally?.completed ?? 0);
  w.sample('zantara_load_streams_ended_total', { outcome: 'aborted' }, tally?.aborted ?? 0);
  for (const [outcome, n] of Object.entries(tally?.failuresByCause() ?? {})) w.sample('zantara_load_streams_ended_total', { outcome }, n);
  w.gauge('zantara_load_streams_open', 'Streams open now.', tally?.open ?? 0);
  counter('zantara_load_events_received_total', 'Events dispatched on all streams.', tally?.events ?? 0);
  counter('zantara_load_bytes_received_total', 'Body bytes received on all streams.', tally?.bytes ?? 0);
  w.family('zantara_load_first_event_seconds', 'histogram', 'Request to first event, per stream.');
  (tally?.firstEventBuckets ?? new BucketHistogram(LATENCY_BUCKETS_S)).write(w, 'zantara_load_first_event_seconds');
  w.family('zantara_load_done_seconds', 'histogram', 'Request to done, per stream that ended with done.');
  (tally?.doneBuckets ?? new BucketHistogram(LATENCY_BUCKETS_S)).write(w, 'zantara_load_done_seconds');
  const loop = tally?.loopDelayMs() ?? { p99: 0, max: 0 };
  w.family('zantara_load_client_loop_delay_seconds', 'gauge', "This worker's own event-loop delay so far (p99, max): high values make its latencies too high.");
  w.sample('zantara_load_client_loop_delay_seconds', { quantile: '0.99' }, loop.p99 / 1000);
  w.sample('zantara_load_client_loop_delay_seconds', { quantile: '1' }, loop.max / 1000);
  return w.text();
}

export class LiveLoadMetrics implements LoadWatcher {
  private tally: LoadTally | undefined;
  private plan: LoadPlan | undefined;
  private running = true;
  private onScrape: (() => void) | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Listen before anything is sent, so a busy port is a usage error (exit 2), not a failed run. */
  static async start(listen: string): Promise<LiveLoadMetrics> {
    const { host, port } = splitListen(listen);
    let live: LiveLoadMetrics | undefined;
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://x').pathname !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics\n');
        return;
      }
      res.writeHead(200, { 'content-type': CONTENT_TYPE }).end(renderLoadMetrics(live?.tally, live?.plan, live?.running ?? true));
      live?.scraped();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new UsageError(`--metrics-listen ${listen}: cannot listen (${err.code ?? err.message})`, 'pick a free port, or port 0 for any free one')),
      );
      server.listen(port, host, () => resolve());
    });
    // The run decides when the process ends, never this server.
    server.unref();
    const addr = server.address() as AddressInfo;
    live = new LiveLoadMetrics(server, `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}/metrics`);
    return live;
  }

  attach(tally: LoadTally, plan: LoadPlan): void {
    this.tally = tally;
    this.plan = plan;
  }

  private scraped(): void {
    this.onScrape?.();
  }

  /** The run ended: serve the final figures until one scrape has read them, at most `lingerMs`, then close. */
  async finish(lingerMs: number): Promise<{ finalScraped: boolean }> {
    this.running = false;
    const finalScraped = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), lingerMs);
      this.onScrape = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
    this.onScrape = undefined;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return { finalScraped };
  }
}
