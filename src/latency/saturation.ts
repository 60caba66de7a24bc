/**
 * Was the load generator itself the bottleneck? Then its latencies are its own queueing, not the
 * server's (vllm#39963), and the run proves nothing either way: the verdict is inconclusive.
 * Judged from the client's event-loop delay, its CPU use, and (open loop) the achieved arrival
 * rate against the asked one.
 */
import { z } from 'zod';

export const clientBoundsSchema = z
  .object({
    /** The client's event-loop delay p99 above this: its timestamps are late by about as much. */
    loopDelayP99Ms: z.number().positive().default(20),
    /** Client CPU over wall time, percent of one core: above this one core (Node's loop) is saturated. */
    cpuPercent: z.number().positive().default(90),
    /** Open loop: achieved arrivals below this share of the asked rate means the client could not keep up. */
    rateShare: z.number().gt(0).max(1).default(0.95),
  })
  .strict();

export type ClientBounds = z.output<typeof clientBoundsSchema>;

export interface ClientLoad {
  loopDelayP99Ms: number;
  cpuPercent: number;
  /** Open loop only. */
  askedRate?: number;
  achievedRate?: number;
}

/** The reasons the client saturated (empty: it did not). */
export function clientSaturation(c: ClientLoad, b: ClientBounds): string[] {
  const reasons: string[] = [];
  if (c.loopDelayP99Ms > b.loopDelayP99Ms) reasons.push(`the client's event-loop delay p99 was ${c.loopDelayP99Ms} ms (bound ${b.loopDelayP99Ms} ms)`);
  if (c.cpuPercent > b.cpuPercent) reasons.push(`the client used ${c.cpuPercent}% CPU (bound ${b.cpuPercent}% of one core)`);
  if (c.askedRate !== undefined && c.achievedRate !== undefined && c.achievedRate < c.askedRate * b.rateShare) {
    reasons.push(`the client started ${c.achievedRate} streams/s of the ${c.askedRate} asked (bound ${Math.round(b.rateShare * 100)}%)`);
  }
  return reasons;
}
