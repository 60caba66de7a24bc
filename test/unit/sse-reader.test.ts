import { describe, expect, it } from 'vitest';
import { createStreamReader, readAll } from '../../src/sse/reader.js';
import type { StreamRecord } from '../../src/sse/types.js';

const bytes = (s: string) => new TextEncoder().encode(s);

/** What a page sees: [type, data, lastEventId] per dispatched event. */
const seen = (r: StreamRecord) => r.events.map((e) => [e.type, e.data, e.lastEventId]);

/** Feed `text` whole and one byte at a time; both must give the same browser-visible result. */
function both(input: string | Uint8Array): StreamRecord {
  const whole = readAll(input);
  const b = typeof input === 'string' ? bytes(input) : input;
  const reader = createStreamReader({ maxBytes: 1e6, maxEvents: 1e4, maxLineBytes: 1e5 });
  b.forEach((byte, i) => reader.push(Uint8Array.of(byte), i));
  const split = reader.end('closed', b.length);
  expect(seen(split)).toEqual(seen(whole));
  expect(split.leftover?.raw).toEqual(whole.leftover?.raw);
  expect(split.lastEventId).toBe(whole.lastEventId);
  return whole;
}

// Vectors for the browser's decoding and line rules (docs/browser-rules.md S-DEC-*, S-LINE-*), each fed whole and byte by byte.
const vectors: Array<[name: string, input: string, events: string[][]]> = [
  ['§9.2.6 S-LINE-1: a blank line dispatches', 'data: a\n\n', [['message', 'a', '']]],
  [
    '§9.2.6 S-DEC-4: bare CR and CRLF end lines',
    'data:a\r\rdata:b\r\n\r\n',
    [
      ['message', 'a', ''],
      ['message', 'b', ''],
    ],
  ],
  ['§9.2.5 S-DEC-1: one leading BOM is stripped', '\ufeffdata: a\n\n', [['message', 'a', '']]],
  ['§9.2.5 S-DEC-2: a second BOM is data, so the first field is unknown', '\ufeff\ufeffdata: a\n\ndata: b\n\n', [['message', 'b', '']]],
  [
    '§9.2.6 S-LINE-4: a field without colon has value ""',
    'data:\n\ndata\ndata\n\ndata:x\n\n',
    [
      ['message', '', ''],
      ['message', '\n', ''],
      ['message', 'x', ''],
    ],
  ],
  ['§9.2.6 S-LINE-3: exactly one leading space is removed', 'data:  x\n\n', [['message', ' x', '']]],
  ['§9.2.6 S-LINE-5: field names are case-sensitive and literal', 'Data: x\n\ndata : y\n\n', []],
  ['§9.2.6 S-LINE-2: comments are ignored, whatever follows', ':ping\n: hi\n\ndata: a\n\n', [['message', 'a', '']]],
  ['§9.2.6 S-DISP-1: event without data is not dispatched', 'event: done\n\n', []],
  ['§9.2.6 S-DISP-1: event with an empty data line is dispatched', 'event: done\ndata:\n\n', [['done', '', '']]],
  ['§9.2.6 S-EOF-1: a last block without blank line is discarded', 'data: {"type":"done"}\n', []],
  ['§9.2.6 S-EOF-1: a last line without newline is discarded', 'data: [DONE]', []],
  [
    '§9.2.6 S-DISP-4: the last event ID persists',
    'id: 1\ndata: a\n\ndata: b\n\n',
    [
      ['message', 'a', '1'],
      ['message', 'b', '1'],
    ],
  ],
  [
    '§9.2.6 S-FIELD-id: an empty id resets the last event ID',
    'id: 1\ndata: a\n\nid\ndata: b\n\n',
    [
      ['message', 'a', '1'],
      ['message', 'b', ''],
    ],
  ],
  ['§9.2.6 S-FIELD-id: an id containing NUL is ignored', 'id: 1\nid: x\0y\ndata: a\n\n', [['message', 'a', '1']]],
  ['§9.2.6 S-FIELD-data: data lines join with LF', 'data: a\ndata: b\n\n', [['message', 'a\nb', '']]],
  ['§9.2.6 S-FIELD-event: an empty event type means message', 'event:\ndata: a\n\n', [['message', 'a', '']]],
  ['§9.2.6 S-DISP-3: event: error is a MessageEvent named error', 'event: error\ndata: x\n\n', [['error', 'x', '']]],
  ['§9.2.6 S-DEC-7: NUL in data is kept', 'data:\0\n\n', [['message', '\0', '']]],
  [
    '§9.2.6 S-LINE-2: WPT comment vector',
    'data:1\r:\0\n:\r\ndata:2\n:' + 'x'.repeat(2049) + '\rdata:3\n:data:fail\r:' + 'x'.repeat(2049) + '\ndata:4\n\n',
    [['message', '1\n2\n3\n4', '']],
  ],
  [
    '§9.2.6 spec example: the last block is discarded',
    'data\n\ndata\ndata\n\ndata:',
    [
      ['message', '', ''],
      ['message', '\n', ''],
    ],
  ],
];

