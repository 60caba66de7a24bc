import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/finding.js';
import { judgeDone, judgeProtocol, judgeStream, streamExpectationSchema, type StreamObservation } from '../../src/checks/stream/rules.js';
import { createContext } from '../../src/checks/stream/context.js';
import { streamObservation } from '../helpers/observations.js';
import type { StreamEnd } from '../../src/sse/types.js';

const EXP = streamExpectationSchema.parse({});
const HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../fixtures/streams/${name}`, import.meta.url)));

interface Shape {
  /** The body at t=100 ms, or [atMs, text] chunks. */
  body: Uint8Array | string | Array<[number, Uint8Array | string]>;
  end?: StreamEnd;
  endAt?: number;
}

/** A stream observation of `body`, headers at 50 ms, closed 10 ms after the last chunk unless told. */
const obs = ({ body, end, endAt }: Shape): StreamObservation => streamObservation({ chunks: Array.isArray(body) ? body : [[100, body]], end, endAt, headers: HEADERS });

const done = (o: StreamObservation, exp = EXP) => judgeDone(createContext(o, exp));
const protocol = (o: StreamObservation, exp = EXP) => judgeProtocol(createContext(o, exp));

/** Every fail or warn says what was expected, what was seen, and how to fix it. */
function explained(f: Finding): Finding {
  if (f.status === 'fail' || f.status === 'warn') {
    expect(f.expected, f.id).not.toBe('');
    expect(f.observed, f.id).not.toBe('');
    expect(f.remedy, f.id).toBeTruthy();
  }
  return f;
}

describe('sse.done, judged as a browser dispatches (HTML §9.2.6)', () => {
  const table: Array<[name: string, fixture: string, status: Finding['status'], observed?: RegExp]> = [
    [
      '§9.2.6 dispatch: the contract\'s unnamed {"type":"done"} is dispatched, last, then closed',
      'contract-clean.sse',
      'pass',
      /done "{\\"type\\":\\"done\\",\\"data\\":null}" at 100 ms; closed 10 ms after it/,
    ],
    ['§9.2.6 S-DEC-4: CRLF line endings', 'crlf.sse', 'pass'],
    ['§9.2.6 S-DEC-4: CR-only line endings, the body ending in CR CR', 'cr-only.sse', 'pass'],
    ['§9.2.6 S-DEC-4: mixed line endings', 'mixed-line-endings.sse', 'pass'],
    ['§9.2.5 S-DEC-1: a leading BOM is stripped', 'bom.sse', 'pass'],
    ['§9.2.5 S-DEC-2: a second BOM costs the first event only', 'bom-twice.sse', 'pass'],
    ['§9.2.6 S-LINE-2: comments are ignored', 'comments.sse', 'pass'],
    ['§9.2.6 S-FIELD-id: ids with NUL are ignored', 'id-nul.sse', 'pass'],
    ['§9.2.6 S-FIELD-data: multi-line data', 'multiline-data.sse', 'pass'],
    ['§4.2: data: [DONE] is recognised', 'openai-done.sse', 'pass'],
    ['§9.2.6 S-DISP-2: a named done never reaches onmessage: warn naming the listener', 'named-events.sse', 'warn', /as event "done"/],
    ['§9.2.6 S-DISP-1: event: done with an empty data line is dispatched, to a named listener', 'done-named-empty-data.sse', 'warn'],
    ['§9.2.6 S-DISP-1 dispatch: event without data is not dispatched', 'done-event-no-data.sse', 'fail', /^"event: done\\n\\n" at byte 269, then closed$/],
    ['§9.2.6 S-EOF-1: a last block without blank line is discarded', 'done-no-blank-line.sse', 'fail', /^"data: {\\"type\\":\\"done\\",\\"data\\":null}\\n" then closed$/],
    ['§9.2.6 S-EOF-1: data: [DONE] without a newline at EOF is discarded', 'done-no-newline.sse', 'fail', /^"data: \[DONE\]" then closed$/],
    ['§1.8 D-1: closing without done fails with what was received', 'no-done.sse', 'fail', /^7 event\(s\), the last "{\\"type\\":\\"sources\\".*; ended: closed at 110 ms$/],
    ['done arrives exactly once', 'done-twice.sse', 'fail', /done dispatched 2 times/],
    ['done is the last event', 'event-after-done.sse', 'fail', /1 event\(s\) after done, first "{\\"type\\":\\"token\\",\\"data\\":\\"late\\"}"/],
  ];

  it.each(table)('%s (%s) → %s', (_name, file, status, observed) => {
    const f = explained(done(obs({ body: fixture(file) })));
    expect(f.status).toBe(status);
    if (observed) expect(f.observed).toMatch(observed);
  });

  it('§9.2.6 S-DISP-2: the warning names the listener the app must use', () => {
    expect(done(obs({ body: fixture('named-events.sse') })).remedy).toContain("source.addEventListener('done', ...)");
  });

  it('the server must close soon after done: a late close fails, a prompt one passes', () => {
    const body = fixture('contract-clean.sse');
    expect(done(obs({ body, endAt: 2100 })).status).toBe('pass');
    const late = explained(done(obs({ body, endAt: 2101 })));
    expect([late.status, late.observed]).toEqual(['fail', expect.stringContaining('closed only 2001 ms after it (limit 2000 ms)')]);
  });

  it('a connection held open after done until our deadline fails; a reset right after done warns', () => {
    const body = fixture('contract-clean.sse');
    expect(explained(done(obs({ body, end: 'deadline', endAt: 30_000 }))).observed).toContain('still open 29900 ms after it when reading stopped (deadline)');
    expect(explained(done(obs({ body, end: 'reset', endAt: 150 }))).status).toBe('warn');
  });

  it('never pass what was not observed: reading aborted before done is a skip', () => {
    expect(done(obs({ body: fixture('no-done.sse'), end: 'aborted' })).status).toBe('skip');
  });

  it('the done rule is configurable; other sentinels then fail, naming what looked like done', () => {
    const exp = streamExpectationSchema.parse({ done: ['event:finish'] });
    const f = done(obs({ body: fixture('contract-clean.sse') }), exp);
    expect(f.status).toBe('fail');
    expect(f.observed).toContain('looks like done but does not match the configured rule');
    expect(f.expected).toContain('event:finish');
    const finish = streamExpectationSchema.parse({ done: [{ kind: 'event', name: 'finish' }] });
    expect(done(obs({ body: 'event: finish\ndata: {}\n\n' }), finish).status).toBe('warn');
  });

  it('a reset mid-stream without done fails with the transport ending', () => {
    const f = done(obs({ body: 'data: {"type":"token","data":"Hi"}\n\ndata: {"type":"to', end: 'reset' }));
    expect(f.status).toBe('fail');
    expect(f.observed).toContain('ended: reset');
    expect(f.observed).toContain('discarded unterminated block');
  });
});

describe('sse.protocol: both field conventions, JSON data, nothing after done', () => {
  const table: Array<[name: string, fixture: string, status: Finding['status'], observed?: RegExp]> = [
    ['unnamed messages with JSON type', 'contract-clean.sse', 'pass', /^1 metadata, 5 token, 1 sources, 1 done$/],
    ['named events with JSON data', 'named-events.sse', 'pass', /^1 metadata, 3 delta, 2 token, 1 sources, 1 done$/],
    ['§4.2: [DONE] is not JSON and need not be', 'openai-done.sse', 'pass'],
    ['§9.2.6 S-FIELD-data: JSON split over data lines is joined with LF', 'multiline-data.sse', 'pass'],
    ['§9.2.5: invalid UTF-8 decodes to U+FFFD inside valid JSON', 'utf8-mixed.sse', 'pass'],
    ['non-JSON data fails with the offending line', 'malformed-json.sse', 'fail', /^message #1 at byte 72: data is not JSON: "data: {\\"type\\":\\"token\\",\\"data\\":\\"Hi\\""/],
    ["an error message fails with the server's message", 'error-event.sse', 'fail', /model overloaded, try again/],
    ["§9.2.6 S-DISP-3: event: error fails with the server's message", 'error-named.sse', 'fail', /rate limited/],
    ['an unknown type or name warns', 'unknown-type.sse', 'warn', /unknown message type "thinking" \(1x\) \(\+1 more/],
    ['nothing may follow done', 'event-after-done.sse', 'fail', /1 event\(s\) after done/],
    ['§9.2.6 S-FIELD-retry: a non-digit retry is ignored: warn', 'retry-bogus.sse', 'warn', /retry value "10x" is ignored/],
    ['§9.2.5 S-DEC-2: a second BOM makes an unknown field: warn', 'bom-twice.sse', 'warn', /unknown field "\\ufeffdata" ignored/],
    ['§9.2.6 S-EOF-1: an unterminated last block warns', 'done-no-blank-line.sse', 'warn', /unterminated last block was discarded/],
  ];

  it.each(table)('%s (%s) → %s', (_name, file, status, observed) => {
    const f = explained(protocol(obs({ body: fixture(file) })));
    expect(f.status).toBe(status);
    if (observed) expect(f.observed).toMatch(observed);
  });

  it('reports counts per kind, the sources count and the assembled answer in evidence', () => {
    expect(protocol(obs({ body: fixture('contract-clean.sse') })).evidence).toMatchObject({
      counts: { metadata: 1, token: 5, sources: 1, done: 1 },
      sources: 2,
      answer: 'Bali Zero helps with visas.',
      conventions: ['typed'],
    });
    expect(protocol(obs({ body: fixture('named-events.sse') })).evidence).toMatchObject({ sources: 1, answer: 'Bali Zero helps with visas.', conventions: ['named'] });
  });

  it('§9.2.6 S-DISP-3: an error event named "error" also explains the listener collision', () => {
    expect(protocol(obs({ body: fixture('error-named.sse') })).remedy).toContain('S-DISP-3');
  });

  it('skips when nothing was dispatched and nothing else is wrong', () => {
    expect(protocol(obs({ body: ': just a comment\n\n' })).status).toBe('skip');
  });
});

describe('judgeStream: the response gate decides what can be judged', () => {
  const ids = [
    'sse.status',
    'sse.content-type',
    'sse.cache-control',
    'sse.content-encoding',
    'sse.content-length',
    'sse.done',
    'sse.protocol',
    'sse.first-event',
    'sse.ttft',
    'sse.gaps',
    'sse.itl',
    'sse.e2e',
    'sse.buffering',
    'sse.heartbeat',
    'sse.reconnect',
  ];

  it('each id once; the clean contract stream has no fail or warn', () => {
    const findings = judgeStream(obs({ body: fixture('contract-clean.sse') }), EXP);
    expect(findings.map((f) => f.id)).toEqual(ids);
    expect(findings.filter((f) => f.status === 'fail' || f.status === 'warn')).toEqual([]);
  });

  it('a transport error fails sse.status with unreachable copied; everything else is skipped, never passed', () => {
    const o: StreamObservation = {
      ...obs({ body: '' }),
      response: undefined,
      record: undefined,
      unreachable: true,
      error: { code: 'refused', message: 'connection refused at 127.0.0.1:1' },
    };
    const [status, ...rest] = judgeStream(o, EXP);
    expect(explained(status as Finding)).toMatchObject({ id: 'sse.status', status: 'fail', unreachable: true, observed: 'rag: connection refused at 127.0.0.1:1' });
    expect(rest.map((f) => f.status)).toEqual(Array(ids.length - 1).fill('skip'));
  });

  it('§9.2.2 step 18: a 200 HTML page fails sse.content-type; the body is not judged as a stream', () => {
    const o = obs({ body: '<html>Bad gateway</html>' });
    o.response = { status: 200, headers: { 'content-type': 'text/html' }, rawHeaders: [['Content-Type', 'text/html']], bodyExcerpt: '<html>Bad gateway</html>' };
    const byId = Object.fromEntries(judgeStream(o, EXP).map((f) => [f.id, f]));
    expect(explained(byId['sse.content-type'] as Finding)).toMatchObject({ status: 'fail', observed: 'Content-Type: text/html with body "<html>Bad gateway</html>"' });
    expect(byId['sse.done']?.status).toBe('skip');
    expect(byId['sse.done']?.observed).toContain('Content-Type text/html');
    expect(byId['sse.reconnect']).toMatchObject({ status: 'warn', observed: expect.stringContaining('never reconnects') });
  });
});
