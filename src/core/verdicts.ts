/**
 * The one way every check says "no response", "skipped" and "waived". A run that was interrupted
 * (Ctrl-C) or hit its deadline aborted the request itself: that says nothing about the target, so
 * it is a skip, never a fail — in every area alike.
 */
import { finding, type Finding, type TargetName } from './finding.js';

/** What a judge knows of an exchange that may have produced no response (HTTP or stream observation). */
export interface Unanswered {
  target: TargetName;
  request: { method: string; url: string };
  error?: { code: string; message: string };
  /** True when nothing answered at all (refused, DNS, TLS, timeout before headers): exit 3. */
  unreachable: boolean;
  attempts?: number;
}

/** The request line for evidence: `GET https://host/health`. */
export function requestLine(obs: Pick<Unanswered, 'request'>): string {
  return `${obs.request.method} ${obs.request.url}`;
}

/** A check that could not observe what it judges: skip, with the reason. */
export function skipped(id: string, target: TargetName, title: string, reason: string): Finding {
  return finding({ id, target, status: 'skip', title, expected: 'an observation to judge', observed: reason });
}

export const WAIVED = 'waived by --skip';

/** A check (or part of one) that `--skip` waived before anything was sent. */
export function waived(id: string, target: TargetName, title: string, detail = 'nothing sent'): Finding {
  return finding({ id, target, status: 'skip', title, expected: 'check runs', observed: `${WAIVED}; ${detail}` });
}

/** A finding `--skip` waives after it was judged: a skip that keeps what it was. */
export function waivedAfter(f: Finding): Finding {
  return { ...f, status: 'skip', severity: 'info', unreachable: undefined, observed: `${WAIVED} (was ${f.status}: ${f.observed})` };
}

/** Why an aborted exchange is not judged; undefined when it was not aborted by us. */
export function interruptedReason(obs: Unanswered): string | undefined {
  if (obs.error?.code !== 'aborted') return undefined;
  return `not judged: ${obs.error.message} before an answer (the run was interrupted or hit its deadline)`;
}

/**
 * The finding for an exchange that produced no usable response: a failure naming the transport
 * error (exit 3 when nothing answered at all), never a pass; a skip when we aborted it ourselves.
 */
export function noResponse(id: string, title: string, obs: Unanswered, opts: { expected?: string; remedy?: string } = {}): Finding {
  const interrupted = interruptedReason(obs);
  if (interrupted) return skipped(id, obs.target, title, interrupted);
  return finding({
    id,
    target: obs.target,
    status: 'fail',
    title: `${title}: ${obs.error?.code === 'timeout' ? 'no answer in time' : 'request failed'}`,
    expected: opts.expected ?? 'an HTTP response',
    observed: `${obs.target}: ${obs.error?.message ?? 'no response'}`,
    remedy: opts.remedy ?? (obs.unreachable ? 'check that the URL is right and the service is up and reachable from here' : undefined),
    evidence: { request: requestLine(obs) },
    unreachable: obs.unreachable,
    attempts: obs.attempts,
  });
}