describe('reader: browser-visible events (HTML §9.2.5–§9.2.6)', () => {
  it.each(vectors)('%s', (_name, input, events) => {
    expect(seen(both(input))).toEqual(events);
  });

  it('§9.2.6 S-FIELD-retry: only digits set the reconnection time; others are reported', () => {
    const r = both('retry: 1500\nretry: 10x\nretry\ndata: a\n\n');
    expect(r.retryMs).toBe(1500);
    expect(r.events[0]?.retry).toBe(1500);
    expect(r.fieldProblems.map((p) => [p.kind, p.value])).toEqual([
      ['invalid-retry', '10x'],
      ['invalid-retry', ''],
    ]);
  });

  it('§9.2.6 dispatch step 1: an id-only block still sets the last event ID', () => {
    const r = both('data: a\n\nid: 7\n\ndata: b\n\n');
    expect(r.events.map((e) => [e.id, e.lastEventId])).toEqual([
      [undefined, ''],
      [undefined, '7'],
    ]);
  });

  it('§9.2.6 S-EOF-1: the id of a discarded last block never becomes lastEventId', () => {
    const r = both('retry:1000\ndata:test1\n\nid:test\ndata:test2');
    expect(r.lastEventId).toBe('');
    expect(r.leftover).toMatchObject({ hasData: true, raw: 'id:test\ndata:test2', complete: true });
  });

  it('§9.2.6 S-DISP-1: a block with event and no data is kept as undispatched, with its raw text', () => {
    const r = both('data: a\n\nid: 3\nevent: done\n\n');
    expect(r.undispatched).toEqual([{ type: 'done', id: '3', raw: 'id: 3\nevent: done\n\n', atMs: 0, offset: 9 }]);
    expect(r.lastEventId).toBe('3');
  });

  it('§9.2.5 S-DEC-3: a BOM split across chunks is stripped and recorded', () => {
    const r = both('\ufeffdata: a\n\n');
    expect(r.bom).toBe(true);
    expect(r.events[0]?.offset).toBe(3);
  });

  it('§9.2.5 S-DEC-6: invalid UTF-8 becomes U+FFFD as a browser decodes', () => {
    const input = Uint8Array.from([...bytes('data: a'), 0xff, 0xc3, 0x28, 0xe2, 0x82, ...bytes('\n\ndata: '), 0xe2, 0x82, 0xac, ...bytes('\n\n')]);
    expect(seen(both(input))).toEqual([
      ['message', 'a\ufffd\ufffd(\ufffd', ''],
      ['message', '€', ''],
    ]);
  });

  it('§9.2.5: an incomplete sequence at EOF does not disturb the record', () => {
    const r = both(Uint8Array.from([...bytes('data: a\n\ndata: '), 0xe2, 0x82]));
    expect(r.events).toHaveLength(1);
    expect(r.leftover?.hasData).toBe(true);
  });

  it('§9.2.6 S-DEC-5: CR at the end of a chunk and LF at the start of the next are one line ending', () => {
    const reader = createStreamReader({ maxBytes: 1e6, maxEvents: 100, maxLineBytes: 1e5 });
    for (const [i, part] of ['data: Hello\r', '\ndata: World\r', '\n\r\ndata: OK\r', '\n', '\r', '\n'].entries()) reader.push(bytes(part), i);
    expect(seen(reader.end('closed', 9))).toEqual([
      ['message', 'Hello\nWorld', ''],
      ['message', 'OK', ''],
    ]);
  });

  it('§9.2.6: a CR-terminated event is dispatched when its chunk arrives, not with the next one', () => {
    const reader = createStreamReader({ maxBytes: 1e6, maxEvents: 100, maxLineBytes: 1e5 });
    reader.push(bytes('data: a\r\r'), 10);
    reader.push(bytes('data: b\r\r'), 20);
    expect(reader.end('closed', 30).events.map((e) => [e.data, e.atMs])).toEqual([
      ['a', 10],
      ['b', 20],
    ]);
  });

  it('records arrival time, offset and chunk index per event, comments with time, chunk stats', () => {
    const reader = createStreamReader({ maxBytes: 1e6, maxEvents: 100, maxLineBytes: 1e5 });
    reader.push(bytes(': hi\n\ndata: a\n\nda'), 5);
    reader.push(bytes('ta: b\n\n'), 50);
    const r = reader.end('closed', 60);
    expect(r.events.map((e) => [e.data, e.atMs, e.offset, e.chunk])).toEqual([
      ['a', 5, 6, 0],
      ['b', 50, 15, 1],
    ]);
    expect(r.comments).toEqual([{ text: 'hi', atMs: 5 }]);
    expect(r.chunks).toMatchObject({
      count: 2,
      firstAtMs: 5,
      lastAtMs: 50,
      maxGapMs: 45,
      samples: [
        { atMs: 5, bytes: 17, offset: 0 },
        { atMs: 50, bytes: 7, offset: 17 },
      ],
    });
    expect(r.signals).toMatchObject({ count: 3, firstAtMs: 5, lastAtMs: 50, maxGapMs: 45, maxGapEndMs: 50 });
    expect(r.end).toEqual({ reason: 'closed', atMs: 60 });
  });

  it('keeps the head and tail of the raw stream as evidence, within keepRaw', () => {
    const body = `${'data: x\n\n'.repeat(20)}data: tail`;
    const r = readAll(body, { keepRaw: 16 });
    expect(r.raw.head).toBe(body.slice(0, 16));
    expect(r.raw.tail).toBe(body.slice(-16));
    expect(r.leftover).toMatchObject({ raw: 'data: tail', complete: true, bytes: 10 });
    const cut = readAll(`data: ${'y'.repeat(40)}`, { keepRaw: 16 });
    expect(cut.leftover).toMatchObject({ complete: false, bytes: 46 });
    expect(cut.leftover?.raw).toBe('y'.repeat(16));
  });

  it('end() is idempotent and push() after end() is refused', () => {
    const reader = createStreamReader({ maxBytes: 100, maxEvents: 10, maxLineBytes: 100 });
    reader.push(bytes('data: a\n\n'), 1);
    const first = reader.end('reset', 2);
    expect(reader.push(bytes('data: b\n\n'), 3)).toBe(false);
    expect(reader.end('closed', 4)).toBe(first);
    expect(first.end.reason).toBe('reset');
  });
});
