/**
 * What reading one server-sent-events body produced: a plain, serialisable record of every event
 * as a browser's EventSource would dispatch it (HTML §9.2.6), with arrival times and byte
 * offsets. Rules judge it; the audit log stores it.
 */

/** Why reading stopped. The `cap-*` endings are ours (a limit was hit), the rest the transport's. */
export type StreamEnd = 'closed' | 'reset' | 'deadline' | 'cap-bytes' | 'cap-events' | 'cap-line' | 'aborted';

export interface StreamReaderOptions {
  /** Stop after this many body bytes (the rest of that chunk is not read). */
  maxBytes: number;
  /** Keep at most this many dispatched events; one more stops reading. */
  maxEvents: number;
  /** A line longer than this stops reading, so an endless line is never buffered whole. */
  maxLineBytes: number;
  /** Bytes of the raw stream kept as evidence: the first and the last `keepRaw` bytes. Default 4096. */
  keepRaw?: number;
  /** Read-chunk samples kept (the first N); counts and gaps cover all chunks. Default 256. */
  maxChunkSamples?: number;
  /** Comments kept (the first N); `commentCount` counts all. Default `maxEvents`. */
  maxComments?: number;
  /** Called for each dispatched event as it is recorded (e.g. to act at the first event while the stream stays open). */
  onEvent?: (event: SseEvent) => void;
}

/** One dispatched event, as a `MessageEvent` would carry it. */
export interface SseEvent {
  /** The event type: `message` when the block had no (or an empty) `event:` field (§9.2.6 dispatch step 5). */
  type: string;
  data: string;
  /** The `id:` field given in this block, if any (ids containing U+0000 are ignored). */
  id?: string;
  /** The EventSource's last event ID string when this event was dispatched: it persists across events. */
  lastEventId: string;
  /** A valid `retry:` field given in this block, ms. */
  retry?: number;
  /** Arrival time: when the chunk holding the dispatching blank line was read, ms since the request. */
  atMs: number;
  /** Byte offset of the block's first line in the body (a leading BOM counts). */
  offset: number;
  /** Index of the read chunk in which the event was dispatched. */
  chunk: number;
}

export interface SseComment {
  /** Text after `:` and one optional space; long comments are cut to 200 characters. */
  text: string;
  atMs: number;
}

/** A block ended by a blank line that had `event:` but no `data:`: EventSource never dispatches it (§9.2.6). */
export interface UndispatchedBlock {
  /** The `event:` value as sent (empty string for a bare `event:`). */
  type: string;
  id?: string;
  /** The block's bytes as text, up to the raw-evidence budget. */
  raw: string;
  atMs: number;
  offset: number;
}

/** The block pending at end of stream, not followed by a blank line: discarded by the browser (§9.2.6 EOF). */
export interface LeftoverBlock {
  bytes: number;
  raw: string;
  /** False when `raw` holds only the last part of the block. */
  complete: boolean;
  /** It had a `data` field, so it would have been an event had a blank line followed. */
  hasData: boolean;
  /** Its `event:` value, if it had one. */
  type?: string;
}

export interface FieldProblem {
  /** `invalid-retry`: not all ASCII digits, ignored by browsers; `unknown-field`: a field name the spec ignores. */
  kind: 'invalid-retry' | 'unknown-field';
  field: string;
  value: string;
  atMs: number;
}

export interface ChunkSample {
  atMs: number;
  bytes: number;
  offset: number;
}

export interface ChunkStats {
  count: number;
  firstAtMs?: number;
  lastAtMs?: number;
  /** Largest gap between two consecutive reads, and when it ended. */
  maxGapMs: number;
  maxGapEndMs?: number;
  samples: ChunkSample[];
}

/** Timing of everything the page or a proxy would see as life: dispatched events and comments. */
export interface SignalStats {
  count: number;
  firstAtMs?: number;
  lastAtMs?: number;
  maxGapMs: number;
  maxGapEndMs?: number;
}

export interface StreamRecord {
  /** How the body was framed: absent or `sse` (text/event-stream), `ndjson` (one JSON value per line, each line an event of type `message`). */
  framing?: 'sse' | 'ndjson';
  bytes: number;
  /** The body started with a UTF-8 BOM, which the browser strips (§9.2.5). */
  bom: boolean;
  events: SseEvent[];
  comments: SseComment[];
  commentCount: number;
  /** The last event ID string at the end: what a reconnect would send as `Last-Event-ID` (if non-empty). */
  lastEventId: string;
  /** The reconnection time set by the last valid `retry:` field anywhere in the stream. */
  retryMs?: number;
  chunks: ChunkStats;
  signals: SignalStats;
  /** The first 100 blocks with `event:` and no `data:`. */
  undispatched: UndispatchedBlock[];
  leftover?: LeftoverBlock;
  /** The first 100 ignored fields. */
  fieldProblems: FieldProblem[];
  end: {
    reason: StreamEnd;
    atMs: number;
    /** The reason the caller gave, when a cap had already stopped reading. */
    requested?: StreamEnd;
  };
  raw: {
    head: string;
    /** The last `keepRaw` bytes, when the head does not already hold the whole body. */
    tail?: string;
  };
  /** Blocks where eventsource-parser and the browser rules disagreed: 0 unless one of them has a bug. */
  parserMismatches: number;
}

export interface StreamReader {
  /** Feed one read chunk; false once a cap was hit: stop reading and call `end`. */
  push(chunk: Uint8Array, atMs: number): boolean;
  /** Finish: flush the decoder, keep any pending block as leftover. Idempotent. */
  end(reason: StreamEnd, atMs: number): StreamRecord;
}
