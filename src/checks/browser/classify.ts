import type { ConsoleEntry, FetchOutcome, StreamOutcome } from './types.js';

/**
 * Why a call failed, read from what Chromium told the console. From the page a CORS block and a
 * network error look alike (`TypeError: Failed to fetch`); only the console says which it was.
 */
export type CallVerdict =
  | { kind: 'readable'; status: number }
  | { kind: 'cors'; preflight: boolean; message: string }
  | { kind: 'network'; code: string; unreachable: boolean }
  | { kind: 'rejected'; message: string }
  | { kind: 'timeout'; ms: number }
  | { kind: 'unexplained'; message: string };

/** net:: errors that mean nothing answered at all (exit 3), as opposed to a blocked answer. */
const UNREACHABLE =
  /^ERR_(CONNECTION_REFUSED|CONNECTION_TIMED_OUT|CONNECTION_RESET|CONNECTION_CLOSED|NAME_NOT_RESOLVED|NAME_RESOLUTION_FAILED|ADDRESS_UNREACHABLE|INTERNET_DISCONNECTED|TIMED_OUT|CERT_[A-Z_]+|SSL_[A-Z_]+)$/;

/** "Access to fetch at '<url>' from origin '<o>' has been blocked by CORS policy: <reason>" (EventSource: "Access to resource at"). */
export function corsMessage(url: string, console: readonly ConsoleEntry[]): string | undefined {
  return console.find((e) => e.text.includes(`'${url}'`) && e.text.includes('CORS policy'))?.text;
}

/** "Failed to load resource: net::ERR_CONNECTION_REFUSED", located at the resource's URL. */
export function networkError(url: string, console: readonly ConsoleEntry[]): string | undefined {
  for (const e of console) {
    const code = /net::(ERR_[A-Z_]+)/.exec(e.text)?.[1];
    if (code && code !== 'ERR_FAILED' && (e.url === url || e.text.includes(url))) return code;
  }
  return undefined;
}

function network(code: string): CallVerdict {
  return { kind: 'network', code, unreachable: UNREACHABLE.test(code) };
}

export function classifyFetch(out: FetchOutcome, console: readonly ConsoleEntry[]): CallVerdict {
  if (out.readable) return { kind: 'readable', status: out.status ?? 0 };
  const cors = corsMessage(out.url, console);
  if (cors) return { kind: 'cors', preflight: /preflight/i.test(cors), message: cors };
  // Our own deadline aborts the fetch, which Chromium logs as net::ERR_ABORTED: the timeout is the news.
  if (out.timedOut) return { kind: 'timeout', ms: out.ms };
  const code = networkError(out.url, console);
  if (code) return network(code);
  return { kind: 'unexplained', message: out.error ?? 'failed' };
}

/** Before `open`: CORS, then the response gate (status 200 and text/event-stream, HTML §9.2.2), then the network. */
export function classifyStreamStart(out: StreamOutcome, console: readonly ConsoleEntry[]): CallVerdict {
  const cors = corsMessage(out.url, console);
  if (cors) return { kind: 'cors', preflight: /preflight/i.test(cors), message: cors };
  const gate = console.find((e) => e.text.startsWith("EventSource's response"))?.text;
  if (gate) return { kind: 'rejected', message: gate };
  const code = networkError(out.url, console);
  if (code) return network(code);
  if (out.end === 'timeout') return { kind: 'timeout', ms: out.ms };
  return { kind: 'unexplained', message: `EventSource failed before it opened (readyState ${out.readyState})` };
}

/** The part of Chromium's message after "blocked by CORS policy: " — the reason, without the URLs. */
export function corsReason(message: string): string {
  const at = message.indexOf('CORS policy: ');
  return at < 0 ? message : message.slice(at + 'CORS policy: '.length);
}

/** One line for a verdict, for `observed`. */
export function describe(v: CallVerdict): string {
  switch (v.kind) {
    case 'readable':
      return `readable (${v.status})`;
    case 'cors':
      return `blocked by CORS: ${corsReason(v.message)}`;
    case 'network':
      return `no response (net::${v.code})`;
    case 'rejected':
      return `refused by the browser — ${v.message}`;
    case 'timeout':
      return `no answer within ${v.ms} ms`;
    case 'unexplained':
      return `failed (${v.message}) and Chromium logged no reason`;
  }
}
