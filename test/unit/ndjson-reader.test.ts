import { describe, expect, it } from 'vitest';
import { createNdjsonReader, readAllNdjson } from '../../src/sse/ndjson-reader.js';
import type { StreamReaderOptions, StreamRecord } from '../../src/sse/types.js';

const enc = (s: string) => new TextEncoder().encode(s);
const UNCAPPED: StreamReaderOptions = { maxBytes: 1e6, maxEvents: 1e5, maxLineBytes: 1e5 };
const data = (r: StreamRecord) => r.events.map((e) => e.data);

/** Feed every split of `body` into two chunks; each must give the record of the whole. */
function everySplit(body: string, opts: StreamReaderOptions = UNCAPPED): StreamRecord[] {
  const bytes = enc(body);
  return Array.from({ length: bytes.length + 1 }, (_, cut) => {
    const r = createNdjsonReader(opts);
    r.push(bytes.subarray(0, cut), 1);
    r.push(bytes.subarray(cut), 2);
    return r.end('closed', 3);
  });
}

describe('NDJSON framing', () => {
  it('one event of type message per LF-terminated line, offsets and chunks kept', () => {
    const r = readAllNdjson('{"type":"token","data":"a"}\n{"type":"done"}\n');
    expect(r.framing).toBe('ndjson');
    expect(data(r)).toEqual(['{"type":"token","data":"a"}', '{"type":"done"}']);
    expect(r.events.map((e) => [e.type, e.offset])).toEqual([
      ['message', 0],
      ['message', 28],
    ]);
    expect(r.leftover).toBeUndefined();
  });

  it('CRLF is one line end (JSON Lines); a bare CR is not', () => {
    expect(data(readAllNdjson('{"a":1}\r\n{"b":2}\r\n'))).toEqual(['{"a":1}', '{"b":2}']);
    expect(data(readAllNdjson('{"a":1}\r{"b":2}\n'))).toEqual(['{"a":1}\r{"b":2}']);
  });

  it('whitespace-only lines are heartbeats, not events', () => {
    const r = readAllNdjson('\n{"a":1}\n  \n\n{"b":2}\n');
    expect(data(r)).toEqual(['{"a":1}', '{"b":2}']);
    expect(r.commentCount).toBe(3);
    expect(r.signals.count).toBe(5);
  });

  it('a partial last line is the leftover a split-on-newline reader drops', () => {
    const r = readAllNdjson('{"a":1}\n{"type":"done"}');
    expect(data(r)).toEqual(['{"a":1}']);
    expect(r.leftover).toMatchObject({ raw: '{"type":"done"}', hasData: true, complete: true, bytes: 15 });
  });

  it('a non-JSON line is still framed (the rules judge it)', () => {
    expect(data(readAllNdjson("{'type': 'token'}\n"))).toEqual(["{'type': 'token'}"]);
  });

  it('one leading BOM is stripped, even split across chunks; a later one is data', () => {
    const bom = '\ufeff';
    for (const r of everySplit(`${bom}{"a":1}\n${bom}{"b":2}\n`)) {
      expect(r.bom).toBe(true);
      expect(data(r)).toEqual(['{"a":1}', `${bom}{"b":2}`]);
    }
  });

  it('multi-byte characters split at every byte boundary decode intact', () => {
    const body = '{"t":"ünï😀"}\n{"t":"€"}\n';
    for (const r of everySplit(body)) expect(data(r)).toEqual(['{"t":"ünï😀"}', '{"t":"€"}']);
  });

  it('every two-chunk split gives the same events and leftover as the whole', () => {
    const body = '{"type":"metadata"}\r\n\n{"type":"token","data":"x"}\n  \n{"type":"done"}';
    const whole = readAllNdjson(body);
    for (const r of everySplit(body)) {
      expect(data(r)).toEqual(data(whole));
      expect(r.events.map((e) => e.offset)).toEqual(whole.events.map((e) => e.offset));
      expect(r.leftover?.raw).toBe(whole.leftover?.raw);
      expect(r.commentCount).toBe(whole.commentCount);
    }
  });

  it('arrival time is the time of the chunk holding the LF', () => {
    const r = createNdjsonReader(UNCAPPED);
    r.push(enc('{"a":'), 10);
    r.push(enc('1}\n{"b"'), 25);
    r.push(enc(':2}\n'), 40);
    expect(r.end('closed', 50).events.map((e) => [e.atMs, e.chunk])).toEqual([
      [25, 1],
      [40, 2],
    ]);
  });

  it('onEvent sees each event as it is recorded', () => {
    const seen: string[] = [];
    const r = createNdjsonReader({ ...UNCAPPED, onEvent: (e) => seen.push(e.data) });
    r.push(enc('{"a":1}\n{"b":2}\n{"c"'), 0);
    expect(seen).toEqual(['{"a":1}', '{"b":2}']);
  });
});

describe('NDJSON caps', () => {
  it('a line over maxLineBytes stops reading (cap-line) without buffering the rest', () => {
    const r = createNdjsonReader({ ...UNCAPPED, maxLineBytes: 16 });
    expect(r.push(enc('{"a":1}\n'), 0)).toBe(true);
    expect(r.push(enc(`{"long":"${'x'.repeat(40)}`), 1)).toBe(false);
    expect(r.push(enc('"}\n'), 2)).toBe(false);
    const rec = r.end('closed', 3);
    expect(rec.end).toEqual({ reason: 'cap-line', atMs: 3, requested: 'closed' });
    expect(data(rec)).toEqual(['{"a":1}']);
    expect(rec.leftover).toBeUndefined();
  });

  it('a line of exactly maxLineBytes (CR included, LF not) is read', () => {
    const line = `{"a":"${'x'.repeat(8)}"}`; // 16 bytes
    expect(data(readAllNdjson(`${line}\n`, { maxLineBytes: 16 }))).toEqual([line]);
    expect(readAllNdjson(`${line}\r\n`, { maxLineBytes: 16 }).end.reason).toBe('cap-line');
  });

  it('maxEvents: one more event stops reading (cap-events)', () => {
    const r = readAllNdjson('{"a":1}\n{"a":2}\n{"a":3}\n', { maxEvents: 2 });
    expect(data(r)).toEqual(['{"a":1}', '{"a":2}']);
    expect(r.end.reason).toBe('cap-events');
  });

  it('maxBytes: reading stops at the byte cap, the cut line is a partial leftover', () => {
    const reader = createNdjsonReader({ ...UNCAPPED, maxBytes: 12 });
    expect(reader.push(enc('{"a":1}\n{"b":2}\n'), 0)).toBe(false);
    const r = reader.end('closed', 1);
    expect(r.bytes).toBe(12);
    expect(r.end.reason).toBe('cap-bytes');
    expect(data(r)).toEqual(['{"a":1}']);
    expect(r.leftover?.raw).toBe('{"b"');
  });

  it('after end() pushes are refused and end() is idempotent', () => {
    const reader = createNdjsonReader(UNCAPPED);
    reader.push(enc('{"a":1}\n'), 0);
    const first = reader.end('reset', 5);
    expect(reader.push(enc('{"b":2}\n'), 6)).toBe(false);
    expect(reader.end('closed', 9)).toBe(first);
    expect(first.end.reason).toBe('reset');
  });
});
