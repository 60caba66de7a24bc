/**
 * A push-style NDJSON body reader (newline-delimited JSON, as Ollama and some RAG servers
 * stream): the same contract as the SSE reader, so the stream rules judge either framing. Each
 * line ending in LF is one event of type `message` whose data is the line (a CR before the LF is
 * dropped: CRLF is tolerated as JSON Lines allows). Whether a line is JSON is for the rules to
 * judge; the reader only frames. A line with only whitespace is counted as a heartbeat (like an
 * SSE comment), the line pending at end of body is kept as the leftover a `split('\n')` reader
 * drops, and one leading BOM is stripped, as TextDecoder does for response.body readers.
 */
import { CappedReader, DEFAULT_READER_OPTIONS } from './capped-reader.js';
import type { SseEvent, StreamEnd, StreamReader, StreamReaderOptions, StreamRecord } from './types.js';

const LF = 10;
const CR = 13;
const BOM = [0xef, 0xbb, 0xbf];
const verbatim = new TextDecoder('utf-8', { ignoreBOM: true });

export function createNdjsonReader(opts: StreamReaderOptions): StreamReader {
  return new NdjsonReader(opts);
}

/** Read a whole NDJSON body at once (tests, re-judging a saved body). */
export function readAllNdjson(body: Uint8Array | string, opts: Partial<StreamReaderOptions> = {}, end: StreamEnd = 'closed'): StreamRecord {
  const reader = createNdjsonReader({ ...DEFAULT_READER_OPTIONS, ...opts });
  reader.push(typeof body === 'string' ? new TextEncoder().encode(body) : body, 0);
  return reader.end(end, 0);
}

class NdjsonReader extends CappedReader {
  /** The current line's bytes, kept until its LF (never more than maxLineBytes). */
  private parts: Uint8Array[] = [];
  private lineBytes = 0;
  private lineStart = 0;
  private bom = false;

  protected frame(body: Uint8Array, base: number, atMs: number): void {
    let from = 0;
    for (let lf = body.indexOf(LF); lf !== -1 && this.stop === undefined; lf = body.indexOf(LF, from)) {
      if (!this.take(body.subarray(from, lf))) break;
      this.endLine(base + lf + 1, atMs);
      from = lf + 1;
    }
    if (this.stop === undefined && from < body.length) this.take(body.subarray(from));
  }

  end(reason: StreamEnd, atMs: number): StreamRecord {
    if (this.record) return this.record;
    const final = this.stop ?? reason;
    const pending = this.stop === 'cap-line' ? undefined : this.pendingLine();
    this.record = {
      framing: 'ndjson',
      bytes: this.bytes,
      bom: this.bom,
      ...this.stats.result(),
      lastEventId: '',
      ...(pending && { leftover: pending }),
      end: { reason: final, atMs, ...(final !== reason && { requested: reason }) },
      raw: { head: this.raw.headText(), ...(this.raw.tailText() !== undefined && { tail: this.raw.tailText() }) },
      parserMismatches: 0,
    };
    return this.record;
  }

  /** Add bytes to the current line; false (and `cap-line`) when the line outgrows the cap. */
  private take(bytes: Uint8Array): boolean {
    if (bytes.length === 0) return true;
    if (this.lineBytes + bytes.length > this.opts.maxLineBytes) {
      this.stop = 'cap-line';
      this.parts = [];
      return false;
    }
    // Copied: the HTTP layer may reuse the chunk's memory once push() returns.
    this.parts.push(bytes.slice());
    this.lineBytes += bytes.length;
    return true;
  }

  /** The line ended with the LF just before body offset `next`. */
  private endLine(next: number, atMs: number): void {
    const offset = this.lineStart;
    const text = this.lineText();
    this.lineStart = next;
    if (text.trim() === '') {
      this.stats.comment('', atMs);
      return;
    }
    if (this.stats.events.length >= this.opts.maxEvents) {
      this.stop = 'cap-events';
      return;
    }
    const event: SseEvent = { type: 'message', data: text, lastEventId: '', atMs, offset, chunk: this.chunkIndex };
    this.stats.event(event);
    this.opts.onEvent?.(event);
  }

  /** The current line as text, CR before the LF dropped, a leading BOM stripped from the first line; resets the line. */
  private lineText(): string {
    let line = this.parts.length === 1 ? (this.parts[0] as Uint8Array) : concat(this.parts, this.lineBytes);
    this.parts = [];
    this.lineBytes = 0;
    if (this.lineStart === 0 && BOM.every((b, i) => line[i] === b)) {
      this.bom = true;
      line = line.subarray(3);
    }
    if (line[line.length - 1] === CR) line = line.subarray(0, -1);
    return verbatim.decode(line);
  }

  private pendingLine(): StreamRecord['leftover'] {
    if (this.lineBytes === 0) return undefined;
    const bytes = this.lineBytes;
    const keep = this.opts.keepRaw ?? DEFAULT_READER_OPTIONS.keepRaw;
    const text = this.lineText();
    if (text.trim() === '') return undefined;
    // As much evidence as the SSE reader keeps: the line's end, where a cut shows.
    return { bytes, raw: text.length > keep ? text.slice(-keep) : text, complete: text.length <= keep, hasData: true };
  }
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
