import { readFileSync, readdirSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { createStreamReader, readAll } from '../../src/sse/reader.js';
import type { StreamRecord } from '../../src/sse/types.js';

const DIR = new URL('../../fixtures/streams/', import.meta.url);
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.sse'))
  .sort();
const load = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR)));
const OPTS = { maxBytes: 1e6, maxEvents: 1e4, maxLineBytes: 1e5 };

/** Everything in a record that must not depend on how the body was cut into chunks. */
function view(r: StreamRecord) {
  return {
    events: r.events.map(({ type, data, id, lastEventId, retry, offset }) => ({ type, data, id, lastEventId, retry, offset })),
    undispatched: r.undispatched.map(({ type, id, raw, offset }) => ({ type, id, raw, offset })),
    leftover: r.leftover,
    problems: r.fieldProblems.map(({ kind, field, value }) => [kind, field, value]),
    comments: r.comments.map((c) => c.text),
    lastEventId: r.lastEventId,
    retryMs: r.retryMs,
    bom: r.bom,
    bytes: r.bytes,
    parserMismatches: r.parserMismatches,
  };
}

function readChunks(body: Uint8Array, cuts: number[]): StreamRecord {
  const reader = createStreamReader(OPTS);
  let from = 0;
  for (const [i, cut] of [...cuts, body.length].entries()) {
    reader.push(body.subarray(from, cut), i);
    from = cut;
  }
  return reader.end('closed', cuts.length + 1);
}

/** A small deterministic PRNG (mulberry32), so "random" chunkings are the same on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomCuts(length: number, rand: () => number): number[] {
  const cuts: number[] = [];
  for (let at = 1 + Math.floor(rand() * 8); at < length; at += 1 + Math.floor(rand() * 12)) cuts.push(at);
  return cuts;
}

describe.each(fixtures)('fixture %s', (name) => {
  const body = load(name);
  const whole = view(readAll(body));

  it('§9.2.6: the parser and the browser rules agree on every dispatch', () => {
    expect(whole.parserMismatches).toBe(0);
  });

  it('§9.2.5–§9.2.6: split at every byte boundary, the events are identical', () => {
    for (let cut = 1; cut < body.length; cut++) expect(view(readChunks(body, [cut])), `cut at ${cut}`).toEqual(whole);
  });

  it('§9.2.5–§9.2.6: fed one byte at a time, the events are identical', () => {
    expect(
      view(
        readChunks(
          body,
          Array.from({ length: body.length - 1 }, (_, i) => i + 1),
        ),
      ),
    ).toEqual(whole);
  });

  it('§9.2.5–§9.2.6: in 50 seeded random chunkings, the events are identical', () => {
    const rand = prng(name.length * 7919);
    for (let run = 0; run < 50; run++) {
      const cuts = randomCuts(body.length, rand);
      expect(view(readChunks(body, cuts)), `cuts ${cuts.join(',')}`).toEqual(whole);
    }
  });
});

describe('raw evidence survives any chunking (a 32-byte budget, so the ring wraps)', () => {
  const text = (b: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(b);
  it.each(fixtures)('%s', (name) => {
    const body = load(name);
    const rand = prng(body.length);
    for (let run = 0; run < 20; run++) {
      const reader = createStreamReader({ ...OPTS, keepRaw: 32 });
      let from = 0;
      for (const cut of [...randomCuts(body.length, rand), body.length]) {
        reader.push(body.subarray(from, cut), 0);
        from = cut;
      }
      const r = reader.end('closed', 1);
      expect(r.raw.head).toBe(text(body.subarray(0, 32)));
      expect(r.raw.tail).toBe(body.length > 32 ? text(body.subarray(body.length - 32)) : undefined);
      if (r.leftover) expect(r.leftover.raw).toBe(text(body.subarray(Math.max(body.length - r.leftover.bytes, body.length - 32))));
    }
  });
});

/** eventsource-parser alone on the whole decoded body: [type, data, id] per event. */
function bareParser(body: Uint8Array): Array<[string, string, string | undefined]> {
  const out: Array<[string, string, string | undefined]> = [];
  const parser = createParser({ onEvent: (e) => out.push([e.event ?? 'message', e.data, e.id]) });
  parser.feed(new TextDecoder().decode(body));
  return out;
}

// Where eventsource-parser alone and a browser part ways; the reader follows the browser.
const DIVERGENT: Record<string, string> = {
  'cr-only.sse': 'a trailing CR is held until more input arrives, so the last CR-terminated event (done) is lost at EOF',
  'mixed-line-endings.sse': 'same: the body ends CRLF then CR, and the final CR is held',
};

describe('reader vs eventsource-parser on the whole input', () => {
  it.each(fixtures.filter((f) => !(f in DIVERGENT)))('%s: same events', (name) => {
    const body = load(name);
    expect(readAll(body).events.map((e) => [e.type, e.data, e.id])).toEqual(bareParser(body));
  });

  it('§9.2.6 S-DEC-4: cr-only.sse — eventsource-parser alone loses the final CR-terminated done event; the reader does not', () => {
    const body = load('cr-only.sse');
    const reader = readAll(body).events;
    const bare = bareParser(body);
    expect(bare).toHaveLength(reader.length - 1);
    expect(reader.at(-1)?.data).toBe('{"type":"done","data":null}');
  });

  it('§9.2.5: a Latin-1 "ï»¿" prefix is not a BOM (eventsource-parser strips it from its first chunk)', () => {
    const body = new TextEncoder().encode('\u00ef\u00bb\u00bfdata: x\n\ndata: y\n\n');
    expect(readAll(body).events.map((e) => e.data)).toEqual(['y']);
    const bare: string[] = [];
    createParser({ onEvent: (e) => bare.push(e.data) }).feed(new TextDecoder().decode(body));
    expect(bare).toEqual(['x', 'y']);
  });

  it('§9.2.6 S-DISP-1: eventsource-parser 3 does not dispatch an event-without-data block either, but reports nothing about it', () => {
    const bare: string[] = [];
    createParser({ onEvent: (e) => bare.push(e.event ?? 'message') }).feed('event: done\n\nid: 7\n\ndata: x\n\n');
    expect(bare).toEqual(['message']);
    const r = readAll('event: done\n\nid: 7\n\ndata: x\n\n');
    expect(r.undispatched.map((u) => u.type)).toEqual(['done']);
    expect(r.events[0]?.lastEventId).toBe('7'); // the parser's event has no id: it does not track lastEventId
  });
});
