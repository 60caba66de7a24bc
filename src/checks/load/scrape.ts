/**
 * Scrapes the RAG's /metrics while the load runs: the active-streams gauge (the server's count of
 * open answers) and prom-client's event-loop delay histogram. prom-client resets that histogram
 * at every scrape, so each scrape reports the window since the previous one; the first scrape
 * only opens the window.
 */
import type { CheckContext } from '../../core/runner.js';
import { parseExposition, sampleValue, type Exposition } from '../metrics/prometheus.js';
import type { ScrapeRecord, ScrapeWindow } from './types.js';

const LAG = {
  p99: 'nodejs_eventloop_lag_p99_seconds',
  max: 'nodejs_eventloop_lag_max_seconds',
  min: 'nodejs_eventloop_lag_min_seconds',
  mean: 'nodejs_eventloop_lag_mean_seconds',
} as const;
/** A scrape must not wait for the whole run; a slow /metrics under load is itself a finding's evidence. */
const SCRAPE_TIMEOUT_MS = 5000;

export class MetricsScraper {
  private readonly windows: ScrapeWindow[] = [];
  private readonly missing = new Set<string>();
  private unavailable: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private t0 = 0;

  constructor(
    private readonly ctx: CheckContext,
    private readonly url: string | null,
    private readonly gauge: string,
  ) {
    if (url === null) this.unavailable = 'no metrics path configured for the RAG (targets.rag.metricsPath: null)';
  }

  /** The first scrape: the gauge before the load, and the start of the first lag window. Also warms up undici's HTTP parser. */
  async begin(): Promise<void> {
    this.t0 = performance.now();
    if (this.unavailable === undefined) await this.scrape(true);
  }

  start(intervalMs: number): void {
    if (this.unavailable !== undefined) return;
    this.timer = setInterval(() => {
      // Never two at once: a slow /metrics must not pile up requests on the target.
      if (!this.inFlight) this.inFlight = this.scrape(false).finally(() => (this.inFlight = undefined));
    }, intervalMs);
  }

  /** Stop, take the last window (the tail of the load), and hand back what was seen. */
  async finish(): Promise<ScrapeRecord> {
    clearInterval(this.timer);
    await this.inFlight;
    if (this.unavailable === undefined && !this.ctx.signal.aborted) await this.scrape(false);
    return { url: this.url, ...(this.unavailable ? { unavailable: this.unavailable } : {}), missing: [...this.missing], windows: this.windows };
  }

  /** The largest gauge value seen so far (for the progress line). */
  peakActive(): number | undefined {
    let peak: number | undefined;
    for (const w of this.windows) if (w.activeStreams !== undefined && (peak === undefined || w.activeStreams > peak)) peak = w.activeStreams;
    return peak;
  }

  private async scrape(first: boolean): Promise<void> {
    const ex = await this.ctx.http.send({
      purpose: 'load.metrics',
      target: 'rag',
      method: 'GET',
      url: this.url as string,
      headers: { ...this.ctx.config.headers },
      timeoutMs: Math.min(this.ctx.config.timeoutMs, SCRAPE_TIMEOUT_MS),
      maxBytes: this.ctx.config.maxBodyBytes,
      signal: this.ctx.signal,
    });
    const atMs = Math.round(performance.now() - this.t0);
    const res = ex.response;
    const error = !res ? (ex.error?.message ?? 'no response') : res.status !== 200 ? `${this.url} answered ${res.status}` : undefined;
    if (first && error) {
      this.unavailable = error;
      this.ctx.record('observation', ex);
      return;
    }
    if (error || !res) return void this.windows.push({ atMs, error });
    const window = readWindow(parseExposition(res.body), this.gauge, this.missing);
    // The first scrape's lag covers whatever ran before the load: it only opens the window.
    if (first) this.windows.push({ atMs, baseline: true, ...(window.activeStreams !== undefined && { activeStreams: window.activeStreams }) });
    else this.windows.push({ atMs, ...window });
  }
}

/** One scrape's numbers: the gauge (all series summed) and the lag window above its sampling floor. */
export function readWindow(exp: Exposition, gauge: string, missing: Set<string>): Omit<ScrapeWindow, 'atMs'> {
  let active: number | undefined;
  for (const family of exp.families.values()) for (const s of family.samples) if (s.name === gauge) active = (active ?? 0) + s.value;
  if (active === undefined) missing.add(gauge);
  const p99 = sampleValue(exp, LAG.p99);
  const max = sampleValue(exp, LAG.max);
  if (p99 === undefined || max === undefined) {
    missing.add(`${LAG.p99} / ${LAG.max}`);
    return active === undefined ? {} : { activeStreams: active };
  }
  const mean = sampleValue(exp, LAG.mean);
  // Reset by another scraper just before ours: no samples, nothing to say about this window.
  if (max === 0 || (mean !== undefined && Number.isNaN(mean))) return { ...(active !== undefined && { activeStreams: active }), emptyWindow: true };
  // monitorEventLoopDelay samples whole timer intervals, so every sample includes the sampling
  // resolution (a whole number of ms, no larger than the smallest sample): lag is what lies above.
  const min = sampleValue(exp, LAG.min);
  const floor = min !== undefined && Number.isFinite(min) && min >= 0 && min <= p99 ? Math.floor(min * 1000) : 0;
  const ms = (s: number) => Math.max(0, Math.round((s * 1000 - floor) * 100) / 100);
  return { ...(active !== undefined && { activeStreams: active }), lagP99Ms: ms(p99), lagMaxMs: ms(max), floorMs: floor };
}
