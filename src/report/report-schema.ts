import { z } from 'zod';
import { SEVERITIES, STATUSES, TARGETS, type JsonValue } from '../core/finding.js';

/**
 * The JSON report (`--json`, schemaVersion 1) as a strict zod schema: the documented contract of
 * src/report/report.ts's Report and Finding. scripts/write-schema.js publishes it as
 * schema/report.schema.json; the tests hold the TypeScript types and this schema to each other.
 */
const jsonValue: z.ZodType<JsonValue> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

const count = z.number().int().nonnegative();

export const findingSchema = z
  .object({
    id: z.string().min(1).describe('stable id, e.g. health.status (docs/checks.md)'),
    target: z.enum(TARGETS),
    status: z.enum(STATUSES),
    severity: z.enum(SEVERITIES),
    title: z.string(),
    expected: z.string(),
    observed: z.string(),
    remedy: z.string().optional(),
    evidence: z.record(z.string(), jsonValue).optional(),
    durationMs: z.number().nonnegative().optional(),
    attempts: z.number().int().positive().optional().describe('attempts made when --retries allowed transport retries'),
    unreachable: z.boolean().optional().describe('true when the target never answered (exit 3)'),
  })
  .strict();

const ms = z.number();
const nullableMs = z.number().nullable();

const timelineSchema = z
  .object({
    kind: z.literal('stream-timeline'),
    purpose: z.string(),
    target: z.enum(TARGETS),
    url: z.string(),
    headersAtMs: nullableMs,
    firstByteMs: nullableMs,
    end: z.object({ reason: z.string(), atMs: ms }).strict(),
    events: count,
    marks: z.array(z.object({ atMs: ms, kind: z.string(), chunk: count, generatedAtMs: ms.optional() }).strict()),
    omitted: count,
    comments: count,
  })
  .strict()
  .describe("one answer stream's events at their arrival times (ms since the request), at most 2,000 marks");

const distributionSchema = z
  .object({
    count,
    p50: nullableMs,
    p95: nullableMs,
    p99: nullableMs,
    max: nullableMs,
    buckets: z.array(z.tuple([ms, ms, count])).describe('[lowMs, highMs, count] per non-empty bucket'),
  })
  .strict();

const loadChartsSchema = z
  .object({
    kind: z.literal('load-charts'),
    connections: count,
    durationMs: count,
    firstEvent: distributionSchema,
    done: distributionSchema,
    overTime: z
      .object({ stepMs: ms, points: z.array(z.tuple([ms, count, count, count])) })
      .strict()
      .describe('[ms since start, open, completed, failed], at most 600 points'),
    serverActive: z.array(z.tuple([ms, z.number()])),
  })
  .strict()
  .describe("a load run's latency distributions and streams over time");

export const attachmentSchema = z.discriminatedUnion('kind', [timelineSchema, loadChartsSchema]);

export const reportSchema = z
  .object({
    schemaVersion: z.literal(1),
    tool: z.object({ name: z.string(), version: z.string() }).strict(),
    command: z.string(),
    startedAt: z.iso.datetime(),
    durationMs: count,
    targets: z.object({ gateway: z.string(), rag: z.string(), origin: z.string() }).strict(),
    summary: z.object({ pass: count, warn: count, fail: count, skip: count }).strict(),
    findings: z.array(findingSchema),
    attachments: z.array(attachmentSchema).describe('data checks attach for charts (src/core/attachments.ts); aggregated and bounded'),
    logFile: z.string().nullable().describe('the audit log path; null with --no-log or when it could not be written'),
    exitCode: z.number().int().nonnegative().describe('0 pass, 1 a check failed, 3 a target unreachable, 130/143 interrupted'),
    interrupted: z.boolean(),
  })
  .strict();
