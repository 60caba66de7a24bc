import type { Faults } from './faults.js';
import type { ServiceMetrics } from './metrics.js';

/** What both reference services (gateway and RAG) are built from. */
export interface ServiceOptions {
  origin: string;
  faults: Faults;
  metrics: ServiceMetrics;
  startedAt: number;
  /** Where the server writes its own lines (shutdown, errors). */
  log: (line: string) => void;
}
