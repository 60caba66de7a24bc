/**
 * Properties of the push reader (src/sse/reader.ts) over arbitrary bytes and arbitrary chunkings:
 * it agrees with eventsource-parser fed the whole input at once, never throws, and honours its caps.
 *
 * The reference is eventsource-parser given the input decoded as a browser decodes it (HTML
 * §9.2.5), with two normalisations for the two places the bare parser and a browser part ways
 * (both documented in src/sse/text.ts and src/sse/reader.ts, and pinned by test/unit/sse-split.test.ts):
 *  - BOM: the body is decoded with TextDecoder's default, which strips one leading U+FEFF as
 *    §9.2.5 does (the bare parser does not); and the parser is first fed "" so its own quirk,
 *    stripping a Latin-1 "ï»¿" from its first chunk, never fires (a browser keeps those characters).
 *  - trailing CR: the bare parser holds a final CR waiting for a possible LF, so at EOF the line it
 *    ends is lost; a browser ends the line at the CR. A text ending in CR gets an LF appended
 *    (CRLF is the same single line end), which is exactly the browser's reading.
 * Nothing else is normalised: every other byte sequence must give identical events.
 */
import fc from 'fast-check';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { readChunked as readChunkedWith } from '../helpers/chunked.js';
import { createStreamReader, readAll } from '../../src/sse/reader.js';
import type { StreamReaderOptions, StreamRecord } from '../../src/sse/types.js';

// Deterministic in CI: a fixed seed unless ZANTARA_FC_SEED is given; ZANTARA_FC_RUNS multiplies the
// runs for a longer local search (e.g. ZANTARA_FC_SEED=$RANDOM ZANTARA_FC_RUNS=50).
fc.configureGlobal({ seed: Number(process.env.ZANTARA_FC_SEED ?? 20261124) });
const runs = (n: number) => n * Number(process.env.ZANTARA_FC_RUNS ?? 1);

type Triple = [type: string, data: string, id: string | undefined];

const UNCAPPED: StreamReaderOptions = { maxBytes: 1e6, maxEvents: 1e5, maxLineBytes: 1e5 };

/** eventsource-parser on the whole input, decoded and normalised as described above. */
function reference(body: Uint8Array): Triple[] {
  let text = new TextDecoder('utf-8').decode(body); // default ignoreBOM: false strips one U+FEFF (§9.2.5)
  if (text.endsWith('\r')) text += '\n';
  const out: Triple[] = [];
  const parser = createParser({ onEvent: (m) => out.push([m.event ?? 'message', m.data, m.id]) });
  parser.feed('');
  parser.feed(text);
  return out;
}

const triples = (r: StreamRecord): Triple[] => r.events.map((e) => [e.type, e.data, e.id]);

/** Feed `body` cut at `cuts`; returns the record and whether push() ever said "go on" after "stop". */
function readChunked(body: Uint8Array, cuts: number[], opts: StreamReaderOptions = UNCAPPED) {
  return readChunkedWith(createStreamReader, body, cuts, opts);
}

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...b: number[]) => Uint8Array.from(b);
// Invalid UTF-8: a stray continuation byte, 0xFF, a truncated sequence, an overlong '/', an encoded
// surrogate, half an emoji. A browser decodes each to U+FFFD.
const INVALID = [bytes(0x80), bytes(0xff), bytes(0xe2, 0x82), bytes(0xc0, 0xaf), bytes(0xed, 0xa0, 0x80), bytes(0xf0, 0x9f)];
// What can start a body: nothing, a BOM, a BOM twice, half a BOM, or the Latin-1 "ï»¿" (C3 AF C2 BB C2 BF).
const START = [new Uint8Array(0), bytes(0xef, 0xbb, 0xbf), bytes(0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf), bytes(0xef, 0xbb), enc('\u00ef\u00bb\u00bf')];
const FIELD = ['data:', 'data: ', 'data', 'event:', 'event: ', 'id:', 'id: ', 'id', 'retry:', 'retry: ', ':', ': ', 'dat', 'x:', ''].map(enc);
const VALUE = [...['', 'x', ' ', ':', '7', '100', 'done', '{"type":"done","data":null}', '[DONE]', 'é', '€', '😀', '\0', 'a\0b', '\u00ef\u00bb\u00bf'].map(enc), ...INVALID];
const EOL = ['\n', '\n', '\r\n', '\r', '\n\n', '\r\n\r\n', '\r\r', ''].map(enc);

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** SSE-shaped lines (field, value pieces, line end) with every hostile byte mixed in; finds the interesting cases. */
const sseLine = fc.tuple(fc.constantFrom(...FIELD), fc.array(fc.constantFrom(...VALUE), { maxLength: 3 }), fc.constantFrom(...EOL)).map(([f, v, e]) => concat([f, ...v, e]));
const sseBytes = fc.tuple(fc.constantFrom(...START), fc.array(sseLine, { maxLength: 16 })).map(([start, lines]) => concat([start, ...lines]));
/** Plus plain random bytes, and random bytes dense in line feeds. */
const anyBytes = fc.oneof(
  { arbitrary: sseBytes, weight: 3 },
  { arbitrary: fc.uint8Array({ maxLength: 300 }), weight: 1 },
  { arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => b.map((x) => (x % 4 === 0 ? 10 : x))), weight: 1 },
);
const cuts = fc.array(fc.nat(), { maxLength: 40 });

