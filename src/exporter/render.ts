/**
 * A probe's result as Prometheus text (what `/probe` answers) and as text for people
 * (`debug=true`). Pure. Status and severity values are documented in the README
 * ("Prometheus exporter"); alert rules compare against them, so they never change.
 */
import type { Finding, JsonValue, Severity, Status } from '../core/finding.js';
import { STATUSES } from '../core/finding.js';
import { ExpositionWriter } from '../prometheus/writer.js';
import type { ProbeResult } from './prober.js';

/** Ordered by badness, so `max()` over findings and `>= 2` ("warn or worse") mean something. */
export const STATUS_VALUE: Record<Status, number> = { pass: 0, skip: 1, warn: 2, fail: 3 };
export const SEVERITY_VALUE: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** The stream's timings, read from the findings that carry them. */
const STREAM_FIGURES: Array<{ metric: string; help: string; id: string; read: (e: { [key: string]: JsonValue }) => number | undefined }> = [
  {
    metric: 'zantara_stream_first_event_seconds',
    help: 'Request to the first dispatched event of the answer stream (sse.first-event).',
    id: 'sse.first-event',
    read: (e) => seconds(e.firstEventMs),
  },
  { metric: 'zantara_stream_done_seconds', help: 'Request to the done event of the answer stream (sse.done).', id: 'sse.done', read: (e) => seconds(e.doneAtMs) },
  { metric: 'zantara_stream_events', help: 'Events the answer stream dispatched (sse.protocol).', id: 'sse.protocol', read: (e) => eventCount(e.counts) },
];

/** ms → s, to the microsecond (no float noise such as 0.04803999999999999). */
const toSeconds = (ms: number) => Math.round(ms * 1000) / 1e6;

function seconds(v: JsonValue | undefined): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? toSeconds(v) : undefined;
}

function eventCount(v: JsonValue | undefined): number | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  return Object.values(v).reduce<number>((n, c) => n + (typeof c === 'number' ? c : 0), 0);
}

/** One finding per (id, target): the worst, as a dashboard shows one state per check. */
export function worstFindings(findings: readonly Finding[]): Finding[] {
  const worst = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.id}\u0000${f.target}`;
    const seen = worst.get(key);
    if (!seen || STATUS_VALUE[f.status] > STATUS_VALUE[seen.status] || (f.status === seen.status && SEVERITY_VALUE[f.severity] > SEVERITY_VALUE[seen.severity])) worst.set(key, f);
  }
  return [...worst.values()];
}

/** Numeric `…Ms` fields of a finding's evidence (one level of nesting), e.g. latency figures other checks add. */
export function evidenceTimings(evidence: Finding['evidence']): Array<[field: string, seconds: number]> {
  const out: Array<[string, number]> = [];
  const visit = (obj: { [key: string]: JsonValue }, prefix: string, depth: number) => {
    for (const [k, v] of Object.entries(obj)) {
      if (typeof v === 'number' && Number.isFinite(v) && /Ms$/.test(k)) out.push([`${prefix}${k}`, toSeconds(v)]);
      else if (depth < 1 && typeof v === 'object' && v !== null && !Array.isArray(v)) visit(v, `${prefix}${k}.`, depth + 1);
    }
  };
  if (evidence) visit(evidence, '', 0);
  return out;
}

export function renderProbe(result: ProbeResult): string {
  const w = new ExpositionWriter()
    .gauge('zantara_probe_success', 'Whether the probe succeeded: 1 when no check failed.', result.success ? 1 : 0)
    .gauge('zantara_probe_duration_seconds', 'How long the probe took.', result.durationMs / 1000)
    .gauge('zantara_probe_deadline_seconds', "The probe's deadline: min(module timeout, scrape timeout - margin).", result.deadlineMs / 1000);
  w.family('zantara_checks', 'gauge', 'Findings of the probe by status.');
  for (const s of STATUSES) w.sample('zantara_checks', { status: s }, result.findings.filter((f) => f.status === s).length);
  const worst = worstFindings(result.findings);
  w.family('zantara_check_status', 'gauge', 'Status of each check: 0 pass, 1 skip, 2 warn, 3 fail.');
  for (const f of worst) w.sample('zantara_check_status', { id: f.id, target: f.target }, STATUS_VALUE[f.status]);
  w.family('zantara_check_severity', 'gauge', 'Severity of each check: 0 info, 1 low, 2 medium, 3 high, 4 critical.');
  for (const f of worst) w.sample('zantara_check_severity', { id: f.id, target: f.target }, SEVERITY_VALUE[f.severity]);
  for (const fig of STREAM_FIGURES) {
    const f = worst.find((x) => x.id === fig.id);
    const value = f?.evidence ? fig.read(f.evidence) : undefined;
    if (value !== undefined) w.gauge(fig.metric, fig.help, value);
  }
  w.family('zantara_check_timing_seconds', 'gauge', "Timings in the checks' evidence (every numeric field ending in Ms), in seconds.");
  for (const f of worst) for (const [field, s] of evidenceTimings(f.evidence)) w.sample('zantara_check_timing_seconds', { id: f.id, target: f.target, field }, s);
  return w.text();
}

const MARK: Record<Status, string> = { pass: 'ok  ', skip: 'skip', warn: 'warn', fail: 'FAIL' };

/** `debug=true`: what a person reads when the graph turns red. Redaction happens at the sink. */
export function renderDebug(result: ProbeResult, metricsText: string): string {
  const lines = [
    `probe of target "${result.target}" with module "${result.module}": ${result.success ? 'success' : 'FAILED'} in ${result.durationMs} ms (deadline ${result.deadlineMs} ms), started ${result.startedAt}`,
    `audit log: ${result.logFile ?? 'off'}`,
    '',
    'Findings (problems first):',
  ];
  const order = [...result.findings].sort((a, b) => STATUS_VALUE[b.status] - STATUS_VALUE[a.status]);
  for (const f of order) {
    lines.push(`  ${MARK[f.status]} [${f.id}] ${f.target}: ${f.title} (${f.severity})`);
    if (f.status !== 'pass') {
      lines.push(`       expected: ${f.expected}`, `       observed: ${f.observed}`);
      if (f.remedy) lines.push(`       fix: ${f.remedy}`);
    }
  }
  lines.push('', 'Metrics returned to Prometheus:', metricsText);
  return `${lines.join('\n')}\n`;
}
