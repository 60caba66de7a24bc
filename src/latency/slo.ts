/**
 * The service-level objectives of one answer stream, as a chat UI needs them, and whether a
 * stream met them. `stream.slo` judges the stream check's findings; the load's goodput counts the
 * streams that ended with done and met every one.
 */
import { z } from 'zod';

const ms = z.number().int().positive();

export const sloSchema = z
  .object({
    /** Request sent → first content event. Users read a blank answer as broken after ~2 s. */
    ttftMs: ms.default(2000),
    /** p99 of the gaps between deliveries of content (what the reader waits between updates). */
    itlP99Ms: ms.default(500),
    /** Request sent → done dispatched: a whole answer, retrieval and generation included. */
    e2eMs: ms.default(30_000),
  })
  .strict();

export type Slo = z.output<typeof sloSchema>;

/** What one stream showed, in ms; null where it could not be measured. */
export interface StreamTimes {
  ttftMs: number | null;
  /** p99 of this stream's delivery gaps; null with fewer than two deliveries (nothing to wait between). */
  itlP99Ms: number | null;
  e2eMs: number | null;
  done: boolean;
}

/** The objectives this stream missed (empty: it is good). No done, or no content, misses all that need them. */
export function missedSlo(t: StreamTimes, slo: Slo): string[] {
  const missed: string[] = [];
  if (!t.done) missed.push('done');
  if (t.ttftMs === null || t.ttftMs > slo.ttftMs) missed.push('ttft');
  if (t.itlP99Ms !== null && t.itlP99Ms > slo.itlP99Ms) missed.push('itl');
  if (t.e2eMs === null || t.e2eMs > slo.e2eMs) missed.push('e2e');
  return missed;
}
