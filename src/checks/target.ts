import type { CheckContext } from './runner.js';
import type { Exchange, RequestSpec } from '../http/client.js';
import type { Config } from './config.js';
import type { TargetName } from '../core/finding.js';

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
