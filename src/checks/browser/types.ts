import type { DoneMatcher } from '../../sse/done.js';
/**
 * What Chromium did with the web app's calls: plain, serialisable records (the audit log keeps
 * them); the rules in rules.ts judge them. Nothing here decides pass or fail.
 */

/** What the page asks the in-page script to do (page-calls.ts); every call has its own deadline. */
export interface PageCallsParams {
  post: { url: string; authorization: string; body: string };
  get: { url: string };
  /**
   * The stream and the configured done rule (`stream.done`) as data, with the source of
   * src/sse/done.ts's `matchesDone`: the page decides done exactly as the stream and load checks do.
   * `fetch` absent: `new EventSource(url)`; present: the app's fetch() read with a ReadableStream reader.
   */
  stream: { url: string; done: DoneMatcher[]; matchesDoneSource: string; fetch?: FetchStreamParams };
  callTimeoutMs: number;
  streamTimeoutMs: number;
  /** An endless stream stops here instead of at the deadline. */
  maxEvents: number;
}

/** The app's fetch() stream call as its page writes it. */
export interface FetchStreamParams {
  method: string;
  headers: Record<string, string>;
  body?: string;
  credentials: 'omit' | 'same-origin' | 'include';
  format: 'sse' | 'ndjson';
}

/** A `fetch(url, {credentials: 'include'})` as the page saw it: readable or not, and why. */
export interface FetchOutcome {
  method: string;
  url: string;
  /** The page could read the response: the browser's CORS check (and preflight) let it through. */
  readable: boolean;
  status?: number;
  bodySnippet?: string;
  /** The page's view of a failure, e.g. `TypeError: Failed to fetch` (CORS and network errors look alike). */
  error?: string;
  timedOut: boolean;
  ms: number;
}

/** How the page's stream ended. `cap`: maxEvents reached (an endless stream); `closed`: a fetch() body ended without done. */
export type StreamEnd = 'done' | 'error' | 'timeout' | 'cap' | 'closed';

export interface StreamOutcome {
  url: string;
  opened: boolean;
  events: number;
  /** Count per JSON `type` or event name, e.g. `{metadata: 1, token: 12, sources: 1, done: 1}`. */
  kinds: Record<string, number>;
  doneSeen: boolean;
  end: StreamEnd;
  /** EventSource.readyState when it ended: 0 CONNECTING (would reconnect), 2 CLOSED (gave up); 2 for fetch(). */
  readyState: number;
  /** Set for the app's fetch() stream: the response status (absent when fetch() rejected) and the rejection. */
  transport?: 'fetch';
  status?: number;
  error?: string;
  ms: number;
}

export interface PageOutcome {
  post: FetchOutcome;
  get: FetchOutcome;
  stream: StreamOutcome;
}

export interface ConsoleEntry {
  type: string;
  text: string;
  /** The resource the message is about, when Chromium names one (`Failed to load resource`). */
  url?: string;
}

/** One origin's visit: the app's own origin, or a foreign one playing the attacker. */
export interface OriginRun {
  role: 'app' | 'foreign';
  origin: string;
  /** Set when the page could not be loaded or the calls could not run (not a target verdict). */
  error?: string;
  calls?: PageOutcome;
  console: ConsoleEntry[];
}

export interface BrowserObservation {
  kind: 'browser';
  browser: { executablePath: string; version: string; args: string[] };
  app: OriginRun;
  foreign: OriginRun;
  /** Every hostile origin the header rules judge, replayed by a page at that origin. */
  probes?: ProbeRun[];
  /** Wall time of the probe replay (all pages), ms. */
  probesMs?: number;
}

/** A hostile origin the header rules probe (`cors.probe.<kind>`), as the browser check receives it. */
export interface HostileOrigin {
  kind: string;
  origin: string;
}

/** What the page at a hostile origin runs (page-probe.ts). */
export interface ProbeCallsParams {
  /** The credentialed endpoint the header rules probe (the health URL). */
  url: string;
  streamUrl: string;
  /** Under `stream.transport: fetch`: the app's fetch() stream call, placeholders for its secrets; absent: EventSource. */
  fetch?: FetchStreamParams;
  callTimeoutMs: number;
}

export interface ProbeOutcome {
  /** `self.origin` in the page: the origin Chromium really sent from (`null` for the sandboxed frame). */
  pageOrigin: string;
  credentialed: FetchOutcome;
  anonymous: FetchOutcome;
  /** `opened`: EventSource's open event, or fetch() resolved with a response (its head passed CORS). */
  stream: { url: string; opened: boolean; end: 'open' | 'error' | 'timeout'; ms: number; transport?: 'fetch'; method?: string; status?: number; error?: string };
}

export interface ProbeRun {
  kind: string;
  origin: string;
  /** Set when the page could not be loaded, or this origin cannot be impersonated (not a target verdict). */
  error?: string;
  calls?: ProbeOutcome;
  console: ConsoleEntry[];
}

/** Readable or not, by one judge, for one call from one hostile origin; null: no answer to judge. */
export interface CallJudgement {
  readable: boolean | null;
  reason: string;
}

/** The header rules' verdicts for one hostile origin, computed from the responses Node received. */
export interface RulesProbeVerdict {
  kind: string;
  origin: string;
  credentialed: CallJudgement;
  anonymous: CallJudgement;
  /** The answer stream as the app opens it: EventSource, or its fetch() call. */
  stream: CallJudgement;
}
