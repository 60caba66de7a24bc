/**
 * The header rules' verdict per hostile origin, per call, as readable or not: what `browser`
 * puts beside Chromium's own verdict (`browser.agreement`). The same requests as the probes
 * (plan.ts), plus the answer stream's head from that origin as the app's transport opens it:
 * EventSource's GET, or the app's fetch() (its preflight first when it needs one, then the
 * request's head), judged with the Fetch standard's checks.
 */
import type { CheckContext } from '../runner.js';
import type { Exchange } from '../../http/client.js';
import { corsCheck } from '../../fetch/cors-check.js';
import { preflightCheck } from '../../fetch/preflight.js';
import { preflightNeeded } from '../../fetch/request.js';
import type { Probe } from './hostile-origins/origins.js';
import { type PlannedRequest, appCalls, fetchStreamProbePlan, plannedProbes, preflightPlan } from './plan.js';
import { mapLimit, PROBE_CONCURRENCY, send, sendProbes } from './probe.js';
import type { BrowserRequest } from '../../fetch/request.js';

export interface Readability {
  /** null: no answer to judge. */
  readable: boolean | null;
  reason: string;
}

export interface ProbeReadability {
  kind: string;
  origin: string;
  credentialed: Readability;
  anonymous: Readability;
  /** The answer stream as the app opens it (EventSource, or its fetch()). */
  stream: Readability;
}

function judged(ex: Exchange, req: BrowserRequest): Readability {
  if (!ex.response) return { readable: null, reason: ex.error?.message ?? 'no response' };
  const v = corsCheck(req, ex.response.status, ex.response.rawHeaders);
  return { readable: v.allowed, reason: `${ex.response.status}: ${v.reason}` };
}

/** `new EventSource(stream)` from the probe origin: no credentials, no preflight; read to the head only. */
function eventSourcePlan(probe: Probe, stream: PlannedRequest): PlannedRequest {
  const browser: BrowserRequest = { origin: probe.origin, method: 'GET', url: stream.url, headers: {}, credentials: 'same-origin' };
  return {
    purpose: `cors.probe.${probe.kind}.eventsource`,
    target: stream.target,
    method: 'GET',
    url: stream.url,
    headers: { Accept: 'text/event-stream', 'Cache-Control': 'no-cache', Origin: probe.origin },
    browser,
  };
}

/** The stream's head from the probe origin; a fetch() that needs a preflight is readable only when its preflight passes too (`#cors-preflight-fetch-0`). */
async function streamReadability(ctx: CheckContext, probe: Probe, stream: PlannedRequest): Promise<Readability> {
  if (ctx.config.stream.transport !== 'fetch') {
    const plan = eventSourcePlan(probe, stream);
    return judged(await send(ctx, plan, { headOnly: true }), plan.browser);
  }
  const plan = fetchStreamProbePlan(ctx.config, probe);
  if (preflightNeeded(plan.browser).needed) {
    const pre = await send(ctx, { ...preflightPlan(plan), purpose: `${plan.purpose}.preflight` });
    if (!pre.response) return { readable: null, reason: `preflight: ${pre.error?.message ?? 'no response'}` };
    const v = preflightCheck(plan.browser, pre.response.status, pre.response.rawHeaders);
    if (!v.allowed) return { readable: false, reason: `preflight ${pre.response.status}: ${v.reason}` };
  }
  return judged(await send(ctx, plan, { headOnly: true }), plan.browser);
}

/** The rules' verdicts for the planned probes of these kinds (the others are not planned, so not judged). */
export async function probeReadability(ctx: CheckContext, wanted: ReadonlyArray<{ kind: string }>): Promise<ProbeReadability[]> {
  const kinds = new Set(wanted.map((w) => w.kind));
  const probes = plannedProbes(ctx.config).filter((p) => kinds.has(p.kind));
  const calls = appCalls(ctx.config);
  const [pairs, streams] = await Promise.all([sendProbes(ctx, probes, calls.health), mapLimit(probes, PROBE_CONCURRENCY, (p) => streamReadability(ctx, p, calls.stream))]);
  return pairs.map(({ probe, anon, credentialed }, i) => {
    const get = (mode: 'include' | 'omit'): BrowserRequest => ({ origin: probe.origin, method: 'GET', url: calls.health.url, headers: {}, credentials: mode });
    return {
      kind: probe.kind,
      origin: probe.origin,
      credentialed: judged(credentialed, get('include')),
      anonymous: judged(anon, get('omit')),
      stream: streams[i] as Readability,
    };
  });
}
