/**
 * Report-worthy data a check attaches next to its findings (`ctx.attach`), for charts in the HTML
 * report and in the JSON report's `attachments`. Findings say what is wrong; attachments show it
 * (when each event arrived, how latencies spread). Every attachment is aggregated and bounded:
 * its size does not grow with the number of streams or events beyond the caps below.
 */
import type { TargetName } from './finding.js';

/** Event marks kept per timeline: the first and the last halves of a longer stream. */
export const MAX_TIMELINE_MARKS = 2000;
/** Points kept in a load's streams-over-time series (the step doubles to stay under it). */
export const MAX_SERIES_POINTS = 600;

/** One dispatched event on the timeline. Times in ms since the request was sent. */
export interface TimelineMark {
  atMs: number;
  /** The event's kind: its `event:` name, or the JSON `type` of an unnamed message (`?` without one). */
  kind: string;
  /** Index of the read chunk that carried it: marks sharing a chunk arrived together. */
  chunk: number;
  /**
   * When the server generated it, on the same clock (the server's stamp minus the request's wall
   * start), present only when the server stamps its events and the audit is configured to read them.
   */
  generatedAtMs?: number;
}

/** The arrival of one answer stream's events: a burst at the end, a long first wait or a stall shows at a glance. */
export interface StreamTimeline {
  kind: 'stream-timeline';
  /** What read the stream (`sse.stream`); its findings' ids start with the same area. */
  purpose: string;
  target: TargetName;
  url: string;
  /** When the response head and the first body byte arrived (null: never). */
  headersAtMs: number | null;
  firstByteMs: number | null;
  /** How and when reading ended (`closed`, `reset`, `deadline`, a cap...). */
  end: { reason: string; atMs: number };
  /** Events dispatched in all; `marks` holds at most MAX_TIMELINE_MARKS of them, `omitted` the rest. */
  events: number;
  marks: TimelineMark[];
  omitted: number;
  /** Comment lines (heartbeats) received. */
  comments: number;
}

/** A latency distribution: every non-empty bucket as [lowMs, highMs, count] (at most 3,328 buckets). */
export interface Distribution {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  buckets: Array<[number, number, number]>;
}

/** A load run: distributions of time to first event and to done, and the streams over time. */
export interface LoadCharts {
  kind: 'load-charts';
  connections: number;
  durationMs: number;
  firstEvent: Distribution;
  done: Distribution;
  /** Client side, every `stepMs`: [ms since start, open streams, completed so far, failed so far]. */
  overTime: { stepMs: number; points: Array<[number, number, number, number]> };
  /** The RAG's active-streams gauge at each scrape: [ms since start, value]. */
  serverActive: Array<[number, number]>;
}

export type Attachment = StreamTimeline | LoadCharts;
