/** Shared fixtures for the CORS unit tests: the app's requests to the gateway and RAG, and header-line builders. */
import { httpObservation } from '../helpers/observations.js';
import type { BrowserRequest } from '../../src/fetch/index.js';
import type { HttpObservation, RawHeaders } from '../../src/http/types.js';

export const A = 'https://app.example.com';
export const GATEWAY = 'https://gateway.example';
export const RAG = 'https://rag.example';

/**
 * `raw('Access-Control-Allow-Origin: *', ...)`: header lines as received, split at the first colon;
 * the one conventional space after the colon is dropped, any other whitespace is kept.
 */
export function raw(...lines: string[]): RawHeaders {
  return lines.map((line) => {
    const i = line.indexOf(':');
    return [line.slice(0, i), line.slice(i + 1).replace(/^ /, '')];
  });
}

/** G1: credentialed JSON POST with Authorization (preflighted). */
export const G1: BrowserRequest = {
  origin: A,
  method: 'POST',
  url: `${GATEWAY}/api/chat`,
  headers: { 'Content-Type': 'application/json', Authorization: 'Bearer t0ken' },
  credentials: 'include',
};
/** G2: credentialed GET /health (no preflight). */
export const G2: BrowserRequest = {
  origin: A,
  method: 'GET',
  url: `${GATEWAY}/health`,
  headers: {},
  credentials: 'include',
};
/** R1: new EventSource(url, {withCredentials: false}). */
export const R1: BrowserRequest = {
  origin: A,
  method: 'GET',
  url: `${RAG}/bali-zero/chat-stream?query=hi`,
  headers: { Accept: 'text/event-stream' },
  credentials: 'same-origin',
};

export function req(over: Partial<BrowserRequest>): BrowserRequest {
  return { ...G1, ...over };
}

export function obs(over: {
  target?: 'gateway' | 'rag';
  method?: string;
  url?: string;
  status?: number;
  headers?: RawHeaders;
  error?: HttpObservation['error'];
  unreachable?: boolean;
}): HttpObservation {
  return httpObservation({ ...over, purpose: 'cors', url: over.url ?? `${GATEWAY}/health`, requestHeaders: { Origin: A }, unreachable: over.unreachable ?? false, ttfbMs: 5 });
}

/** The clean gateway's answers (G1: the credentialed GET). */
export const CLEAN_PREFLIGHT = raw(
  `Access-Control-Allow-Origin: ${A}`,
  'Access-Control-Allow-Credentials: true',
  'Access-Control-Allow-Methods: GET, POST, OPTIONS',
  'Access-Control-Allow-Headers: authorization, content-type',
  'Access-Control-Max-Age: 7200',
  'Vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
);
export const CLEAN_ACTUAL = raw(
  `Access-Control-Allow-Origin: ${A}`,
  'Access-Control-Allow-Credentials: true',
  'Vary: Origin',
  'Content-Type: application/json',
  'Strict-Transport-Security: max-age=31536000; includeSubDomains',
  'X-Content-Type-Options: nosniff',
);
