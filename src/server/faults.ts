import { UsageError } from '../core/errors.js';

/**
 * Each fault flips one behaviour of the reference server to a realistic misconfiguration, so
 * the test suite can prove, fault by fault, that the matching check fails.
 */
export const FAULTS = {
  'health-down': 'both /health endpoints answer 503',
  'health-bad-json': '/health answers 200 with a body that is not the contract JSON',
  'health-slow': '/health answers after 1.5 s (beyond the 1 s latency threshold)',
  'no-metrics': '/metrics answers 404',
  'eventloop-lag': 'a busy loop blocks the event loop 60 ms at start, then every 100 ms, so lag far exceeds 10 ms',
  'busy-startup':
    "busy-startup=MS (default 500): start-up work keeps the event loop busy for MS before listening (25 ms blocks: module loading, JIT, warm-up) and the lag window is not reset when ready, so the first scrape's window holds the start-up",
  'reflect-origin': 'gateway CORS echoes any Origin with Access-Control-Allow-Credentials: true',
  'wildcard-credentials': 'gateway CORS answers Access-Control-Allow-Origin: * with Access-Control-Allow-Credentials: true',
  'no-preflight': 'gateway CORS lets OPTIONS through to the router, which answers 404',
  'preflight-403': 'an auth layer answers the preflight 403 (CORS headers set, status not ok)',
  'preflight-no-auth-header': "the preflight answers (gateway, and the RAG stream's) list Content-Type but not Authorization in Access-Control-Allow-Headers",
  'null-origin': 'the gateway allowlist also contains the origin "null"',
  'suffix-match': 'the gateway allows any origin ending with the allowed host name (endsWith, no dot)',
  'substring-match': 'the gateway allows any origin containing the app\'s name ("zantara")',
  'regex-prefix':
    'the gateway allowlist is a start-anchored regex without an end anchor (^https://zantara\\.balizero\\.com, built from --origin), as written for the cors package, flask-cors or django-cors-headers',
  'no-vary': 'the gateway echoes the allowed origin without Vary: Origin',
  'cors-after-security': 'an auth layer runs before gateway CORS: the preflight and error responses have no CORS headers',
  'rag-auth-before-cors': "an auth layer runs before the RAG's CORS: the POST stream's preflight and a POST without a token get 401 without CORS headers",
  'cors-routes-only': "CORS is mounted on the app's routes only (app.use('/api', cors())): the 404 of any other path has no CORS headers, the app's own errors do",
  'rag-wildcard': 'the RAG answers Access-Control-Allow-Origin: * (the gateway echoes the origin)',
  'max-streams': 'max-streams=N (default 100): the RAG answers 503 to a stream request while N streams are open, as uvicorn --limit-concurrency does',
  'no-done': 'the answer stream closes after sources without a done event',
  endless: "the answer stream never ends: tokens forever, no done (only the client's deadline ends it)",
  'wrong-content-type': 'the answer stream is sent as text/plain (EventSource fails the connection)',
  gzip: 'the answer stream is gzip-compressed without a flush per event (events arrive in one burst at the end)',
  buffered: 'the answer stream is generated over time but flushed in one write at the end, as a buffering proxy does',
  'ignore-disconnect': 'ignore-disconnect=MS (default 10000): generation goes on for MS after the client leaves, the gauge stays up',
  'gzip-ignore-disconnect':
    'gzip-ignore-disconnect=MS (default 10000): gzip without a flush per event (no event before the end) AND generation goes on for MS after the client leaves, as behind a compressing proxy that hides the disconnect',
  'no-cache-header': 'the answer stream has no Cache-Control header',
  'error-event': 'the answer stream sends an error event ({"type":"error"}) mid-answer',
  'event-after-done': 'the answer stream sends a token after done',
  'slow-first-event': 'slow-first-event=MS (default 6000): headers at once, the first event only after MS',
  'slow-first-token': 'slow-first-token=MS (default 3000): the metadata event at once, the first token only after MS (time to first token)',
  stalls: 'stalls=MS (default 2000): one pause of MS mid-answer between two tokens, as a model stalled by a tool call or a full batch',
  'malformed-json': "one token's data is a Python dict repr (single quotes), not JSON",
  'reset-mid-stream': 'the connection is reset (TCP RST) after a few tokens',
  'stream-no-cors': 'the answer stream response has no Access-Control-Allow-Origin',
  'empty-query-500': 'an empty query crashes the handler: 500 instead of 400',
} as const satisfies Record<string, string>;

export type FaultName = keyof typeof FAULTS;

/** Faults that take a value, and what the value must be. */
const FAULT_VALUES: Partial<Record<FaultName, { pattern: RegExp; expected: string }>> = {
  'max-streams': { pattern: /^[1-9]\d*$/, expected: 'a whole number of streams, e.g. max-streams=50' },
  'busy-startup': { pattern: /^[1-9]\d*$/, expected: 'a whole number of ms, e.g. busy-startup=800' },
  'ignore-disconnect': { pattern: /^[1-9]\d*$/, expected: 'a whole number of ms, e.g. ignore-disconnect=3000' },
  'gzip-ignore-disconnect': { pattern: /^[1-9]\d*$/, expected: 'a whole number of ms, e.g. gzip-ignore-disconnect=3000' },
  'slow-first-event': { pattern: /^[1-9]\d*$/, expected: 'a whole number of ms, e.g. slow-first-event=800' },
  'slow-first-token': { pattern: /^[1-9]\d*$/, expected: 'a whole number of ms, e.g. slow-first-token=2500' },
  stalls: { pattern: /^[1-9]\d*$/, expected: 'a whole number of ms, e.g. stalls=1500' },
};

/** Active faults; a fault may carry a value (`max-streams=100`). */
export class Faults {
  private readonly active = new Map<string, string>();

  constructor(spec: readonly string[] = []) {
    for (const item of spec
      .flatMap((s) => s.split(','))
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [name = '', value = ''] = item.split('=', 2);
      if (!(name in FAULTS)) {
        throw new UsageError(`unknown fault "${name}"`, `known faults: ${Object.keys(FAULTS).join(', ')}`);
      }
      const valued = FAULT_VALUES[name as FaultName];
      if (valued && value !== '' && !valued.pattern.test(value)) throw new UsageError(`fault "${item}": expected ${valued.expected}`);
      this.active.set(name, value);
    }
  }

  has(name: FaultName): boolean {
    return this.active.has(name);
  }

  /** Numeric value of a fault such as `max-streams=100`. */
  number(name: FaultName, fallback: number): number {
    const v = Number(this.active.get(name));
    return Number.isFinite(v) && v > 0 ? v : fallback;
  }

  list(): string[] {
    return [...this.active].map(([name, value]) => (value ? `${name}=${value}` : name));
  }
}
