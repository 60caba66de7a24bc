/**
 * The whole config: the shared sections (src/config/schema.ts) and each area's own section,
 * composed once. Defaults that one section takes from another are resolved here and only here.
 */
import type { z } from 'zod';
import { baseConfigSchema } from '../config/schema.js';
import { exporterSection } from '../exporter/config.js';
import { corsSection } from './cors/config.js';
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
  .strict();

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
