/** The metrics area's door: each target's Prometheus /metrics and its event-loop lag (src/prometheus reads them). */
export { metricsChecks } from './check.js';
