/**
 * Body bytes to dispatched events and nothing else, for the load engine's hot path: the events
 * the full readers (reader.ts for SSE, ndjson-reader.ts for NDJSON) would record, without the
 * evidence they keep. One framer serves one slot for all its streams (`reset` between them), so
 * a stream costs the event strings and nothing more.
 */
import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { primeParser, TextFeed } from './text.js';

export type Framing = 'sse' | 'ndjson';

export interface FramerSink {
  /** One dispatched event; an NDJSON line is an event of type `message` (no `event`), its data the line. */
  event(m: EventSourceMessage): void;
  /** A line or SSE event outgrew the cap: the stream is hostile, stop reading it. */
  overflow(): void;
}

export interface EventFramer {
  /** One read chunk; its events reach the sink before this returns. */
  feed(chunk: Uint8Array): void;
  /** Ready for the next body. */
  reset(): void;
}

export function createEventFramer(framing: Framing, sink: FramerSink, maxLineChars: number): EventFramer {
  return framing === 'ndjson' ? new NdjsonFramer(sink, maxLineChars) : new SseFramer(sink, maxLineChars);
}

/** Decoded as a browser decodes the stream (TextFeed) and parsed by eventsource-parser, as reader.ts does. */
class SseFramer implements EventFramer {
  private readonly text = new TextFeed();
  private readonly parser: EventSourceParser;

  constructor(sink: FramerSink, maxLineChars: number) {
    this.parser = createParser({
      maxBufferSize: maxLineChars,
      onEvent: (m) => sink.event(m),
      onError: (e) => {
        if (e.type === 'max-buffer-size-exceeded') sink.overflow();
      },
    });
    primeParser(this.parser);
  }

  feed(chunk: Uint8Array): void {
    const text = this.text.decode(chunk);
    if (text !== '') this.parser.feed(text);
  }

  reset(): void {
    this.parser.reset();
    primeParser(this.parser);
    this.text.reset();
  }
}

const LF = '\n';
const CR = 13;
const BOM_CHAR = 0xfeff;
const STREAM = { stream: true } as const;

/**
 * ndjson-reader.ts's framing: a line ends at LF only (a CR before it is dropped), a blank or
 * whitespace-only line is a heartbeat, one leading BOM is stripped, invalid bytes decode as
 * U+FFFD; the line pending at the end of the body is no event.
 */
class NdjsonFramer implements EventFramer {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private pending = '';
  private sawText = false;
  private over = false;

  constructor(
    private readonly sink: FramerSink,
    private readonly maxLineChars: number,
  ) {}

  feed(chunk: Uint8Array): void {
    if (this.over) return;
    let text = this.decoder.decode(chunk, STREAM);
    if (text === '') return;
    if (!this.sawText) {
      this.sawText = true;
      if (text.charCodeAt(0) === BOM_CHAR) text = text.slice(1);
    }
    let from = 0;
    for (let lf = text.indexOf(LF); lf !== -1; lf = text.indexOf(LF, from)) {
      let line = text.slice(from, lf);
      if (from === 0 && this.pending !== '') {
        line = this.pending + line;
        this.pending = '';
      }
      from = lf + 1;
      if (line.length > this.maxLineChars) return this.overflow();
      if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
      if (line.trim() !== '') this.sink.event({ data: line, event: undefined, id: undefined });
    }
    this.pending = from === 0 ? this.pending + text : text.slice(from);
    if (this.pending.length > this.maxLineChars) this.overflow();
  }

  reset(): void {
    this.decoder.decode();
    this.pending = '';
    this.sawText = false;
    this.over = false;
  }

  private overflow(): void {
    this.over = true;
    this.pending = '';
    this.sink.overflow();
  }
}
