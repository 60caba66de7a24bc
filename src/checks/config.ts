/**
 * The whole config: the shared sections (src/config/schema.ts) and each area's own section,
 * composed once. Defaults that one section takes from another are resolved here and only here.
 */
import type { z } from 'zod';
import { baseConfigSchema } from '../config/schema.js';
import { exporterSection } from '../exporter/config.js';
import { type CorsConfig, corsSection } from './cors/config.js';
import { healthSection } from './health/config.js';
import { loadSection } from './load/config.js';
import { metricsSection } from './metrics/config.js';
import { streamSection } from './stream/config.js';

export const configSchema = baseConfigSchema
  .extend({
    health: healthSection.prefault({}),
    metrics: metricsSection.prefault({}),
    cors: corsSection.prefault({}),
    load: loadSection.prefault({}),
    stream: streamSection.prefault({}),
    exporter: exporterSection.prefault({}),
  })
  .strict()
  .superRefine(corsStreamUnderFetch);

export type Config = z.output<typeof configSchema>;

/** A section's unset field that means "the same as that other section's". */
export const crossSection = {
  /** `load.query`, else the stream check's query. */
  loadQuery: (c: Config): string => c.load.query ?? c.stream.query,
  /** `load.done`, else `stream.done`: one done rule for every reader unless load is told otherwise. */
  loadDone: (c: Config): Config['stream']['done'] => c.load.done ?? c.stream.done,
  /** `load.activeStreamsMetric`, else `stream.disconnect.gauge`. */
  activeStreamsMetric: (c: Config): string => c.load.activeStreamsMetric ?? c.stream.disconnect.gauge,
  /** The app's credentialed GET (`cors.requests.health.path`), else `targets.gateway.healthPath`. */
  appGetPath: (c: Config): string => c.cors.requests.health.path ?? c.targets.gateway.healthPath,
};

type StreamRequest = CorsConfig['requests']['stream'];
const STREAM_REQUEST_DEFAULTS: StreamRequest = corsSection.parse({}).requests.stream;
/** Where each field of `cors.requests.stream` (the EventSource call) lives for a fetch() stream. */
const FETCH_FIELD: Record<keyof StreamRequest, string> = {
  method: 'stream.method',
  headers: 'stream.headers',
  credentials: 'stream.credentials',
  readsHeaders: 'stream.exposeHeaders',
  body: 'stream.body',
  path: 'stream.path',
};

/**
 * `cors.requests.stream` describes the page's EventSource. Under `stream.transport: fetch` the
 * stream section describes the call every check sends (CORS, stream, load, browser), so a second,
 * different description would be silently ignored or contradict it: refused, naming the field to use.
 */
function corsStreamUnderFetch(c: { stream: { transport: string }; cors: { requests: { stream: StreamRequest } } }, ctx: z.RefinementCtx): void {
  if (c.stream.transport !== 'fetch') return;
  const set = c.cors.requests.stream;
  for (const field of Object.keys(FETCH_FIELD) as Array<keyof StreamRequest>) {
    if (JSON.stringify(set[field]) === JSON.stringify(STREAM_REQUEST_DEFAULTS[field])) continue;
    ctx.addIssue({
      code: 'custom',
      path: ['cors', 'requests', 'stream', field],
      message: `describes the EventSource call, which stream.transport "fetch" does not make; set ${FETCH_FIELD[field]} instead (one description of the stream call for every check)`,
    });
  }
}
