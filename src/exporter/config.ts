/**
 * The `exporter` config section: the only targets `/probe` will touch (it is never an open
 * proxy), the modules it answers, and its bounds (concurrency, per-probe deadline margin, log
 * rotation). Composed into src/config/schema.ts; documented in README ("Prometheus exporter").
 */
import { z } from 'zod';
import { byteCount, httpUrl, positiveMs, serializedOrigin } from '../config/fields.js';
import { listenAddress } from '../config/listen.js';

/** A label-safe name: it appears in URLs, label values and log file names. */
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const name = z.string().regex(NAME, 'expected a name of letters, digits, "_", "." or "-" (at most 63)');

/** Any other config section (`stream`, `cors`, `health`, ...), merged over the top-level config and validated with it. */
const settings = z.record(z.string(), z.unknown()).default({});
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'expected an HTTP header name');

export const BUILTIN_MODULES = ['audit', 'health', 'preflight', 'headers', 'stream'] as const;

const targetSchema = z
  .object({
    gateway: httpUrl,
    rag: httpUrl,
    /** The web app's origin; unset: the top-level `origin`. */
    origin: serializedOrigin.optional(),
    /** Sent as the top-level `headers` are (credentialed calls only); redacted everywhere. */
    headers: z.record(headerName, z.string()).optional(),
    skip: z.array(z.string().min(1)).default([]),
    settings,
  })
  .strict();

const moduleSchema = z
  .object({
    /** Which checks run: the command of that name's. */
    checks: z.enum(BUILTIN_MODULES),
    /** The module's deadline; the probe also ends before Prometheus's scrape timeout. */
    timeoutMs: positiveMs.optional(),
    skip: z.array(z.string().min(1)).default([]),
    settings,
  })
  .strict();

export const exporterSection = z
  .object({
    /** Where the exporter listens (flag --listen). */
    listen: listenAddress.default('127.0.0.1:9464'),
    /** Probes in flight at once; more get 503, so a scrape storm cannot multiply the load on a target. */
    maxConcurrent: z.number().int().min(1).max(64).default(4),
    /** A probe finishes this long before Prometheus's scrape timeout (`X-Prometheus-Scrape-Timeout-Seconds`). */
    timeoutMarginMs: z.number().int().nonnegative().default(500),
    targets: z.record(name, targetSchema).default({}),
    /** Extra modules (the built-in ones are audit, health, preflight, headers, stream). */
    modules: z.record(name, moduleSchema).default({}),
    log: z
      .object({
        /** Directory for one audit log per probe; unset: a new private directory under the OS temp dir. */
        dir: z.string().min(1).optional(),
        /** Oldest logs are removed beyond either bound. */
        maxFiles: z.number().int().min(1).max(100_000).default(200),
        maxBytes: byteCount.default(64 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ExporterConfig = z.output<typeof exporterSection>;
export type ExporterModule = ExporterConfig['modules'][string];

/** Deadlines of the built-in modules: long enough for the checks' own deadlines on a healthy target. */
export const BUILTIN_TIMEOUT_MS: Record<(typeof BUILTIN_MODULES)[number], number> = {
  health: 15_000,
  preflight: 15_000,
  headers: 30_000,
  stream: 45_000,
  audit: 60_000,
};
