/**
 * The load engine's lean framer (src/sse/framer.ts) dispatches exactly the events the stream
 * check's readers record (reader.ts, ndjson-reader.ts) on the same chunks, in both framings: the
 * cases where a line splitter and a reader most easily part ways.
 */
import { describe, expect, it } from 'vitest';
import { createEventFramer, type Framing } from '../../src/sse/framer.js';
import { createNdjsonReader } from '../../src/sse/ndjson-reader.js';
import { DEFAULT_READER_OPTIONS } from '../../src/sse/capped-reader.js';
import { createStreamReader } from '../../src/sse/reader.js';

type Chunk = string | Uint8Array;
const bytes = (c: Chunk) => (typeof c === 'string' ? new TextEncoder().encode(c) : c);

function readerEvents(framing: Framing, chunks: Chunk[]): Array<[string, string]> {
  const reader = (framing === 'ndjson' ? createNdjsonReader : createStreamReader)(DEFAULT_READER_OPTIONS);
  for (const c of chunks) reader.push(bytes(c), 0);
  return reader.end('closed', 0).events.map((e) => [e.type, e.data]);
}

function framerEvents(framing: Framing, chunks: Chunk[], maxLineChars = 1024): { events: Array<[string, string]>; overflow: boolean } {
  const events: Array<[string, string]> = [];
  let overflow = false;
  const framer = createEventFramer(framing, { event: (m) => events.push([m.event ?? 'message', m.data]), overflow: () => (overflow = true) }, maxLineChars);
  // A reused framer: a first body's leftovers must not leak into the next.
  framer.feed(bytes('{"half": '));
  framer.reset();
  for (const c of chunks) framer.feed(bytes(c));
  return { events, overflow };
}

const NDJSON: Array<[string, Chunk[]]> = [
  ['one line per chunk', ['{"type":"token","data":"Bali"}\n', '{"type":"done"}\n']],
  ['lines split across chunks', ['{"type":"tok', 'en","data":"a"}\n{"ty', 'pe":"done"}\n']],
  ['CRLF, the CR at the end of one chunk and the LF in the next', ['{"a":1}\r', '\n{"b":2}\r\n']],
  ['a bare CR inside a line is no line end', ['{"a":"x\ry"}\n']],
  ['whitespace-only lines are heartbeats, not events', ['\n  \n{"a":1}\n\t\r\n']],
  ['a leading BOM is stripped once', [new Uint8Array([0xef, 0xbb, 0xbf]), '{"a":1}\n\uFEFF{"b":2}\n']],
  ['a multi-byte character split across chunks', [new Uint8Array([0x7b, 0x22, 0xc3]), new Uint8Array([0xa9, 0x22, 0x7d, 0x0a])]],
  ['invalid UTF-8 decodes as U+FFFD', [new Uint8Array([0x7b, 0xff, 0x7d, 0x0a])]],
  ['the line pending at the end of the body is no event', ['{"a":1}\n{"type":"done"}']],
  ['not JSON is still an event (the rules judge it)', ['data: [DONE]\n']],
];

const SSE: Array<[string, Chunk[]]> = [
  ['LF blocks', ['data: {"type":"token"}\n\ndata: {"type":"done"}\n\n']],
  ['CR-only endings, the chunk ending in CR', ['data: a\r\r', 'data: b\r\r']],
  ['named event and multi-line data', ['event: done\ndata: x\ndata: y\n\n']],
  ['an unterminated block is discarded', ['data: a\n\ndata: b']],
];

describe('the load framer and the stream readers see the same events', () => {
  it.each(NDJSON)('ndjson: %s', (_name, chunks) => {
    const { events, overflow } = framerEvents('ndjson', chunks);
    expect(overflow).toBe(false);
    expect(events).toEqual(readerEvents('ndjson', chunks));
  });

  it.each(SSE)('sse: %s', (_name, chunks) => {
    expect(framerEvents('sse', chunks).events).toEqual(readerEvents('sse', chunks));
  });

  it('an NDJSON line over the cap is an overflow, in one chunk or across many, and nothing after it is an event', () => {
    expect(framerEvents('ndjson', [`{"a":"${'x'.repeat(40)}"}\n{"b":1}\n`], 20)).toEqual({ events: [], overflow: true });
    expect(framerEvents('ndjson', ['{"ok":1}\n', 'y'.repeat(15), 'y'.repeat(15), '\n{"b":1}\n'], 20)).toEqual({ events: [['message', '{"ok":1}']], overflow: true });
  });

  it('an SSE event over the cap is an overflow', () => {
    expect(framerEvents('sse', [`data: ${'x'.repeat(100)}`], 20).overflow).toBe(true);
  });
});
