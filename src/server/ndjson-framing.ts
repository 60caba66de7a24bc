/**
 * `serve --stream-format ndjson`: the same answer, framed as newline-delimited JSON (one JSON
 * value per line, as Ollama streams) instead of SSE. Framing is applied where events are written,
 * so every stream fault (no-done, malformed-json, gzip, buffered, reset, ...) applies to both.
 */
/** Where events are written (rag-stream-sink's Sink, restated so the two modules form no circle). */
interface Sink {
  write(event: string): void;
  end(): void;
}

export type StreamFormat = 'sse' | 'ndjson';
export const STREAM_FORMATS: readonly StreamFormat[] = ['sse', 'ndjson'];

export const CONTENT_TYPES: Record<StreamFormat, string> = {
  sse: 'text/event-stream; charset=utf-8',
  ndjson: 'application/x-ndjson',
};

/**
 * One SSE event block (`id: 1\ndata: {...}\n\n`) as one NDJSON line: its data. Ids have no place
 * in NDJSON; a data value never holds a raw newline, since the answer's JSON is serialised on one line.
 */
export function sseToNdjson(block: string): string {
  const data = block
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
  return data.length === 0 ? '' : `${data.join('\n')}\n`;
}

/** The sink for `format`: SSE as is, NDJSON converted block by block. */
export function framedSink(sink: Sink, format: StreamFormat): Sink {
  if (format === 'sse') return sink;
  return { write: (block) => sink.write(sseToNdjson(block)), end: () => sink.end() };
}
