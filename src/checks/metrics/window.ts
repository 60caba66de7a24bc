/**
 * Which event-loop window `metrics.eventloop-lag` judges. prom-client's lag histogram covers the
 * time since the previous scrape, so the first scrape after a deploy holds the process's start-up
 * (module loading, JIT): judging it fails a healthy server that passes seconds later. The audit
 * opens its own window (a scrape at the start of the run) and judges the one its closing scrape
 * reports, while its own requests were served. process_start_time_seconds names a start-up window.
 */
import type { Finding, JsonValue } from '../../core/finding.js';
import type { HttpObservation } from '../../http/types.js';
import { type Exposition, sampleValue } from '../../prometheus/exposition.js';
import { PROCESS_START } from '../../prometheus/names.js';

/** A process younger than this at a scrape: the window that scrape reports may be its start-up. */
export const START_UP_S = 60;
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
  /** From our opening scrape to our closing one: the audit's own traffic. */
  | { kind: 'audit'; durationMs: number }
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
  if (start !== undefined && start > open.serverNowS + CLOCK_SLACK_S) return { kind: 'start-up', processAgeS: close.serverNowS - start, why: 'the process restarted after the audit\'s first scrape' };
  return { kind: 'audit', durationMs: close.atMs - open.atMs };
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
    case 'audit':
      return `the audit's own window: ${(w.durationMs / 1000).toFixed(1)} s from its first scrape to its last, while its requests were served (shorter if another client scraped in between)`;
    case 'before-audit':
      return `the window before the audit (since the previous scrape by anyone, or the process start${w.processAgeS !== undefined ? ` ${age(w.processAgeS)} ago` : ''}): ${w.why}`;
    case 'start-up':
      return `a start-up window: the process started ${age(w.processAgeS)} before this scrape (process_start_time_seconds), so module loading and JIT are in it${w.why ? `: ${w.why}` : ''}`;
  }
}

/**
 * The lag finding, said of its window. A start-up window's lag is not the service's lag under
 * traffic: above the limit it is `skip` with the reason (a CI gate right after a deploy must not
 * flake), below it the service passes even with its start-up counted.
 */
export function inWindow(f: Finding, w: LagWindow): Finding {
  const text = describeWindow(w);
  const window: { [key: string]: JsonValue } = { kind: w.kind, text };
  if (w.kind === 'audit') window.durationMs = w.durationMs;
  else if (w.processAgeS !== undefined) window.processAgeS = Math.round(w.processAgeS * 10) / 10;
  const evidence: { [key: string]: JsonValue } = { ...(f.evidence ?? {}), window };
  if (f.status === 'fail' && w.kind === 'start-up') {
    const { remedy: _fix, ...rest } = f;
    return { ...rest, status: 'skip', severity: 'info', title: `${f.title}: not judged on a start-up window`, observed: `${f.observed}, not judged: ${text}`, evidence };
  }
  return { ...f, observed: `${f.observed}; judged on ${text}`, evidence };
}
