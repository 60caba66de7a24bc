import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { ACTIVE_STREAMS } from '../prometheus/names.js';

export interface ServiceMetrics {
  registry: Registry;
  activeStreams: Gauge;
}

/** One registry per service, with Node's default metrics (event-loop lag included) and the stream gauge. */
export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  // 1 ms sampling: many samples per scrape window, so one scheduling hiccup on a busy machine
  // stays out of the p99 while a loop blocked again and again (the eventloop-lag fault) does not.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1 });
  const activeStreams = new Gauge({ name: ACTIVE_STREAMS, help: 'SSE answer streams currently open', registers: [registry] });
  return { registry, activeStreams };
}
