/**
 * `browser.agreement`: for every hostile origin the header rules probe, what Chromium let a page
 * there read, beside what the rules decided from the answers Node received. The audit promises
 * the browser's verdict, so a disagreement is a failure of the audit's own verdict, shown with both.
 */
import { finding, type Finding, type JsonValue } from '../../core/finding.js';
import { classifyFetch, corsMessage, corsReason, describe, networkError } from './classify.js';
import type { CallJudgement, ConsoleEntry, FetchOutcome, ProbeRun, RulesProbeVerdict } from './types.js';

const CALLS = ['credentialed', 'anonymous', 'stream'] as const;
type CallName = (typeof CALLS)[number];
const CALL_TEXT: Record<CallName, string> = {
  credentialed: "GET with credentials: 'include'",
  anonymous: "GET with credentials: 'omit'",
  stream: 'EventSource (no credentials)',
};

/** How the replay opened the answer stream, for the disagreement's line. */
function callText(call: CallName, run: ProbeRun): string {
  const s = run.calls?.stream;
  return call === 'stream' && s?.transport === 'fetch' ? `the app's fetch() stream (${s.method ?? 'POST'})` : CALL_TEXT[call];
}

function fromFetch(out: FetchOutcome, console: readonly ConsoleEntry[]): CallJudgement {
  const v = classifyFetch(out, console);
  if (v.kind === 'readable' || v.kind === 'cors' || v.kind === 'unexplained') return { readable: v.kind === 'readable', reason: describe(v) };
  return { readable: null, reason: describe(v) };
}

/**
 * EventSource: open, or refused by the status/type gate after CORS passed: readable as far as
 * CORS goes. The app's fetch(): resolved with a response (any status) after its preflight.
 */
function fromStream(run: ProbeRun): CallJudgement {
  const out = run.calls?.stream;
  if (!out) return { readable: null, reason: 'not run' };
  if (out.transport === 'fetch') {
    const fetched = { method: out.method ?? 'POST', url: out.url, readable: out.opened, status: out.status, error: out.error, timedOut: out.end === 'timeout', ms: out.ms };
    return fromFetch(fetched, run.console);
  }
  if (out.opened) return { readable: true, reason: 'opened' };
  const cors = corsMessage(out.url, run.console);
  if (cors) return { readable: false, reason: `blocked by CORS: ${corsReason(cors)}` };
  const gate = run.console.find((e) => e.text.startsWith("EventSource's response"))?.text;
  if (gate) return { readable: true, reason: `passed CORS, then refused by the response gate: ${gate}` };
  const code = networkError(out.url, run.console);
  if (code || out.end === 'timeout') return { readable: null, reason: code ? `no response (net::${code})` : `no answer within ${out.ms} ms` };
  return { readable: false, reason: 'failed before it opened, and Chromium logged no reason' };
}

/** Chromium's verdict per call for one replayed origin. */
export function chromiumVerdicts(run: ProbeRun): Record<CallName, CallJudgement> {
  if (!run.calls) {
    const none = { readable: null, reason: `not replayed: ${run.error ?? 'no result'}` };
    return { credentialed: none, anonymous: none, stream: none };
  }
  return { credentialed: fromFetch(run.calls.credentialed, run.console), anonymous: fromFetch(run.calls.anonymous, run.console), stream: fromStream(run) };
}

const said = (j: CallJudgement): string => (j.readable === null ? `no verdict (${j.reason})` : j.readable ? `readable (${j.reason})` : `not readable (${j.reason})`);

export function judgeAgreement(rules: readonly RulesProbeVerdict[], runs: readonly ProbeRun[], replayMs?: number): Finding {
  const base = {
    id: 'browser.agreement',
    target: 'gateway' as const,
    title: 'Chromium and the header rules agree on every hostile origin',
    expected: 'for each probe origin, each call is readable in Chromium exactly when the header rules say it is',
  };
  const rows: JsonValue[] = [];
  const disagreements: string[] = [];
  let compared = 0;
  for (const run of runs) {
    const r = rules.find((x) => x.kind === run.kind);
    const chromium = chromiumVerdicts(run);
    const row: { [key: string]: JsonValue } = { kind: run.kind, origin: run.origin };
    for (const call of CALLS) {
      const c = chromium[call];
      const h = r?.[call] ?? { readable: null, reason: 'not judged by the rules' };
      row[call] = { chromium: said(c), rules: said(h) };
      if (c.readable === null || h.readable === null) continue;
      compared++;
      if (c.readable !== h.readable) disagreements.push(`${run.origin} (${run.kind}), ${callText(call, run)}: Chromium ${said(c)}; rules ${said(h)}`);
    }
    rows.push(row);
  }
  const evidence = { probes: rows, compared, replayMs: replayMs ?? null };
  if (runs.length === 0 || compared === 0) {
    return finding({
      ...base,
      status: 'skip',
      observed:
        runs.length === 0
          ? 'no hostile origin to replay (cors.probes: false, or every probe waived)'
          : 'no call could be compared: Chromium or the rules got no answer from any probe origin',
      evidence,
    });
  }
  if (disagreements.length > 0) {
    return finding({
      ...base,
      status: 'fail',
      severity: 'high',
      title: `Chromium and the header rules disagree on ${disagreements.length} call(s) from hostile origins`,
      observed: disagreements.join('\n'),
      remedy: "the audit's cors.probe.* verdict and the browser differ: trust the browser, and report the disagreement (the audit log holds both sides) so the rules can be fixed",
      evidence,
    });
  }
  const skipped = runs.filter((r) => !r.calls).map((r) => `${r.kind} (${r.error ?? 'no result'})`);
  return finding({
    ...base,
    status: 'pass',
    observed: `${runs.length} hostile origins replayed in ${replayMs ?? '?'} ms, ${compared} calls compared, all agree${skipped.length ? `; not replayed: ${skipped.join(', ')}` : ''}`,
    evidence,
  });
}
