/**
 * `serve --stream-format ndjson`: the same paced answer, framed as newline-delimited JSON (one JSON
 * value per line, as Ollama streams) instead of SSE. Only the Framing differs: the producer, the
 * body and every stream fault (no-done, malformed-json, gzip, buffered, reset, ...) are shared.
 */
import { STAMP_FIELD } from './rag-answer.js';
import { type Framing, sseFrame } from './rag-stream-sink.js';

export type StreamFormat = 'sse' | 'ndjson';
export const STREAM_FORMATS: readonly StreamFormat[] = ['sse', 'ndjson'];

export const CONTENT_TYPES: Record<StreamFormat, string> = {
  sse: 'text/event-stream; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

/**
 * One event as one NDJSON line: the same JSON as SSE's `data:`, generation stamp included. Ids
 * have no place in NDJSON; the answer's JSON is serialised on one line, so it holds no raw newline.
 */
export const ndjsonFrame: Framing = (_index, e, t) => (e.stamped ? `${e.head},"${STAMP_FIELD}":${t}}\n` : `${e.head}\n`);

export const FRAMINGS: Record<StreamFormat, Framing> = { sse: sseFrame, ndjson: ndjsonFrame };
