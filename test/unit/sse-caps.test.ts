import { describe, expect, it } from 'vitest';
import { createStreamReader } from '../../src/sse/reader.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('reader caps: an endless or hostile stream stops reading, memory stays bounded', () => {
  it('cap-bytes: reads up to maxBytes, then push() returns false', () => {
    const reader = createStreamReader({ maxBytes: 20, maxEvents: 100, maxLineBytes: 100 });
    expect(reader.push(bytes('data: a\n\n'), 1)).toBe(true); // 9 bytes
    expect(reader.push(bytes('data: b\n\ndata: c\n\n'), 2)).toBe(false); // only 11 more are read
    expect(reader.push(bytes('data: d\n\n'), 3)).toBe(false);
    const r = reader.end('aborted', 4);
    expect(r.bytes).toBe(20);
    expect(r.events.map((e) => e.data)).toEqual(['a', 'b']);
    expect(r.end).toEqual({ reason: 'cap-bytes', atMs: 4, requested: 'aborted' });
    expect(r.leftover).toMatchObject({ raw: 'da', hasData: false });
  });

  it('cap-events: keeps maxEvents events, stops at the next one', () => {
    const reader = createStreamReader({ maxBytes: 1e6, maxEvents: 3, maxLineBytes: 100 });
    expect(reader.push(bytes('data: 1\n\ndata: 2\n\ndata: 3\n\n'), 1)).toBe(true);
    expect(reader.push(bytes('data: 4\n\ndata: 5\n\n'), 2)).toBe(false);
    const r = reader.end('aborted', 3);
    expect(r.events.map((e) => e.data)).toEqual(['1', '2', '3']);
    expect(r.end.reason).toBe('cap-events');
    expect(r.parserMismatches).toBe(0);
  });

  it('cap-line: a line that never ends stops at maxLineBytes without buffering it (100 MB offered)', () => {
    const reader = createStreamReader({ maxBytes: 200 * 1024 * 1024, maxEvents: 100, maxLineBytes: 64 * 1024 });
    const chunk = new Uint8Array(16 * 1024).fill(0x78); // 'x', no newline
    expect(reader.push(bytes('data: ok\n\ndata: '), 0)).toBe(true);
    let pushed = 0;
    let t = 1;
    while (pushed < 100 * 1024 * 1024 && reader.push(chunk, t++)) pushed += chunk.length;
    expect(pushed).toBeLessThanOrEqual(64 * 1024);
    const r = reader.end('aborted', t);
    expect(r.end.reason).toBe('cap-line');
    expect(r.events.map((e) => e.data)).toEqual(['ok']);
    expect(r.leftover).toMatchObject({ hasData: true, complete: false });
    expect(r.leftover?.raw.length).toBeLessThanOrEqual(4096);
  });

  it('cap-line counts bytes of a line split over many chunks, CR-terminated lines reset it', () => {
    const reader = createStreamReader({ maxBytes: 1e6, maxEvents: 100, maxLineBytes: 10 });
    expect(reader.push(bytes('data: 1234'), 0)).toBe(true); // 10 bytes: at the cap, not over it
    expect(reader.push(bytes('\r\rdata: 5678\r\r'), 1)).toBe(true);
    expect(reader.push(bytes('data: 123'), 2)).toBe(true);
    expect(reader.push(bytes('45'), 3)).toBe(false);
    const r = reader.end('closed', 4);
    expect(r.end.reason).toBe('cap-line');
    expect(r.events.map((e) => e.data)).toEqual(['1234', '5678']);
  });

  it('keeps at most maxChunkSamples chunk samples and maxComments comments, counting all', () => {
    const reader = createStreamReader({ maxBytes: 1e6, maxEvents: 100, maxLineBytes: 100, maxChunkSamples: 2, maxComments: 1 });
    for (let i = 0; i < 5; i++) reader.push(bytes(': ping\n'), i * 1000);
    const r = reader.end('closed', 5000);
    expect(r.chunks).toMatchObject({ count: 5, maxGapMs: 1000 });
    expect(r.chunks.samples).toHaveLength(2);
    expect(r.comments).toHaveLength(1);
    expect(r.commentCount).toBe(5);
  });

  it('a cap set to 0 events stops at the first event', () => {
    const reader = createStreamReader({ maxBytes: 1e6, maxEvents: 0, maxLineBytes: 100 });
    expect(reader.push(bytes(': hello\n\ndata: x\n\n'), 0)).toBe(false);
    expect(reader.end('closed', 1)).toMatchObject({ events: [], commentCount: 1, end: { reason: 'cap-events' } });
  });
});
