/** Reading one gauge from the RAG's Prometheus /metrics: the server-side view of open streams. */
import type { CheckContext } from '../runner.js';
import { parseExposition, sumSeries } from '../../prometheus/exposition.js';
import { targetUrl } from '../target.js';

export interface GaugeSample {
  /** ms since the disconnect probe started. */
  atMs: number;
  /** The sum of the gauge's series; absent when the scrape failed or the gauge is not exposed. */
  value?: number;
  error?: string;
}

/** The RAG's metrics URL, or undefined when the config says it exposes none. */
export function metricsUrl(ctx: CheckContext): string | undefined {
  const path = ctx.config.targets.rag.metricsPath;
  return path === null ? undefined : targetUrl(ctx.config, 'rag', path);
}

/** One scrape; never throws. Several series (labels per handler or instance) are summed. */
export async function scrapeGauge(ctx: CheckContext, url: string, name: string, since: number): Promise<GaugeSample> {
  const ex = await ctx.http.send({
    purpose: 'sse.disconnect.metrics',
    target: 'rag',
    method: 'GET',
    url,
    headers: { ...ctx.config.headers },
    timeoutMs: ctx.config.timeoutMs,
    maxBytes: ctx.config.maxBodyBytes,
    signal: ctx.signal,
  });
  const atMs = Math.round(performance.now() - since);
  const res = ex.response;
  if (!res) return { atMs, error: ex.error?.message ?? 'no response' };
  if (res.status !== 200) return { atMs, error: `${url} answered ${res.status}` };
  if (res.truncated) return { atMs, error: `${url} is larger than maxBodyBytes (${ctx.config.maxBodyBytes})` };
  const value = sumSeries(parseExposition(res.body), name);
  return value === undefined ? { atMs, error: `no sample named ${name}` } : { atMs, value };
}
