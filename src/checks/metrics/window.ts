/**
 * Which event-loop window `metrics.eventloop-lag` judges. prom-client's lag histogram covers the
 * time since the previous scrape, so the first scrape after a deploy holds the process's start-up
 * (module loading, JIT): judging it fails a healthy server that passes seconds later. The audit
 * opens its own window (a scrape at the start of the run) and judges the one its closing scrape
 * reports, while its own requests were served. process_start_time_seconds names a start-up window,
 * and a warm-up: a process that had just started when the audit opened its window serves the
 * audit's requests as its first ones (lazy compilation of the request path, module loading).
 */
import type { Finding, JsonValue } from '../../core/finding.js';
import type { HttpObservation } from '../../http/types.js';
import { type Exposition, sampleValue } from '../../prometheus/exposition.js';
import { PROCESS_START } from '../../prometheus/names.js';

/** A process younger than this at a scrape: the window that scrape reports may be its start-up. */
export const START_UP_S = 60;
/**
 * A process younger than this when the audit opened its window: its warm-up is in that window. Measured
 * (issue 10, item 3) on the real-stack express, fastify and hono gateways (test/realstack/apps), 1 s
 * windows of audit-like traffic one after another from their start, on the shared 2-core machine: the
 * first window of each was above the 10 ms limit (11–39 ms; 13–56 ms inside a real audit), fastify's
 * until 4 s after its start, then steady under it apart from load stalls any process sees; an audit 8 s
 * after the start passed. 20 s is five times the longest warm-up seen, so a slower CI runner is covered
 * too, and short enough that a re-run half a minute after a deploy is judged. Older processes: as before.
 */
export const WARM_UP_S = 20;
/** The audit's own window lasts at least this long: a p99 needs samples (prom-client takes one per 10 ms by default). */
export const MIN_WINDOW_MS = 1000;
/** Date headers have whole seconds; a start time within this of our opening scrape may precede it. */
const CLOCK_SLACK_S = 1;

/** One scrape of a target's /metrics, with when it was taken (local ms) and the server's clock (s). */
export interface Scrape {
  atMs: number;
  serverNowS: number;
  exposition: Exposition;
}

export type LagWindow =
  /** From our opening scrape to our closing one: the audit's own traffic; `warmUpS`: the process's age at our opening scrape, when under WARM_UP_S. */
  | { kind: 'audit'; durationMs: number; warmUpS?: number }
  /** Whatever the first scrape reports: since the previous scrape by anyone, or since the process started. */
  | { kind: 'before-audit'; processAgeS?: number; why: string }
  /** The process started inside the window judged: its start-up is in it. */
  | { kind: 'start-up'; processAgeS: number; why?: string };

/** The server's clock at the scrape: its Date header, else ours. */
export function serverNow(obs: HttpObservation, atMs: number): number {
  const date = Date.parse(obs.response?.headers.date ?? '');
  return Number.isFinite(date) ? date / 1000 : atMs / 1000;
}

function processStart(exp: Exposition): number | undefined {
  const s = sampleValue(exp, PROCESS_START);
  return s !== undefined && Number.isFinite(s) && s > 0 ? s : undefined;
}

/** The window the closing scrape reports; a process that (re)started after our opening scrape makes it a start-up window. */
export function auditWindow(open: Scrape, close: Scrape): LagWindow {
  const start = processStart(close.exposition);
  if (start !== undefined && start > open.serverNowS + CLOCK_SLACK_S)
    return { kind: 'start-up', processAgeS: close.serverNowS - start, why: "the process restarted after the audit's first scrape" };
  const durationMs = close.atMs - open.atMs;
  // Our opening scrape's own clock against the start time: a whole-second Date header makes the age
  // up to 1 s short, which only errs towards naming a warm-up.
  const age = start === undefined ? undefined : open.serverNowS - start;
  return age !== undefined && age < WARM_UP_S ? { kind: 'audit', durationMs, warmUpS: Math.max(0, age) } : { kind: 'audit', durationMs };
}

/** Whether a window holds the process's start-up or its warm-up: its lag is not the service's lag under traffic. */
function isStartUp(w: LagWindow): boolean {
  return w.kind === 'start-up' || (w.kind === 'audit' && w.warmUpS !== undefined);
}

/** The window the opening scrape reports, used only when the audit's own window could not be read. */
export function firstWindow(open: Scrape, why: string): LagWindow {
  const start = processStart(open.exposition);
  if (start === undefined) return { kind: 'before-audit', why };
  const age = open.serverNowS - start;
  return age < START_UP_S ? { kind: 'start-up', processAgeS: age, why } : { kind: 'before-audit', processAgeS: age, why };
}

export function describeWindow(w: LagWindow): string {
  const age = (s: number) => `${Math.max(0, s).toFixed(1)} s`;
  switch (w.kind) {
    case 'audit': {
      const own = `the audit's own window: ${(w.durationMs / 1000).toFixed(1)} s from its first scrape to its last, while its requests were served (shorter if another client scraped in between)`;
      if (w.warmUpS === undefined) return own;
      return `${own}; the process started ${age(w.warmUpS)} before the audit (process_start_time_seconds, under ${WARM_UP_S} s): its warm-up (first requests, lazy compilation) is in this window; re-run later`;
    }
    case 'before-audit':
      return `the window before the audit (since the previous scrape by anyone, or the process start${w.processAgeS !== undefined ? ` ${age(w.processAgeS)} ago` : ''}): ${w.why}`;
    case 'start-up':
      return `a start-up window: the process started ${age(w.processAgeS)} before this scrape (process_start_time_seconds), so module loading and JIT are in it${w.why ? `: ${w.why}` : ''}`;
  }
}

/**
 * The lag finding, said of its window. A start-up (or warm-up) window's lag is not the service's lag under
 * traffic: above the limit it is `skip` with the reason (a CI gate right after a deploy must not
 * flake), below it the service passes even with its start-up counted.
 */
export function inWindow(f: Finding, w: LagWindow): Finding {
  const text = describeWindow(w);
  const window: { [key: string]: JsonValue } = { kind: w.kind, text };
  if (w.kind === 'audit') {
    window.durationMs = w.durationMs;
    if (w.warmUpS !== undefined) window.warmUpS = Math.round(w.warmUpS * 10) / 10;
  } else if (w.processAgeS !== undefined) window.processAgeS = Math.round(w.processAgeS * 10) / 10;
  const evidence: { [key: string]: JsonValue } = { ...(f.evidence ?? {}), window };
  if (f.status === 'fail' && isStartUp(w)) {
    const { remedy: _fix, ...rest } = f;
    return { ...rest, status: 'skip', severity: 'info', title: `${f.title}: not judged on a start-up window`, observed: `${f.observed}, not judged: ${text}`, evidence };
  }
  return { ...f, observed: `${f.observed}; judged on ${text}`, evidence };
}
