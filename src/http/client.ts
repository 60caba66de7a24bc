// The Agent alone, not undici's index (fetch, WebSocket, caches...): see src/types/undici-agent.d.ts.
import Agent from 'undici/lib/dispatcher/agent.js';
import type { Dispatcher } from 'undici';
import type { TargetName } from '../core/finding.js';
import { isRetryable, transportError } from './errors.js';
import type { HttpObservation, RawHeaders, ReceivedResponse, TransportError } from './types.js';

export interface RequestSpec {
  purpose: string;
  target: TargetName;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Deadline for the whole exchange, headers and body. */
  timeoutMs: number;
  /** Body bytes kept; beyond this the body is cut and the connection closed. */
  maxBytes: number;
  /**
   * Streaming sink: when set, body chunks go here (with ms since the request started) instead
   * of being collected, and the deadline ending the body is a normal end, not an error.
   * Return false to stop reading.
   */
  onChunk?: (chunk: Buffer, atMs: number) => boolean;
  /** Called once the response head arrives (e.g. to time the first event, or to pick a body decoder by Content-Encoding). */
  onHead?: (status: number, atMs: number, headers: Record<string, string>) => void;
  signal?: AbortSignal;
}

/** How a body ended; `deadline` and `cap` are expected endings for streams. */
export type BodyEnd = 'complete' | 'deadline' | 'cap' | 'aborted' | 'error';

export interface Exchange extends HttpObservation {
  end: BodyEnd;
  endedAtMs: number;
}

export interface HttpClientOptions {
  retries?: number;
  /** PEM bundle trusted in addition to nothing else (replaces the default CAs, as curl --cacert). */
  ca?: string;
  connections?: number;
  localAddress?: string;
}

const MAX_HEADER_BYTES = 64 * 1024;

/** One undici Agent per run; every request has a deadline and a byte cap, and never throws. */
export class HttpClient {
  readonly agent: Agent;
  private readonly retries: number;

  constructor(options: HttpClientOptions = {}) {
    this.retries = options.retries ?? 0;
    this.agent = new Agent({
      connections: options.connections ?? null,
      maxHeaderSize: MAX_HEADER_BYTES,
      pipelining: 1,
      localAddress: options.localAddress,
      connect: options.ca ? { ca: options.ca } : undefined,
    });
  }

  /** Send with transport-only retries (refused, reset, timeout before any response). */
  async send(spec: RequestSpec): Promise<Exchange> {
    let attempt = 0;
    for (;;) {
      attempt++;
      const result = await exchange(this.agent, spec);
      result.attempts = attempt;
      if (attempt > this.retries || !result.unreachable || !isRetryable(result.error) || spec.signal?.aborted) {
        return result;
      }
    }
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }
}

function headerRecord(raw: RawHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of raw) {
    const key = name.toLowerCase();
    // Fetch combines repeated lines with ", " (set-cookie aside, which no check reads).
    out[key] = key in out ? `${out[key]}, ${value}` : value;
  }
  return out;
}

function rawPairs(raw: Buffer[]): RawHeaders {
  const pairs: RawHeaders = [];
  for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([String(raw[i]), String(raw[i + 1])]);
  return pairs;
}

function deadlineError(): Error {
  return Object.assign(new Error('deadline'), { code: 'ZA_DEADLINE' });
}

function abortError(): Error {
  return Object.assign(new Error('aborted'), { code: 'ABORT_ERR' });
}

/** One request through a raw undici dispatch: raw header lines kept, body capped, deadline enforced. */
export function exchange(dispatcher: Dispatcher, spec: RequestSpec): Promise<Exchange> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const since = () => Math.round((performance.now() - started) * 100) / 100;
  const url = new URL(spec.url);
  const headers = { ...spec.headers };

  return new Promise<Exchange>((resolve) => {
    let response: ReceivedResponse | undefined;
    let ttfbMs: number | undefined;
    let abortFn: ((err: Error) => void) | undefined;
    let settled = false;
    let stopReason: BodyEnd | undefined;
    const chunks: Buffer[] = [];
    let kept = 0;

    const finish = (end: BodyEnd, error?: TransportError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      if (response && !spec.onChunk) response.body = Buffer.concat(chunks).toString('utf8');
      resolve({
        kind: 'http',
        purpose: spec.purpose,
        target: spec.target,
        request: { method: spec.method, url: spec.url, headers },
        response,
        error,
        // Aborted by us (Ctrl-C, run deadline) says nothing about the target: not unreachable. Nor is
        // an oversized head: the target answered, with more header bytes than any client accepts.
        unreachable: response === undefined && error !== undefined && error.code !== 'aborted' && error.code !== 'too-large',
        timings: { startedAt, ttfbMs, totalMs: since() },
        attempts: 1,
        end,
        endedAtMs: since(),
      });
    };
    const stop = (reason: BodyEnd, err: Error) => {
      stopReason = reason;
      if (abortFn) abortFn(err);
      else finish(reason, reason === 'deadline' || reason === 'aborted' ? transportError(err, spec.url, spec.timeoutMs) : undefined);
    };
    const timer = setTimeout(() => stop('deadline', deadlineError()), spec.timeoutMs);
    const onAbort = () => stop('aborted', abortError());
    if (spec.signal?.aborted) return onAbort();
    spec.signal?.addEventListener('abort', onAbort, { once: true });

    const handler: Dispatcher.DispatchHandler = {
      onConnect(abort) {
        abortFn = abort as (err: Error) => void;
        if (stopReason) abortFn(deadlineError());
      },
      onHeaders(status, raw) {
        ttfbMs = since();
        const rawHeaders = rawPairs(raw as unknown as Buffer[]);
        response = { status, headers: headerRecord(rawHeaders), rawHeaders, body: '', bodyBytes: 0, truncated: false };
        spec.onHead?.(status, ttfbMs, response.headers);
        return true;
      },
      onData(chunk) {
        if (!response) return true;
        response.bodyBytes += chunk.length;
        if (spec.onChunk) {
          if (!spec.onChunk(chunk, since())) stop('cap', new Error('cap'));
          return true;
        }
        const room = spec.maxBytes - kept;
        if (chunk.length > room) {
          if (room > 0) chunks.push(chunk.subarray(0, room));
          kept = spec.maxBytes;
          response.truncated = true;
          stop('cap', new Error('cap'));
          return true;
        }
        chunks.push(chunk);
        kept += chunk.length;
        return true;
      },
      onComplete() {
        finish('complete');
      },
      onError(err) {
        if (stopReason === 'cap') return finish('cap');
        // Without a response, say why there is none (code `aborted`), so no rule mistakes it for the target's fault.
        if (stopReason === 'aborted') return finish('aborted', response ? undefined : transportError(abortError(), spec.url, spec.timeoutMs));
        if (stopReason === 'deadline') {
          // A stream cut by its deadline ended as planned; anything else timed out.
          const planned = response !== undefined && spec.onChunk !== undefined;
          return finish('deadline', planned ? undefined : transportError(deadlineError(), spec.url, spec.timeoutMs));
        }
        finish('error', transportError(err, spec.url, spec.timeoutMs));
      },
    };

    try {
      dispatcher.dispatch(
        {
          origin: url.origin,
          path: url.pathname + url.search,
          method: spec.method as Dispatcher.HttpMethod,
          headers,
          body: spec.body,
          headersTimeout: spec.timeoutMs + 1000,
          bodyTimeout: spec.onChunk ? 0 : spec.timeoutMs + 1000,
        },
        handler,
      );
    } catch (err) {
      finish('error', transportError(err, spec.url, spec.timeoutMs));
    }
  });
}
