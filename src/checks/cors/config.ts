/**
 * The `cors` config section: the web app's calls as its page writes them (so users can describe
 * their own app) and what the misconfiguration probes send. Composed into src/config/schema.ts.
 */
import { z } from 'zod';
import { urlPath } from '../../config/fields.js';
import { HOSTING_PLATFORMS } from './hostile-origins/platforms.js';

const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name');
const method = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP method such as POST');
/** A host name we may put in probe origins; `.example` is reserved (RFC 2606), so nobody owns it. */
const hostName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, 'expected a lower-case domain name such as evil.example');

/** Placeholder bearer token: the preflight only needs the header's name, and the value is never a secret. */
export const DUMMY_BEARER = 'Bearer zantara-audit-dummy-token';

const PLATFORM_SUFFIXES = HOSTING_PLATFORMS.map((p) => p.suffix) as [string, ...string[]];

/** One call of the app, as the page writes `fetch(url, {method, headers, credentials, body})`. */
const requestShape = (d: { method: string; headers: Record<string, string>; credentials: 'include' | 'same-origin' | 'omit'; body?: string }) => ({
  method: method.default(d.method),
  /** Author headers as passed to fetch(); secret values belong in the top-level `headers`, which replace these by name. */
  headers: z.record(headerName, z.string()).default(d.headers),
  /** fetch() `credentials`; an EventSource with `withCredentials: false` is `same-origin`. */
  credentials: z.enum(['include', 'same-origin', 'omit']).default(d.credentials),
  /** Response headers the app reads; each must be exposed (Access-Control-Expose-Headers). */
  readsHeaders: z.array(headerName).default([]),
  /** Request body; empty sends none. */
  body: z.string().default(d.body ?? ''),
});

export const corsSection = z
  .object({
    /** Path of the app's API call (request `api`) on the gateway. */
    apiPath: urlPath.default('/api/chat'),
    requests: z
      .object({
        /** The gateway API call; its path is `cors.apiPath`. */
        api: z
          .object(
            requestShape({
              method: 'POST',
              headers: { 'Content-Type': 'application/json', Authorization: DUMMY_BEARER },
              credentials: 'include',
              body: '{"query":"zantara-audit CORS check"}',
            }),
          )
          .strict()
          .prefault({}),
        /** A credentialed GET on the gateway; `path` defaults to `targets.gateway.healthPath`. */
        health: z
          .object({ ...requestShape({ method: 'GET', headers: {}, credentials: 'include' }), path: urlPath.optional() })
          .strict()
          .prefault({}),
        /** `new EventSource(url, {withCredentials: false})` on the RAG: no cookies, no preflight. */
        stream: z
          .object({
            ...requestShape({ method: 'GET', headers: { Accept: 'text/event-stream' }, credentials: 'same-origin' }),
            /** Default: the `stream` section's path and query, so both audits open the same URL. */
            path: urlPath.optional(),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    /** Send the misconfiguration probes (hostile origins, each with and without credentials). */
    probes: z.boolean().default(true),
    /** Hosting platforms to probe (`["vercel.app", ...]`), or `all`; `[]` sends none. */
    platforms: z.union([z.literal('all'), z.array(z.enum(PLATFORM_SUFFIXES))]).default('all'),
    /** The attacker's domain in probe origins (`https://<allowed host>.<attackerDomain>`, ...). */
    attackerDomain: hostName.default('evil.example'),
  })
  .strict();

export type CorsConfig = z.output<typeof corsSection>;
export type AppRequestName = keyof CorsConfig['requests'];
export type AppRequestConfig = CorsConfig['requests'][AppRequestName];
