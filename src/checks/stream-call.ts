/**
 * The web app's answer-stream call as its page writes it, resolved from the `stream` config:
 * shared by the stream probe and the load engine (which send it), the CORS checks (which judge
 * its preflight and response) and the browser check (which runs it in Chromium), so all see one
 * request.
 */
import { carriesQuery, renderBody } from '../config/body-template.js';
import type { Config } from './config.js';
import { streamUrl, targetUrl } from './target.js';

export type StreamTransport = 'eventsource' | 'fetch';
export type StreamFormat = 'sse' | 'ndjson';
export type StreamCredentials = 'omit' | 'same-origin' | 'include';

export interface StreamCall {
  transport: StreamTransport;
  format: StreamFormat;
  /** Upper-cased as fetch() normalises GET/HEAD/POST/PUT/DELETE/OPTIONS. */
  method: string;
  url: string;
  /** Author headers as passed to fetch(), the configured (secret) headers included; `{}` for EventSource. */
  headers: Record<string, string>;
  body?: string;
  /** fetch()'s credentials mode; EventSource's is `include` with withCredentials, else `same-origin`. */
  credentials: StreamCredentials;
  /** Response headers the app reads. */
  exposeHeaders: string[];
}

export const DEFAULT_BODY_TEMPLATE = '{"query": "{{query}}"}';
/** The contract's stream takes a bearer token; without a configured one (`--header`) this placeholder is sent, and a real server answers 401. */
export const PLACEHOLDER_BEARER = 'Bearer zantara-audit-placeholder-token';

/** The `Accept` a reader of this framing asks for. */
export const ACCEPT_BY_FORMAT: Record<StreamFormat, string> = { sse: 'text/event-stream', ndjson: 'application/x-ndjson' };

/** Header maps by name, case-insensitively: later maps replace earlier ones. */
export function mergeHeaderMaps(...maps: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const byName = new Map<string, [string, string]>();
  for (const m of maps) for (const [name, value] of Object.entries(m)) byName.set(name.toLowerCase(), [name, value]);
  return Object.fromEntries(byName.values());
}

const NORMALISED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];

/** The stream call for `query` (the empty query for `sse.empty-query`). */
export function streamCall(config: Config, query: string): StreamCall {
  const s = config.stream;
  if (s.transport === 'eventsource') {
    return {
      transport: 'eventsource',
      format: 'sse',
      method: 'GET',
      url: streamUrl(config, query),
      headers: {},
      credentials: s.withCredentials ? 'include' : 'same-origin',
      exposeHeaders: [],
    };
  }
  const upper = (s.method ?? 'POST').toUpperCase();
  const method = NORMALISED.includes(upper) ? upper : (s.method as string);
  const template = s.body ?? (method === 'GET' || method === 'HEAD' ? undefined : DEFAULT_BODY_TEMPLATE);
  const format = s.format ?? 'sse';
  // The question travels in the body when the template carries it, else in the URL.
  const url = template !== undefined && carriesQuery(template) ? targetUrl(config, 'rag', s.path) : streamUrl(config, query);
  const defaults: Record<string, string> = {
    Accept: ACCEPT_BY_FORMAT[format],
    ...(template !== undefined && { 'Content-Type': 'application/json' }),
    Authorization: PLACEHOLDER_BEARER,
  };
  return {
    transport: 'fetch',
    format,
    method,
    url,
    headers: mergeHeaderMaps(s.headers ?? defaults, config.headers),
    ...(template !== undefined && { body: renderBody(template, query) }),
    credentials: s.credentials ?? 'include',
    exposeHeaders: s.exposeHeaders ?? [],
  };
}

/**
 * What the browser puts on the wire for `call` from `origin`, before its Accept-Encoding (the
 * stream probe adds one; load sends none, so the answer arrives as the events themselves).
 * EventSource (HTML §9.2.2 steps 6–13; Chromium adds Cache-Control: no-cache) sends no author
 * header, so a stream that needs the token fails in the browser and must fail here (S-REQ-1).
 * fetch() sends the page's author headers (the token included), `Accept: *\/*` when the page set
 * none, and for a string body without a Content-Type the `text/plain;charset=UTF-8` of body
 * extraction (Fetch #concept-bodyinit-extract); a configured Cookie stands for the browser's
 * cookie jar, which only `include` sends.
 */
export function wireHeaders(call: StreamCall, origin: string): Record<string, string> {
  if (call.transport === 'eventsource') return { accept: ACCEPT_BY_FORMAT.sse, 'cache-control': 'no-cache', origin };
  const has = (name: string) => Object.keys(call.headers).some((n) => n.toLowerCase() === name);
  const headers = Object.fromEntries(Object.entries(call.headers).filter(([n]) => call.credentials === 'include' || n.toLowerCase() !== 'cookie'));
  return {
    ...(!has('accept') && { accept: '*/*' }),
    ...(call.body !== undefined && !has('content-type') && { 'content-type': 'text/plain;charset=UTF-8' }),
    ...headers,
    origin,
  };
}

/** What a page without the user's secrets sends in place of a configured secret header's value. */
export const PLACEHOLDER_SECRET = 'zantara-audit-placeholder';

/**
 * The call's author headers as a page that does not hold the user's secrets sends them (a hostile
 * origin's replay, by the header rules and by Chromium alike): every configured (secret) header
 * and `Authorization` keep their names, so the preflight asks for the same names, with
 * placeholder values.
 */
export function withoutSecrets(call: StreamCall, secrets: Record<string, string>): Record<string, string> {
  const secret = new Set(Object.keys(secrets).map((n) => n.toLowerCase()));
  return Object.fromEntries(
    Object.entries(call.headers).map(([name, value]) => {
      const lower = name.toLowerCase();
      return [name, lower === 'authorization' ? PLACEHOLDER_BEARER : secret.has(lower) ? PLACEHOLDER_SECRET : value];
    }),
  );
}
