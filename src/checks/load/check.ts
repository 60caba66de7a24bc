/**
 * `load`: N concurrent answer streams against the RAG while its /metrics is scraped; the run is
 * recorded (summary, histograms, a few sample streams) and judged by the pure rules. Limits
 * (open files, consent for remote hosts) were checked by the command before anything was sent.
 */
import { crossSection } from '../config.js';
import { readFileSync } from 'node:fs';
import type { Check, CheckContext } from '../runner.js';
import { streamCall, wireHeaders } from '../stream-call.js';
import { targetUrl } from '../target.js';
import { loadCharts } from './charts.js';
import { runLoad, type LoadProgress } from './engine.js';
import { sourceAddresses } from './limits.js';
import type { LiveLoadMetrics } from './live.js';
import { judgeLoad } from './rules.js';
import { MetricsScraper } from './scrape.js';
import type { LoadPlan } from './types.js';

export function loadPlan(ctx: CheckContext): LoadPlan {
  const { config } = ctx;
  const load = config.load;
  // The page's stream call, as every other check sends it (EventSource's GET, or the app's
  // fetch() with its method, body, token and framing); only the question may differ (load.query).
  const call = streamCall(config, crossSection.loadQuery(config));
  const url = call.url;
  return {
    url,
    method: call.method,
    ...(call.body !== undefined && { body: call.body }),
    framing: call.format,
    connections: load.connections,
    rampMs: load.rampMs,
    durationMs: Math.round(load.durationS * 1000),
    graceMs: load.graceMs,
    timeoutMs: config.timeoutMs,
    // What the page's call sends, and nothing else (EventSource cannot add the configured headers).
    // No Accept-Encoding, so the answer arrives as the events themselves (the stream check audits compression).
    headers: wireHeaders(call, config.origin),
    done: crossSection.loadDone(config),
    localAddresses: sourceAddresses(new URL(url), load.connections),
    ...(load.rate !== undefined && { open: { rate: load.rate, arrival: load.arrival, seed: load.seed } }),
    latency: config.stream,
    ...(config.ca ? { ca: readFileSync(config.ca, 'utf8') } : {}),
  };
}

function progressLine(p: LoadProgress, gauge: number | undefined): string {
  const s = (p.elapsedMs / 1000).toFixed(1);
  return `load ${p.phase} ${s}s: ${p.open}/${p.connections} open, ${p.completed} done, ${p.failed} failed${gauge !== undefined ? `, server gauge ${gauge}` : ''}`;
}

/** The load check; with `live`, its figures are served to Prometheus while it runs (load --metrics-listen). */
export const loadCheckWith = (live?: LiveLoadMetrics): Check => ({
  id: 'load',
  title: 'concurrent answer streams',
  async run(ctx) {
    const plan = loadPlan(ctx);
    const path = ctx.config.targets.rag.metricsPath;
    const scraper = new MetricsScraper(ctx, path === null ? null : targetUrl(ctx.config, 'rag', path), crossSection.activeStreamsMetric(ctx.config));
    await scraper.begin();
    scraper.start(ctx.config.load.scrapeIntervalMs);
    const run = await runLoad(plan, ctx.signal, (p) => ctx.progress?.(progressLine(p, scraper.peakActive())), live);
    const scrape = await scraper.finish();
    const metrics = live ? { url: live.url, ...(await live.finish(ctx.signal.aborted ? 0 : ctx.config.load.metricsLingerMs)) } : undefined;
    // One record per run: the summary, both histograms, the scrape windows and a few sample streams.
    ctx.record('load', { run, scrape, ...(metrics ? { metrics } : {}) });
    ctx.attach?.(loadCharts(run, scrape));
    return judgeLoad(run, scrape, { ...ctx.config.load, slo: ctx.config.stream.slo });
  },
});
