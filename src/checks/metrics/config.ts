/** The `metrics` config section: the event-loop lag the contract promises. */
import { z } from 'zod';

export const metricsSection = z
  .object({
    /** The contract's event-loop lag promise. */
    eventLoopLagMs: z.number().positive().default(10),
  })
  .strict();
