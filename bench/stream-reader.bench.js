// Stream reading throughput: the SSE reader (dist/sse/reader.js: eventsource-parser feed() plus
// the byte-level HTML §9.2.6 tracker, timings, offsets, caps) against eventsource-parser alone on
// the same bytes in the same chunks. Both sides decode UTF-8 with a streaming TextDecoder, JSON.parse
// every event's data (as the stream rules do) and keep every event, so the baseline does the work
// an audit needs minus what the reader adds. Runs alternate (A B A B ...) so drift hits both alike.
//
//   npm run build && node bench/stream-reader.bench.js [--events 20000] [--runs 15]
import { createParser } from 'eventsource-parser';
import { createStreamReader } from '../dist/sse/reader.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const EVENTS = arg('events', 20_000);
const RUNS = arg('runs', 15);
const WORDS = ['Bali ', 'Zero ', 'helps ', 'you ', 'with ', 'visas, ', 'company ', 'setup ', 'and ', 'tax ', 'in ', 'Indonesia. ', 'ñandú ', '日本 '];

/** The contract's answer, EVENTS tokens long, as the reference server writes it (id + JSON data). */
function body() {
  const frames = [`id: 1\ndata: ${JSON.stringify({ type: 'metadata', data: { query: 'hello', model: 'bench' } })}\n\n`];
  for (let i = 0; i < EVENTS; i++) frames.push(`id: ${i + 2}\ndata: ${JSON.stringify({ type: 'token', data: WORDS[i % WORDS.length] })}\n\n`);
  frames.push(`id: ${EVENTS + 2}\ndata: {"type":"done","data":null}\n\n`);
  return frames.map((f) => new TextEncoder().encode(f));
}

/** One event per read (a server that flushes per event), or 16 KiB reads (a fast link or a buffer). */
function chunkings(frames) {
  const all = Buffer.concat(frames);
  const big = [];
  for (let i = 0; i < all.length; i += 16 * 1024) big.push(all.subarray(i, i + 16 * 1024));
  return { 'one event per read': frames, '16 KiB reads': big, bytes: all.length, events: frames.length };
}

function reader(chunks) {
  const r = createStreamReader({ maxBytes: 1 << 30, maxEvents: 1e7, maxLineBytes: 1 << 20 });
  chunks.forEach((c, i) => r.push(c, i));
  const record = r.end('closed', chunks.length);
  let parsed = 0;
  for (const e of record.events) if (JSON.parse(e.data) !== null) parsed++;
  return parsed;
}

function parserAlone(chunks) {
  const events = [];
  let at = 0;
  const parser = createParser({ onEvent: (m) => events.push({ type: m.event ?? 'message', data: m.data, id: m.id, atMs: at, json: JSON.parse(m.data) }) });
  const decoder = new TextDecoder();
  for (const c of chunks) {
    at++;
    parser.feed(decoder.decode(c, { stream: true }));
  }
  parser.feed(decoder.decode());
  return events.length;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(fn, chunks, expected) {
  const t = performance.now();
  const n = fn(chunks);
  const ms = performance.now() - t;
  if (n !== expected) throw new Error(`${fn.name}: ${n} events, expected ${expected}`);
  return ms;
}

const c = chunkings(body());
console.log(`node ${process.version}, ${c.events} events, ${(c.bytes / 1e6).toFixed(2)} MB, ${RUNS} alternating runs each (after 3 warm-up runs)`);
for (const name of ['one event per read', '16 KiB reads']) {
  const chunks = c[name];
  for (let i = 0; i < 3; i++) reader(chunks), parserAlone(chunks);
  const a = [];
  const b = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(measure(reader, chunks, c.events));
    b.push(measure(parserAlone, chunks, c.events));
  }
  const row = (label, ms) =>
    `  ${label.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms  ${(c.bytes / 1e6 / (ms / 1000)).toFixed(1).padStart(6)} MB/s  ${Math.round(c.events / (ms / 1000))
      .toLocaleString('en')
      .padStart(11)} events/s`;
  console.log(`\n${name} (${chunks.length} reads), median:`);
  console.log(row('reader + JSON.parse', median(a)));
  console.log(row('eventsource-parser + JSON.parse', median(b)));
  console.log(`  reader time / parser time: ${(median(a) / median(b)).toFixed(2)}x`);
}
