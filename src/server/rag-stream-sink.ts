/**
 * Where the answer's events go, and how they are framed. A body is anything with write/end: the
 * clean stream writes to the response itself (each event as it is generated); the faults `gzip`
 * and `buffered` put the layers in between that production stacks add and that hold events back
 * (docs/browser-rules.md P-1, P-2). Framing is separate (SSE here; NDJSON in ndjson-framing.ts), so
 * another framing of the same paced answer only brings its own `Framing`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import type { Faults } from './faults.js';
import { STAMP_FIELD, type PreparedEvent } from './rag-answer.js';

export interface Body {
  write(text: string): unknown;
  end(): unknown;
}

/** One event as wire text: its position, the prepared event, its generation time (ms since the epoch). */
export type Framing = (index: number, e: PreparedEvent, t: number) => string;

/** SSE: `id:` the 1-based position, `data:` the JSON with the stamp appended (HTML §9.2). */
export const sseFrame: Framing = (index, e, t) => (e.stamped ? `id: ${index + 1}\ndata: ${e.head},"${STAMP_FIELD}":${t}}\n\n` : `id: ${index + 1}\ndata: ${e.head}\n\n`);

/**
 * The head of a 200 event stream, as one flat array per server and origin verdict: writeHead with
 * an array and no setHeader before keeps no header map per response (a held stream costs less).
 * `contentType` is the framing's (NDJSON brings its own); fault wrong-content-type overrides both.
 */
export function sseHeads(faults: Faults, base: (allowed: boolean) => string[], contentType = 'text/event-stream; charset=utf-8'): (allowed: boolean) => string[] {
  const sse = ['content-type', faults.has('wrong-content-type') ? 'text/plain; charset=utf-8' : contentType, 'connection', 'keep-alive', 'x-accel-buffering', 'no'];
  if (!faults.has('no-cache-header')) sse.push('cache-control', 'no-cache');
  // As CORSMiddleware left out of the streaming route (or a proxy stripping it).
  const cors = !faults.has('stream-no-cors');
  const heads = [false, true].map((allowed) => [...base(allowed && cors), ...sse]);
  return (allowed) => heads[allowed ? 1 : 0] as string[];
}

/** Send the head and return the body the events go to. */
export function openBody(req: IncomingMessage, res: ServerResponse, head: string[], faults: Faults): Body {
  if ((faults.has('gzip') || faults.has('gzip-ignore-disconnect')) && /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''))) return gzipBody(res, head);
  res.writeHead(200, head);
  if (faults.has('buffered')) {
    res.flushHeaders();
    return new HeldBody(res);
  }
  return res;
}

/** Compression middleware without a flush per event: the compressor holds everything until the end. */
function gzipBody(res: ServerResponse, head: string[]): Body {
  const vary = head.indexOf('vary');
  const headers = [...head, 'content-encoding', 'gzip'];
  if (vary >= 0) headers[vary + 1] = 'Origin, Accept-Encoding';
  res.writeHead(200, headers);
  const gz = createGzip();
  gz.on('error', () => res.destroy());
  gz.pipe(res);
  res.once('close', () => gz.destroy());
  return gz;
}

/** A buffering proxy: headers pass at once, the body only when the upstream response is complete. */
class HeldBody implements Body {
  private readonly held: string[] = [];
  constructor(private readonly res: ServerResponse) {}
  write(text: string): void {
    this.held.push(text);
  }
  end(): void {
    this.res.end(this.held.join(''));
  }
}
