import { z } from 'zod';
import { byteCount, httpUrl, positiveMs, serializedOrigin, urlPath } from './fields.js';

// A command parses its config once: zod's JIT (a `new Function` fast path per object schema) costs
// more to generate at start-up than it saves on that one parse.
z.config({ jitless: true });

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

/** Report files to write besides the terminal or --json output; each path is overwritten. */
const reportSection = z
  .object({
    /** One self-contained HTML file (flag --html): verdict, findings, the stream's timeline, load charts. */
    html: z.string().min(1).optional(),
    /** The JSON report written to a file (flag --json-file), while the terminal report is printed. */
    json: z.string().min(1).optional(),
    /** JUnit XML (flag --junit). */
    junit: z.string().min(1).optional(),
  })
  .strict();

/**
 * The sections every check shares: targets, the app's origin, headers, deadlines and caps. Each
 * area's own section (health, metrics, cors, load, stream) is defined in its area and composed
 * with these in src/checks/config.ts.
 */
export const baseConfigSchema = z
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
    report: reportSection.prefault({}),
  })
  .strict();
