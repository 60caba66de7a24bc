/** The `health` config section: the latency the contract promises for GET /health. */
import { z } from 'zod';
import { positiveMs } from '../../config/fields.js';

export const healthSection = z
  .object({
    latencyWarnMs: positiveMs.default(1000),
  })
  .strict();
