/**
 * Scrapes the RAG's /metrics while the load runs: the active-streams gauge (the server's count of
 * open answers) and prom-client's event-loop delay histogram. prom-client resets that histogram
 * at every scrape, so each scrape reports the window since the previous one; the first scrape
 * only opens the window.
 */
import type { CheckContext } from '../runner.js';
import { type Exposition, parseExposition, sumSeries } from '../../prometheus/exposition.js';
import { readLag } from '../../prometheus/lag.js';
import { LAG } from '../../prometheus/names.js';
import type { ScrapeRecord, ScrapeWindow } from './types.js';

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
  const active = sumSeries(exp, gauge);
  if (active === undefined) missing.add(gauge);
  const activePart = active !== undefined ? { activeStreams: active } : {};
  const lag = readLag(exp, { requireMax: true });
  if (lag.kind === 'absent') {
    missing.add(`${LAG.p99} / ${LAG.max}`);
    return activePart;
  }
  if (lag.kind === 'empty') return { ...activePart, emptyWindow: true };
  const floor = Math.round(lag.floorS * 1000);
  const ms = (s: number) => Math.max(0, Math.round((s * 1000 - floor) * 100) / 100);
  return { ...activePart, lagP99Ms: ms(lag.seconds), lagMaxMs: ms(lag.maxS as number), floorMs: floor };
}
