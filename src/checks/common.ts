import type { CheckContext } from '../core/runner.js';
import type { Exchange, RequestSpec } from '../http/client.js';
import type { Config } from '../config/schema.js';
import { finding, type Finding, type TargetName } from '../core/finding.js';
import type { HttpObservation } from '../http/types.js';

/**
 * `<target base URL><path>`; a base URL may carry a path prefix and a query of its own (e.g. a
 * `?token=`), which stays the query instead of swallowing the path.
 */
export function targetUrl(config: Config, target: TargetName, path: string): string {
  const base = new URL(config.targets[target].url);
  const extra = new URL(path, 'http://path.invalid');
  base.pathname = base.pathname.replace(/\/+$/, '') + extra.pathname;
  if (extra.search) base.search = base.search ? `${base.search}&${extra.search.slice(1)}` : extra.search;
  return base.toString();
}

/** The request line for evidence: `GET https://host/health`. */
export function requestLine(obs: HttpObservation): string {
  return `${obs.request.method} ${obs.request.url}`;
}

/**
 * The finding for an exchange that produced no usable response: a failure naming the transport
 * error (exit 3 when nothing answered at all), never a pass; `skip` when we aborted it ourselves.
 */
export function transportFailure(id: string, title: string, obs: HttpObservation): Finding {
  if (obs.error?.code === 'aborted') {
    return skipped(id, obs.target, title, `not judged: ${obs.error.message} before an answer (the run was interrupted or hit its deadline)`);
  }
  return finding({
    id,
    target: obs.target,
    status: 'fail',
    title: `${title}: ${obs.error?.code === 'timeout' ? 'no answer in time' : 'request failed'}`,
    expected: 'an HTTP response',
    observed: `${obs.target}: ${obs.error?.message ?? 'no response'}`,
    remedy: obs.unreachable ? 'check that the URL is right and the service is up and reachable from here' : undefined,
    evidence: { request: requestLine(obs) },
    unreachable: obs.unreachable,
    attempts: obs.attempts,
  });
}

/** A check that depends on an earlier one which could not observe: skip, with the reason. */
export function skipped(id: string, target: TargetName, title: string, reason: string): Finding {
  return finding({ id, target, status: 'skip', title, expected: 'an observation to judge', observed: reason });
}

/** A GET to a target as the web app's page would send it: Origin plus the configured headers. */
export function appGet(ctx: CheckContext, target: TargetName, purpose: string, path: string): RequestSpec {
  return {
    purpose,
    target,
    method: 'GET',
    url: targetUrl(ctx.config, target, path),
    headers: { origin: ctx.config.origin, ...ctx.config.headers },
    timeoutMs: ctx.config.timeoutMs,
    maxBytes: ctx.config.maxBodyBytes,
    signal: ctx.signal,
  };
}

/** Send, record the observation in the audit log, return it. */
export async function observe(ctx: CheckContext, spec: RequestSpec): Promise<Exchange> {
  const obs = await ctx.http.send(spec);
  ctx.record('observation', obs);
  return obs;
}

/** `<rag><stream.path>?<queryParam>=<query>`; the path may carry a query of its own. */
export function streamUrl(config: Config, query: string): string {
  const { path, queryParam } = config.stream;
  const url = new URL(targetUrl(config, 'rag', path));
  url.searchParams.set(queryParam, query);
  return url.toString();
}
