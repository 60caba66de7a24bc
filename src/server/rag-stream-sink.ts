/**
 * Where the answer's events are written. The clean sink writes each event as it is generated;
 * the faults `gzip` and `buffered` put the layers in between that production stacks add and
 * that hold events back (docs/browser-rules.md P-1, P-2).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import type { Faults } from './faults.js';
import { CONTENT_TYPES, framedSink, type StreamFormat } from './ndjson-framing.js';

export interface Sink {
  write(event: string): void;
  end(): void;
}

export function openSink(req: IncomingMessage, res: ServerResponse, faults: Faults, format: StreamFormat = 'sse'): Sink {
  return framedSink(openWireSink(req, res, faults, format), format);
}

function openWireSink(req: IncomingMessage, res: ServerResponse, faults: Faults, format: StreamFormat): Sink {
  const headers: Record<string, string> = {
    'content-type': faults.has('wrong-content-type') ? 'text/plain; charset=utf-8' : CONTENT_TYPES[format],
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  };
  if (!faults.has('no-cache-header')) headers['cache-control'] = 'no-cache';
  // As CORSMiddleware left out of the streaming route (or a proxy stripping it).
  if (faults.has('stream-no-cors')) res.removeHeader('access-control-allow-origin');
  const gzip = faults.has('gzip') && /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) return gzipSink(res, headers);
  res.writeHead(200, headers);
  if (faults.has('buffered')) return bufferedSink(res);
  return { write: (e) => void res.write(e), end: () => void res.end() };
}

/** Compression middleware without a flush per event: the compressor holds everything until the end. */
function gzipSink(res: ServerResponse, headers: Record<string, string>): Sink {
  res.writeHead(200, { ...headers, 'content-encoding': 'gzip', vary: 'Origin, Accept-Encoding' });
  const gz = createGzip();
  gz.on('error', () => res.destroy());
  gz.pipe(res);
  res.once('close', () => gz.destroy());
  return { write: (e) => void gz.write(e), end: () => void gz.end() };
}

/** A buffering proxy: headers pass at once, the body only when the upstream response is complete. */
function bufferedSink(res: ServerResponse): Sink {
  res.flushHeaders();
  const held: string[] = [];
  return { write: (e) => void held.push(e), end: () => void res.end(held.join('')) };
}
