/**
 * The answer stream's timeline for the reports: one mark per dispatched event at its arrival
 * time, bounded (the first and last halves of a runaway stream), so a buffering proxy's burst at
 * the end shows without reading numbers.
 */
import { MAX_TIMELINE_MARKS, type StreamTimeline, type TimelineMark } from '../../core/attachments.js';
import type { SseEvent } from '../../sse/types.js';
import type { StampReader } from '../../latency/tokens.js';
import { analyse } from './analysis.js';
import type { StreamExpectation } from './expectation.js';
import type { StreamObservation } from './types.js';

export function streamTimeline(obs: StreamObservation, exp: StreamExpectation, stampOf?: StampReader): StreamTimeline | undefined {
  const record = obs.record;
  if (!record) return undefined;
  const started = Date.parse(obs.timings.startedAt);
  const kept = keep(record.events.length);
  const classified = analyse(
    kept.map((i) => record.events[i] as SseEvent),
    exp,
  ).events;
  const marks = classified.map(({ event, kind, json }): TimelineMark => {
    const stamp = stampOf?.(json);
    return { atMs: round(event.atMs), kind, chunk: event.chunk, ...(stamp !== undefined && Number.isFinite(started) && { generatedAtMs: round(stamp - started) }) };
  });
  return {
    kind: 'stream-timeline',
    purpose: obs.purpose,
    target: obs.target,
    url: obs.request.url,
    headersAtMs: obs.timings.ttfbMs ?? null,
    firstByteMs: record.chunks.firstAtMs ?? null,
    end: { reason: record.end.reason, atMs: round(record.end.atMs) },
    events: record.events.length,
    marks,
    omitted: record.events.length - marks.length,
    comments: record.commentCount,
  };
}

/** Indexes of the events kept: all of them, or the first and last MAX_TIMELINE_MARKS / 2. */
function keep(count: number): number[] {
  if (count <= MAX_TIMELINE_MARKS) return Array.from({ length: count }, (_, i) => i);
  const half = MAX_TIMELINE_MARKS / 2;
  return [...Array.from({ length: half }, (_, i) => i), ...Array.from({ length: half }, (_, i) => count - half + i)];
}

const round = (ms: number) => Math.round(ms * 100) / 100;
