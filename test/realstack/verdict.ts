/**
 * What the browser saw, reduced to the questions the audit answers, and the CLI findings each
 * answer requires (must fail), tolerates (may fail: the same cause seen from another angle), or
 * forbids (anything else failing is a disagreement).
 */
import type { JsonReport } from '../helpers/cli.js';
import type { BrowserSeen } from './chromium.js';

export type Leak = 'arbitrary' | 'prefix' | 'null';

export interface Verdict {
  /** The credentialed POST of the API call got past its preflight. */
  preflight: boolean;
  /** ... and its answer was readable. */
  post: boolean;
  /** The same call without a token: the 401 was readable (the app can send the user to log in). */
  unauthorized: boolean;
  /** The credentialed GET /health was readable. */
  health: boolean;
  /**
   * A made-up path's 404 was readable. The app never calls it, so it implies no failure (issue 10
   * item 4: a warning at most); it is here to prove which targets have CORS on their routes only.
   */
  unknownPath: boolean;
  /** EventSource: done arrived, or the stream was refused/ended without it. */
  stream: 'done' | 'blocked' | 'no-done';
  /** The events arrived together at the end of an answer that took over a second. */
  buffered: boolean;
  /** The stream's own error status (empty question) was readable. */
  streamError: boolean;
  /** Foreign pages that could read the credentialed health answer. */
  leaks: Leak[];
  /** After the tab closed the stream early, the RAG's gauge went back (`ok`) or stayed up (`leak`). */
  cleanup: 'ok' | 'leak' | 'unobservable';
}

export const GOOD: Verdict = {
  preflight: true,
  post: true,
  unauthorized: true,
  health: true,
  unknownPath: true,
  stream: 'done',
  buffered: false,
  streamError: true,
  leaks: [],
  cleanup: 'ok',
};

/** A final burst: the answer took over a second, its events came within a tenth of that. */
function burst(at: number[]): boolean {
  if (at.length < 5) return false;
  const total = at.at(-1) as number;
  return total >= 1000 && total - (at[0] as number) < total * 0.1;
}

export function browserVerdict(seen: BrowserSeen): Verdict {
  const { app } = seen;
  // Chromium names a failed preflight in its console line ("Response to preflight request ...",
  // "... in preflight response"); a blocked actual response is worded without it.
  const preflightBlocked = seen.console.some((l) => l.includes('/api/chat') && /preflight/i.test(l));
  const c = seen.cleanup;
  return {
    preflight: app.post.readable || !preflightBlocked,
    post: app.post.readable,
    unauthorized: app.unauthorized.readable && app.unauthorized.status === 401,
    health: app.health.readable,
    unknownPath: app.unknownPath.readable && app.unknownPath.status === 404,
    stream: app.stream.done ? 'done' : app.stream.opened ? 'no-done' : 'blocked',
    buffered: burst(app.stream.at),
    streamError: app.streamError.readable,
    leaks: (['arbitrary', 'prefix', 'null'] as const).filter((k) => seen.foreign[k].readable),
    cleanup: !c?.observable ? 'unobservable' : c.backAfterMs === null ? 'leak' : 'ok',
  };
}

type Rule = { must: string[]; may: RegExp[] };

/** `id@target` of the CLI findings each browser observation implies. */
export function implied(v: Verdict): Rule {
  const must: string[] = [];
  const may: RegExp[] = [];
  if (!v.preflight) {
    must.push('cors.preflight.*@gateway');
    may.push(/^cors\.preflight\./, /^cors\.headers\.api@/);
  } else if (!v.post) must.push('cors.headers.api@gateway');
  if (!v.health) {
    must.push('cors.headers.health@gateway');
    may.push(/^health\.cors@gateway/, /^cors\.duplicate-headers@gateway/, /^cors\.headers\.api@/, /^cors\.divergence@/);
  }
  if (!v.unauthorized) must.push('cors.error-response@gateway');
  if (v.stream === 'blocked') {
    must.push('cors.headers.stream@rag', 'sse.cors@rag');
    may.push(/^cors\.duplicate-headers@rag/, /^health\.cors@rag/, /^cors\.divergence@/, /^browser\./);
  }
  if (v.stream === 'no-done') must.push('sse.done@rag');
  if (!v.streamError) must.push('cors.error-response@rag');
  if (v.buffered) {
    must.push('sse.buffering@rag');
    // The same burst seen by the latency figures: the first token is as late as the burst, the gaps coalesced.
    may.push(/^sse\.(ttft|itl|e2e)@rag$/);
  }
  for (const leak of v.leaks) must.push(`cors.probe.${leak}@gateway`);
  // The browser asked three foreign origins; the probes ask 38 built on the same mistake.
  if (v.leaks.length) may.push(/^cors\.probe\./);
  if (v.cleanup === 'leak') must.push('sse.disconnect.cleanup@rag');
  return { must, may };
}

/** Every way the CLI's report differs from what the browser implies; empty when they agree. */
export function disagreements(v: Verdict, report: JsonReport, exitCode: number | null): string[] {
  const failed = report.findings.filter((f) => f.status === 'fail').map((f) => `${f.id}@${f.target}`);
  const { must, may } = implied(v);
  const out: string[] = [];
  for (const m of must) {
    const hit = m.includes('*')
      ? failed.some((f) => f.startsWith(m.split('*')[0] as string) && f.endsWith(m.split('*')[1] as string) && !f.startsWith('cors.preflight.max-age'))
      : failed.includes(m);
    if (!hit) out.push(`browser: ${m.replace('@', ' on ')} is broken, CLI: not failed (${statusOf(report, m)})`);
  }
  for (const f of failed) {
    const explained = must.some((m) => (m.includes('*') ? f.startsWith(m.split('*')[0] as string) : m === f)) || may.some((r) => r.test(f));
    if (!explained) out.push(`CLI: ${f.replace('@', ' on ')} failed (${observed(report, f)}), browser: nothing wrong there`);
  }
  const expectedExit = must.length ? 1 : 0;
  if (exitCode !== expectedExit) out.push(`exit code ${exitCode}, browser implies ${expectedExit}`);
  return out;
}

function statusOf(report: JsonReport, key: string): string {
  const [id, target] = key.split('@');
  const prefix = (id as string).replace('*', '');
  const hits = report.findings.filter((f) => (id?.includes('*') ? f.id.startsWith(prefix) : f.id === id) && f.target === target);
  return hits.length ? [...new Set(hits.map((f) => `${f.id} ${f.status}${f.status === 'pass' ? '' : `: ${f.observed.slice(0, 140)}`}`))].join('; ') : 'no such finding';
}

function observed(report: JsonReport, key: string): string {
  const [id, target] = key.split('@');
  return report.findings.find((f) => f.id === id && f.target === target)?.observed.slice(0, 160) ?? '';
}
