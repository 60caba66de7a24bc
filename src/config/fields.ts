import { z } from 'zod';
import { METRIC_NAME } from '../prometheus/names.js';

/** An absolute http(s) URL; the contract's targets are origins plus paths we append. */
export const httpUrl = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  },
  { message: 'expected an absolute http(s) URL such as https://api.example.com' },
);

/**
 * A serialized origin as a browser sends it in `Origin` (Fetch #serializing-a-request-origin):
 * scheme://host[:port], no path, no trailing slash. CORS compares it byte for byte, so we never
 * "fix" a value: a path or slash here is a mistake worth stopping for.
 */
export const serializedOrigin = z.string().refine(
  (v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === v;
    } catch {
      return false;
    }
  },
  { message: 'expected an origin like https://app.example.com (scheme and host, optional port, no path or trailing slash, lower case)' },
);

export const urlPath = z.string().regex(/^\//, 'expected a path starting with "/"');
export const positiveMs = z.number().int().positive();
export const byteCount = z.number().int().positive();
export const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name');
export const httpMethod = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP method such as POST');

/** A Prometheus metric name (the text exposition format's grammar). */
export const metricName = z.string().regex(METRIC_NAME, 'expected a Prometheus metric name such as sse_active_streams');
