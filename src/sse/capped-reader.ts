/**
 * What both push-style body readers (SSE in reader.ts, NDJSON in ndjson-reader.ts) do with a
 * chunk before their framing sees it: the byte cap (a body never grows past `maxBytes`; the
 * chunk that crosses it is cut and the stream ends `cap-bytes`), the chunk count, the chunk
 * timing stats and the raw head and tail kept for quoting. One opening, so the two framings
 * cannot disagree on what a cap or a chunk is.
 */
import { RawKeeper } from './raw.js';
import { ReaderStats } from './stats.js';
import type { StreamEnd, StreamReader, StreamReaderOptions, StreamRecord } from './types.js';

export const DEFAULT_READER_OPTIONS: Required<Omit<StreamReaderOptions, 'maxComments' | 'onEvent'>> = {
  maxBytes: 16 * 1024 * 1024,
  maxEvents: 100_000,
  maxLineBytes: 1024 * 1024,
  keepRaw: 4096,
  maxChunkSamples: 256,
};

export abstract class CappedReader implements StreamReader {
  protected readonly raw: RawKeeper;
  protected readonly stats: ReaderStats;
  /** Body bytes taken so far (never more than maxBytes). */
  protected bytes = 0;
  protected chunkIndex = -1;
  /** Why the reader stopped taking bytes (a cap); undefined while it reads. */
  protected stop: StreamEnd | undefined;
  protected record: StreamRecord | undefined;

  constructor(protected readonly opts: StreamReaderOptions) {
    this.raw = new RawKeeper(opts.keepRaw ?? DEFAULT_READER_OPTIONS.keepRaw);
    this.stats = new ReaderStats(opts.maxChunkSamples ?? DEFAULT_READER_OPTIONS.maxChunkSamples, opts.maxComments ?? opts.maxEvents);
  }

  push(chunk: Uint8Array, atMs: number): boolean {
    if (this.stop !== undefined || this.record !== undefined) return false;
    if (chunk.length === 0) return true;
    const room = this.opts.maxBytes - this.bytes;
    if (room <= 0) {
      this.stop = 'cap-bytes';
      return false;
    }
    const body = chunk.length > room ? chunk.subarray(0, room) : chunk;
    const offset = this.bytes;
    this.chunkIndex++;
    this.stats.chunk(atMs, body.length, offset);
    this.bytes += body.length;
    this.raw.add(body);
    this.frame(body, offset, atMs);
    if (this.stop === undefined && body.length < chunk.length) this.stop = 'cap-bytes';
    return this.stop === undefined;
  }

  /** The framing's turn: `body` (within the cap) starts at body offset `offset`; a cap it hits goes in `stop`. */
  protected abstract frame(body: Uint8Array, offset: number, atMs: number): void;

  abstract end(reason: StreamEnd, atMs: number): StreamRecord;
}
