/**
 * How the web app opens the answer stream (`stream.transport`): `new EventSource(url)` (GET, no
 * author headers, reconnects) or `fetch(url, {method, headers, body, credentials})` read with a
 * ReadableStream reader, in SSE or NDJSON framing. The fields EventSource cannot express are
 * config errors under `eventsource`, so a stream the browser could never open is not probed.
 */
import { z } from 'zod';
import { bodyTemplateProblem } from '../../config/body-template.js';
import { headerName, httpMethod } from '../../config/fields.js';

export const transportFields = {
  /** `eventsource` (the contract) or `fetch` (a POST with a body and a bearer token, OpenAI-style). */
  transport: z.enum(['eventsource', 'fetch']).default('eventsource'),
  /** fetch only: the request method; default POST. */
  method: httpMethod.optional(),
  /** fetch only: a JSON template, `{{query}}` replaced by the JSON-escaped question; default {"query": "{{query}}"} for POST. */
  body: z.string().optional(),
  /** fetch only: fetch()'s `credentials`; default `include` (cookies and the CORS check with credentials). */
  credentials: z.enum(['omit', 'same-origin', 'include']).optional(),
  /** fetch only: author headers as the page passes them; the top-level `headers` (the token) are added. */
  headers: z.record(headerName, z.string()).optional(),
  /** fetch only: `sse` (text/event-stream, parsed like EventSource minus reconnection) or `ndjson` (one JSON value per line). */
  format: z.enum(['sse', 'ndjson']).optional(),
  /** fetch only: response headers the app reads (e.g. x-request-id); each must be in Access-Control-Expose-Headers. */
  exposeHeaders: z.array(headerName).optional(),
};

type TransportInput = {
  transport: 'eventsource' | 'fetch';
  method?: string;
  body?: string;
  credentials?: string;
  headers?: Record<string, string>;
  format?: string;
  exposeHeaders?: string[];
  withCredentials?: boolean;
  query: string;
};

const EVENTSOURCE_CANNOT: Array<[keyof TransportInput, string]> = [
  ['method', 'EventSource always sends GET'],
  ['body', 'EventSource sends no body'],
  ['headers', 'EventSource cannot send author headers (no Authorization, no Content-Type)'],
  ['credentials', 'EventSource has only withCredentials (stream.withCredentials)'],
  ['exposeHeaders', 'EventSource exposes no response headers to the page'],
];

/** The cross-field rules, as zod issues on the field to fix. */
export function checkTransport(s: TransportInput, ctx: z.RefinementCtx): void {
  const issue = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: [field], message });
  if (s.transport === 'eventsource') {
    for (const [field, why] of EVENTSOURCE_CANNOT) {
      if (s[field] !== undefined) issue(field, `${why}; set stream.transport to "fetch" to send it`);
    }
    if (s.format === 'ndjson') issue('format', 'EventSource parses text/event-stream only; NDJSON needs stream.transport "fetch"');
    return;
  }
  if (s.withCredentials) issue('withCredentials', 'withCredentials is EventSource\'s; with transport "fetch" set stream.credentials (omit|same-origin|include)');
  const method = (s.method ?? 'POST').toUpperCase();
  if (s.body !== undefined && (method === 'GET' || method === 'HEAD'))
    issue('body', `a ${method} request cannot have a body (fetch() throws a TypeError); drop stream.body or use POST`);
  else if (s.body !== undefined) {
    const problem = bodyTemplateProblem(s.body, [s.query, '']);
    if (problem) issue('body', problem);
  }
}
