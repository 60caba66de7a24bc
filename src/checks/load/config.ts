/**
 * The `load` config section: how many answer streams to hold, for how long, and the thresholds the
 * contract promises (thousands of streams, event-loop lag under 10 ms). Composed into
 * src/config/schema.ts; every field is documented in docs/checks.md ("Load").
 */
import { z } from 'zod';
import { clientBoundsSchema } from '../../latency/saturation.js';
import { metricName } from '../../config/fields.js';
import { listenAddress } from '../../config/listen.js';
import { doneMatcherSchema } from '../../sse/done.js';

const ms = z.number().int().nonnegative();

export const loadSection = z
  .object({
    /** Closed loop: streams held open at once. Open loop (`rate`): the most streams in flight; an arrival finding none free waits, and the run is inconclusive. */
    connections: z.number().int().min(1).max(1_000_000).default(100),
    /** Closed loop: streams are started evenly over this many ms. Open loop: the arrival rate rises linearly from 0 to `rate` over it. */
    rampMs: ms.default(1000),
    /** Open loop: start streams at this many per second whatever the earlier ones do, as users arrive; unset: closed loop. */
    rate: z.number().positive().max(100_000).optional(),
    /** Open loop: `poisson` (exponential gaps, real users) or `constant` (evenly spaced). */
    arrival: z.enum(['poisson', 'constant']).default('poisson'),
    /** Open loop: the seed of the arrival schedule, so a run can be repeated arrival for arrival. */
    seed: z.number().int().nonnegative().default(1),
    /** How long the load lasts, in seconds: new streams start only within this window. */
    durationS: z.number().positive().max(3600).default(10),
    /** After the window, streams still open get this long to reach done before they are cut. */
    graceMs: ms.default(10_000),
    /**
     * The question each stream asks; unset: `stream.query`. The URL is the stream section's
     * (`stream.path`, `stream.queryParam`), one URL for every check.
     */
    query: z.string().min(1).optional(),
    /** How the end of an answer is recognised; unset: the stream check's rule (`stream.done`). */
    done: z.array(doneMatcherSchema).min(1, 'the done rule needs at least one matcher').optional(),
    /** How often the RAG's /metrics is scraped during the load. */
    scrapeIntervalMs: z.number().int().min(100).default(1000),
    /** Active-streams gauge in the RAG's metrics; unset: `stream.disconnect.gauge`. */
    activeStreamsMetric: metricName.optional(),
    /** Serve the live figures for Prometheus at http://<host:port>/metrics while the load runs (flag --metrics-listen). */
    metricsListen: listenAddress.optional(),
    /** After the run, keep serving until one scrape has read the final figures, at most this long. */
    metricsLingerMs: ms.default(15_000),
    /** Share of streams that must end with done. */
    successRate: z.number().min(0).max(1).default(0.999),
    /** Request to first event, p99 over all streams. */
    firstEventP99Ms: z.number().positive().default(5000),
    /** The RAG's event-loop lag (p99 per scrape window, worst window) under load. */
    eventLoopLagMs: z.number().positive().default(10),
    /** Share of streams that end with done AND meet every objective of `stream.slo` (load.goodput). */
    goodput: z.number().min(0).max(1).default(0.99),
    /** Bounds on the client itself: beyond them the latencies are ours, and the verdicts are inconclusive (skip). */
    client: clientBoundsSchema.prefault({}),
  })
  .strict();
