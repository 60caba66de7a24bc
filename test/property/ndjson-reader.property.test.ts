/**
 * Properties of the NDJSON reader (src/sse/ndjson-reader.ts) over arbitrary bytes and chunkings:
 * it agrees with the obvious whole-body reading (decode, strip one BOM, split on LF, drop a CR
 * before each LF, whitespace-only lines are not events, the unterminated rest is the leftover),
 * never throws, and honours its caps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readChunked as readChunkedWith } from '../helpers/chunked.js';
import { createNdjsonReader } from '../../src/sse/ndjson-reader.js';
import type { StreamReaderOptions } from '../../src/sse/types.js';

fc.configureGlobal({ seed: Number(process.env.ZANTARA_FC_SEED ?? 20261127) });
const runs = (n: number) => n * Number(process.env.ZANTARA_FC_RUNS ?? 1);
const UNCAPPED: StreamReaderOptions = { maxBytes: 1e6, maxEvents: 1e5, maxLineBytes: 1e5 };

/** The whole-body reading every chunking must agree with. */
function reference(body: Uint8Array): { events: string[]; leftover?: string } {
  let start = 0;
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) start = 3;
  const lines: Uint8Array[] = [];
  let from = start;
  for (let i = start; i < body.length; i++) {
    if (body[i] === 10) {
      lines.push(body.subarray(from, i));
      from = i + 1;
    }
  }
  const decode = (b: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b[b.length - 1] === 13 ? b.subarray(0, -1) : b);
  const events = lines.map(decode).filter((t) => t.trim() !== '');
  const rest = decode(body.subarray(from));
  return { events, ...(from < body.length && rest.trim() !== '' && { leftover: rest }) };
}

function readChunked(body: Uint8Array, cuts: number[], opts: StreamReaderOptions = UNCAPPED) {
  return readChunkedWith(createNdjsonReader, body, cuts, opts);
}

const enc = (s: string) => new TextEncoder().encode(s);
/** Bodies made of NDJSON-ish pieces: JSON lines, CRLF, blank lines, BOMs, multi-byte text, junk bytes. */
const piece = fc.oneof(
  fc.jsonValue().map((v) => enc(`${JSON.stringify(v)}\n`)),
  fc.constantFrom(enc('\n'), enc('\r\n'), enc('  \n'), enc('\r'), enc('\ufeff'), enc('{"type":"done"}'), enc('ü😀'), Uint8Array.of(0xff, 0xc3)),
  fc.uint8Array({ maxLength: 12 }),
);
const body = fc.array(piece, { maxLength: 24 }).map((ps) => {
  const out = new Uint8Array(ps.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of ps) out.set(p, at), (at += p.length);
  return out;
});
const cuts = fc.array(fc.nat(), { maxLength: 12 });

describe('NDJSON reader properties', () => {
  it('any chunking gives the whole-body reading', () => {
    fc.assert(
      fc.property(body, cuts, (b, c) => {
        const { record } = readChunked(b, c);
        const ref = reference(b);
        expect(record.events.map((e) => e.data)).toEqual(ref.events);
        expect(record.leftover?.raw).toEqual(ref.leftover);
        expect(record.bytes).toBe(b.length);
      }),
      { numRuns: runs(400) },
    );
  });

  it('split at every byte boundary of one body gives the same events', () => {
    fc.assert(
      fc.property(body, (b) => {
        const whole = readChunked(b, []).record.events.map((e) => [e.data, e.offset]);
        for (let cut = 0; cut <= b.length; cut++) expect(readChunked(b, [cut]).record.events.map((e) => [e.data, e.offset])).toEqual(whole);
      }),
      { numRuns: runs(60) },
    );
  });

  it('caps hold under any chunking: never more bytes, events or line bytes than allowed, no resume after stop', () => {
    const caps = fc.record({ maxBytes: fc.integer({ min: 1, max: 200 }), maxEvents: fc.integer({ min: 1, max: 6 }), maxLineBytes: fc.integer({ min: 1, max: 40 }) });
    fc.assert(
      fc.property(body, cuts, caps, (b, c, opts) => {
        const { record, resumed } = readChunked(b, c, opts);
        expect(resumed).toBe(false);
        expect(record.bytes).toBeLessThanOrEqual(opts.maxBytes);
        expect(record.events.length).toBeLessThanOrEqual(opts.maxEvents);
        // Each wire byte decodes to at most one UTF-16 unit (an invalid byte is one U+FFFD).
        for (const e of record.events) expect(e.data.length).toBeLessThanOrEqual(opts.maxLineBytes);
      }),
      { numRuns: runs(300) },
    );
  });
});
