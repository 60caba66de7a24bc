/**
 * The CORS probes' I/O: send what plan.ts describes, record every observation, decide nothing.
 * Each request has the run's deadline per request and byte cap (config timeoutMs / maxBodyBytes).
 */
import type { CheckContext } from '../runner.js';
import type { Exchange } from '../../http/client.js';
import { mapLimit } from '../../core/map-limit.js';
import { observe } from '../target.js';
import type { Probe } from './hostile-origins/origins.js';
import { type PlannedRequest, probePlans } from './plan.js';

/** Probes in flight at once: quick on a healthy target, gentle on a production one. */
export const PROBE_CONCURRENCY = 8;

export interface SendOptions {
  /** Stop at the response head: an event stream's headers are all CORS needs, and its body may take seconds. */
  headOnly?: boolean;
}

export { mapLimit };

export async function send(ctx: CheckContext, plan: PlannedRequest, options: SendOptions = {}): Promise<Exchange> {
  const stopAtHead = options.headOnly ? new AbortController() : undefined;
  return observe(ctx, {
    purpose: plan.purpose,
    target: plan.target,
    method: plan.method,
    url: plan.url,
    headers: plan.headers,
    body: plan.body,
    timeoutMs: ctx.config.timeoutMs,
    maxBytes: ctx.config.maxBodyBytes,
    signal: stopAtHead ? AbortSignal.any([ctx.signal, stopAtHead.signal]) : ctx.signal,
    onHead: stopAtHead ? () => stopAtHead.abort() : undefined,
  });
}

export interface ProbeExchange {
  probe: Probe;
  anon: Exchange;
  credentialed: Exchange;
}

/** Each probe origin without and with dummy credentials, PROBE_CONCURRENCY requests at a time. */
export async function sendProbes(ctx: CheckContext, probes: readonly Probe[], endpoint: PlannedRequest): Promise<ProbeExchange[]> {
  const plans = probes.flatMap((probe) => probePlans(probe, endpoint).map((plan) => ({ probe, plan })));
  const sent = await mapLimit(plans, PROBE_CONCURRENCY, ({ plan }) => send(ctx, plan));
  return probes.map((probe, i) => ({ probe, anon: sent[2 * i] as Exchange, credentialed: sent[2 * i + 1] as Exchange }));
}
