/**
 * Content-Encoding of a stream body, undone as a browser would before the SSE parser sees it
 * (Fetch decodes the body first; HTML §9.2.5 then decodes UTF-8). zlib works off the main
 * thread, so output comes later than input: each output piece carries the arrival time of the
 * latest compressed chunk, which is at worst a little late, never early.
 */
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';

/** What the probe sends as Accept-Encoding: a browser's list minus zstd, which Node 20's zlib cannot decode. */
export const ACCEPT_ENCODING = 'gzip, deflate, br';

export interface BodyDecoder {
  /** The coding being undone, e.g. `gzip`. */
  readonly coding: string;
  write(chunk: Uint8Array, atMs: number): void;
  /** Flush what is left; resolves when all output was delivered (or decoding failed). */
  finish(): Promise<void>;
  /** Stop: no more output is delivered. */
  stop(): void;
  /** Why decoding failed, e.g. a stream cut mid-member ("unexpected end of file"). */
  readonly error: string | undefined;
  readonly compressedBytes: number;
}

type Sink = (chunk: Uint8Array, atMs: number) => void;

/** A decoder for the response's Content-Encoding, or undefined when the body is not encoded (or in a coding we cannot undo). */
export function bodyDecoder(contentEncoding: string | undefined, sink: Sink, finishGuardMs = 2000): BodyDecoder | undefined {
  const coding = (contentEncoding ?? '').trim().toLowerCase();
  const make = coding === 'gzip' || coding === 'x-gzip' ? createGunzip : coding === 'deflate' ? createInflate : coding === 'br' ? createBrotliDecompress : undefined;
  return make ? new ZlibDecoder(coding, make(), sink, finishGuardMs) : undefined;
}

class ZlibDecoder implements BodyDecoder {
  error: string | undefined;
  compressedBytes = 0;
  private lastAt = 0;
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(
    readonly coding: string,
    private readonly stream: Gunzip | ReturnType<typeof createInflate> | ReturnType<typeof createBrotliDecompress>,
    sink: Sink,
    private readonly guardMs: number,
  ) {
    stream.on('data', (out: Buffer) => {
      if (!this.stopped) sink(out, this.lastAt);
    });
    this.done = new Promise<void>((resolve) => {
      stream.once('end', resolve);
      stream.once('close', resolve);
      stream.once('error', (err: Error) => {
        this.error = err.message;
        resolve();
      });
    });
  }

  write(chunk: Uint8Array, atMs: number): void {
    if (this.stopped || this.error) return;
    this.lastAt = atMs;
    this.compressedBytes += chunk.length;
    this.stream.write(chunk);
  }

  async finish(): Promise<void> {
    if (!this.stopped) this.stream.end();
    // Decompressing what is already here is local work, but nothing may hang: a guard ends the wait.
    let guard: NodeJS.Timeout | undefined;
    await Promise.race([this.done, new Promise<void>((r) => (guard = setTimeout(r, this.guardMs)))]);
    clearTimeout(guard);
    this.stop();
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stream.destroy();
  }
}