describe('reader vs eventsource-parser, any bytes, any chunks (§9.2.5–§9.2.6)', () => {
  it('yields the same events as eventsource-parser fed the whole (normalised) input', () => {
    fc.assert(
      fc.property(anyBytes, cuts, (body, at) => {
        const { record } = readChunked(body, at);
        expect(triples(record)).toEqual(reference(body));
        expect(record.parserMismatches).toBe(0);
      }),
      { numRuns: runs(600) },
    );
  });

  it('the whole record (not only events) is independent of the chunking', () => {
    fc.assert(
      fc.property(anyBytes, cuts, (body, at) => {
        const whole = readAll(body, UNCAPPED);
        const { record } = readChunked(body, at);
        const view = (r: StreamRecord) => ({
          events: r.events.map(({ type, data, id, lastEventId, retry, offset }) => ({ type, data, id, lastEventId, retry, offset })),
          undispatched: r.undispatched.map(({ type, id, raw, offset }) => ({ type, id, raw, offset })),
          leftover: r.leftover,
          // As a multiset: within one read chunk the parser reports unknown fields before the scanner
          // reports invalid retries, so their relative order follows the chunking (known, harmless).
          problems: r.fieldProblems.map(({ kind, field, value }) => JSON.stringify([kind, field, value])).sort(),
          comments: r.comments.map((c) => c.text),
          lastEventId: r.lastEventId,
          retryMs: r.retryMs,
          bom: r.bom,
          bytes: r.bytes,
        });
        expect(view(record)).toEqual(view(whole));
      }),
      { numRuns: runs(400) },
    );
  });

  it('§9.2.6: a lastEventId never contains U+0000, and an id with U+0000 never replaces the previous one', () => {
    fc.assert(
      fc.property(anyBytes, cuts, (body, at) => {
        const { record } = readChunked(body, at);
        for (const e of record.events) {
          expect(e.lastEventId).not.toContain('\0');
          expect(e.id ?? '').not.toContain('\0');
        }
        expect(record.lastEventId).not.toContain('\0');
      }),
      { numRuns: runs(300) },
    );
  });
});

/** The longest line in bytes, as the reader counts it: a leading BOM is not line content. */
function longestLine(body: Uint8Array): number {
  const start = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  let longest = 0;
  let run = 0;
  for (let i = start; i < body.length; i++) {
    if (body[i] === 10 || body[i] === 13) run = 0;
    else longest = Math.max(longest, ++run);
  }
  return longest;
}

describe('caps: any bytes, any chunks, any limits', () => {
  const caps = fc.record({
    maxBytes: fc.integer({ min: 0, max: 400 }),
    maxEvents: fc.integer({ min: 0, max: 8 }),
    maxLineBytes: fc.integer({ min: 1, max: 40 }),
    keepRaw: fc.integer({ min: 0, max: 64 }),
    maxComments: fc.integer({ min: 0, max: 3 }),
  });

  it('never throws; bytes, events, comments and raw evidence stay within their caps; a stop is final', () => {
    fc.assert(
      fc.property(anyBytes, cuts, caps, (body, at, opts) => {
        const { record, resumed } = readChunked(body, at, opts);
        expect(resumed).toBe(false);
        expect(record.bytes).toBeLessThanOrEqual(opts.maxBytes);
        expect(record.events.length).toBeLessThanOrEqual(opts.maxEvents);
        expect(record.comments.length).toBeLessThanOrEqual(opts.maxComments);
        expect(new TextEncoder().encode(record.raw.head).length).toBeLessThanOrEqual(opts.keepRaw * 3); // U+FFFD is 3 bytes for 1
        expect(record.parserMismatches).toBe(0);
      }),
      { numRuns: runs(600) },
    );
  });

  it('a capped read keeps a prefix of the uncapped events, the same whatever the chunking; uncapped it keeps them all', () => {
    fc.assert(
      fc.property(anyBytes, cuts, caps, (body, at, opts) => {
        const full = reference(body);
        const capped = readChunked(body, at, opts).record;
        const again = readChunked(body, [], opts).record;
        expect(triples(capped)).toEqual(full.slice(0, capped.events.length));
        expect(triples(capped)).toEqual(triples(again));
        expect(capped.end.reason).toBe(again.end.reason);
        if (!capped.end.reason.startsWith('cap-')) expect(triples(capped)).toEqual(full);
      }),
      { numRuns: runs(600) },
    );
  });

  it('cap-line fires only for a line longer than maxLineBytes, and a line that long never goes unnoticed', () => {
    fc.assert(
      fc.property(anyBytes, cuts, fc.integer({ min: 1, max: 40 }), (body, at, maxLineBytes) => {
        // Known gap: a body that is only a BOM prefix (EF, or EF BB) becomes line content at end(),
        // after the caps were checked, so a 1–2 byte line there is never reported as cap-line.
        fc.pre(!(body.length < 3 && body[0] === 0xef && (body.length === 1 || body[1] === 0xbb)));
        const { record } = readChunked(body, at, { ...UNCAPPED, maxLineBytes });
        expect(record.end.reason === 'cap-line').toBe(longestLine(body) > maxLineBytes);
      }),
      { numRuns: runs(600) },
    );
  });
});
