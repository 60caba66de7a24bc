/** Shared shaping of CORS findings: evidence, unreachable targets, merging repeated ids. */
import { type Finding, type JsonValue, SEVERITIES, type Status, finding } from '../../../core/finding.js';
import type { HttpObservation, RawHeaders, SentRequest } from '../../../http/types.js';
import { interruptedReason, requestLine } from '../../../core/verdicts.js';
import { lineValues } from '../../../fetch/headers.js';
import type { CredentialsMode } from '../../../fetch/request.js';
import { type Evidence, type Verdict, specUrl } from '../../../fetch/verdict.js';

/** Response header lines a CORS finding shows. */
const CORS_PREFIXES = ['access-control-', 'vary'];

export function rawOf(obs: HttpObservation): RawHeaders {
  return obs.response?.rawHeaders ?? [];
}

/** Header lines as they came, for `observed`: verbatim values, one per line. */
export function showLines(raw: RawHeaders, name: string, label: string): string {
  const lines = raw.filter(([n]) => String(n).trim().toLowerCase() === name);
  if (lines.length === 0) return `(no ${label} header)`;
  return lines.map(([n, v]) => `${String(n)}: ${String(v)}`).join('\n');
}

export function hasHeader(raw: RawHeaders, name: string): boolean {
  return lineValues(raw, name).length > 0;
}

function responseEvidence(obs: HttpObservation, prefixes: readonly string[]): JsonValue {
  const res = obs.response;
  if (!res) return null;
  const lines = res.rawHeaders.filter(([n]) => prefixes.some((p) => String(n).toLowerCase().startsWith(p))).map(([n, v]): JsonValue => [String(n), String(v)]);
  return { status: res.status, headers: lines };
}

/** The request the browser would send, reduced to what CORS looks at. */
export function requestEvidence(sent: SentRequest, credentials: CredentialsMode): Evidence {
  return { method: sent.method, url: sent.url, credentials, headers: { ...sent.headers } };
}

export interface Shape {
  id: string;
  obs: HttpObservation;
  status: Status;
  title: string;
  expected: string;
  observed: string;
  remedy?: string;
  severity?: Finding['severity'];
  request: Evidence;
  verdict?: Verdict;
  extra?: Evidence;
  prefixes?: readonly string[];
}

/** One finding with the evidence every CORS finding carries: request, response, rule. */
export function shape(s: Shape): Finding {
  const evidence: Evidence = { request: s.request, response: responseEvidence(s.obs, s.prefixes ?? CORS_PREFIXES) };
  if (s.verdict) {
    evidence.rule = s.verdict.rule;
    evidence.section = specUrl(s.verdict.rule);
    evidence.ref = s.verdict.ref;
    evidence.reason = s.verdict.reason;
    if (s.verdict.chromiumError) evidence.chromiumError = s.verdict.chromiumError;
    evidence.details = s.verdict.evidence;
  }
  Object.assign(evidence, s.extra ?? {});
  const f = finding({
    id: s.id,
    target: s.obs.target,
    status: s.status,
    title: s.title,
    expected: s.expected,
    observed: s.observed,
    evidence,
    durationMs: s.obs.timings.totalMs,
    attempts: s.obs.attempts,
    ...(s.severity ? { severity: s.severity } : {}),
  });
  const remedy = s.status === 'fail' || s.status === 'warn' ? (s.remedy ?? s.verdict?.remedy) : undefined;
  return remedy ? { ...f, remedy } : f;
}

/**
 * No response at all: the check fails, flagged unreachable (exit 3) — never a pass. When we
 * aborted the request ourselves (Ctrl-C, run deadline) it says nothing about the target: skip.
 */
export function unreachableOne(obs: HttpObservation, id: string, request: Evidence): Finding {
  const message = obs.error?.message ?? 'no response received';
  const interrupted = interruptedReason(obs);
  if (interrupted) return shape({ id, obs, status: 'skip', title: `${requestLine(obs)}: not judged`, expected: 'an HTTP response', observed: interrupted, request });
  const f = shape({
    id,
    obs,
    status: 'fail',
    title: `${obs.request.method} ${obs.request.url}: no response`,
    expected: 'an HTTP response',
    observed: message,
    remedy: `make ${obs.request.url} reachable from where the audit runs (URL, DNS, TLS, firewall), then run again`,
    request,
    extra: { error: obs.error?.code ?? 'other' },
  });
  return { ...f, unreachable: obs.unreachable };
}

/** One unreachable finding per check this observation feeds. */
export function unreachable(obs: HttpObservation, ids: readonly string[], request: Evidence): Finding[] {
  return ids.map((id) => unreachableOne(obs, id, request));
}

const STATUS_RANK: Record<Status, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };

/** Keeps, per target and id, the worst finding — for ids fed by several responses (e.g. `cors.vary`). */
export function worstPerId(findings: readonly Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  const rank = (f: Finding): number => STATUS_RANK[f.status] * 10 + SEVERITIES.indexOf(f.severity);
  for (const f of findings) {
    const key = `${f.target}\u0000${f.id}`;
    const seen = byKey.get(key);
    if (!seen || rank(f) > rank(seen)) byKey.set(key, f);
  }
  return [...byKey.values()];
}
