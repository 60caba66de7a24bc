/**
 * The header rules' verdict per hostile origin, per call, as readable or not: what `browser`
 * puts beside Chromium's own verdict (`browser.agreement`). The same requests as the probes
 * (plan.ts), plus the answer stream's head from that origin, judged with the CORS check.
 */
import type { CheckContext } from '../runner.js';
import type { Exchange } from '../../http/client.js';
import { corsCheck } from '../../fetch/cors-check.js';
import type { Probe } from './hostile-origins/origins.js';
import { type PlannedRequest, appCalls, plannedProbes } from './plan.js';
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
  eventsource: Readability;
}

function judged(ex: Exchange, req: BrowserRequest): Readability {
  if (!ex.response) return { readable: null, reason: ex.error?.message ?? 'no response' };
  const v = corsCheck(req, ex.response.status, ex.response.rawHeaders);
  return { readable: v.allowed, reason: `${ex.response.status}: ${v.reason}` };
}

/** `new EventSource(stream)` from the probe origin: no credentials, no preflight; read to the head only. */
function streamPlan(probe: Probe, stream: PlannedRequest): PlannedRequest {
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

/** The rules' verdicts for the planned probes of these kinds (the others are not planned, so not judged). */
export async function probeReadability(ctx: CheckContext, wanted: ReadonlyArray<{ kind: string }>): Promise<ProbeReadability[]> {
  const kinds = new Set(wanted.map((w) => w.kind));
  const probes = plannedProbes(ctx.config).filter((p) => kinds.has(p.kind));
  const calls = appCalls(ctx.config);
  const [pairs, heads] = await Promise.all([
    sendProbes(ctx, probes, calls.health),
    mapLimit(probes, PROBE_CONCURRENCY, (p) => send(ctx, streamPlan(p, calls.stream), { headOnly: true })),
  ]);
  return pairs.map(({ probe, anon, credentialed }, i) => {
    const get = (mode: 'include' | 'omit'): BrowserRequest => ({ origin: probe.origin, method: 'GET', url: calls.health.url, headers: {}, credentials: mode });
    return {
      kind: probe.kind,
      origin: probe.origin,
      credentialed: judged(credentialed, get('include')),
      anonymous: judged(anon, get('omit')),
      eventsource: judged(heads[i] as Exchange, streamPlan(probe, calls.stream).browser),
    };
  });
}
