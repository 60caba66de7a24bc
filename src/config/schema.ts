import { z } from 'zod';
import { byteCount, httpUrl, positiveMs, serializedOrigin, urlPath } from './fields.js';
import { corsSection } from '../checks/cors/config.js';
import { loadSection } from '../checks/load/config.js';
import { streamSection } from '../checks/stream/config.js';
import { exporterSection } from '../exporter/config.js';

/** The production contract (DESIGN.md): every default below is a value the deployment promises. */
export const CONTRACT = {
  gateway: 'https://nuzantara-backend.fly.dev',
  rag: 'https://nuzantara-rag.fly.dev',
  origin: 'https://zantara.balizero.com',
} as const;

const target = (url: string) =>
  z
    .object({
      url: httpUrl.default(url),
      healthPath: urlPath.default('/health'),
      /** `null`: the target exposes no metrics, and the metrics checks skip. */
      metricsPath: urlPath.nullable().default('/metrics'),
    })
    .strict();

const healthSection = z
  .object({
    latencyWarnMs: positiveMs.default(1000),
  })
  .strict();

const metricsSection = z
  .object({
    /** The contract's event-loop lag promise. */
    eventLoopLagMs: z.number().positive().default(10),
  })
  .strict();

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    targets: z
      .object({
        gateway: target(CONTRACT.gateway).prefault({}),
        rag: target(CONTRACT.rag).prefault({}),
      })
      .strict()
      .prefault({}),
    origin: serializedOrigin.default(CONTRACT.origin),
    /** Sent with every request to the targets (except preflights, which never carry credentials). Redacted everywhere. */
    headers: z.record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name'), z.string()).default({}),
    timeoutMs: positiveMs.default(10_000),
    runTimeoutMs: positiveMs.default(300_000),
    maxBodyBytes: byteCount.default(1024 * 1024),
    retries: z.number().int().min(0).max(10).default(0),
    strict: z.boolean().default(false),
    skip: z.array(z.string().min(1)).default([]),
    /** PEM file of a CA to trust (e.g. a private or self-signed one); verification is never disabled. */
    ca: z.string().optional(),
    health: healthSection.prefault({}),
    metrics: metricsSection.prefault({}),
    cors: corsSection.prefault({}),
    load: loadSection.prefault({}),
    stream: streamSection.prefault({}),
    exporter: exporterSection.prefault({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
