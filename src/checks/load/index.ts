/** The load area's door: N concurrent answer streams while the RAG's /metrics is scraped; the limits refused before anything is sent; the live figures for Prometheus. */
export { loadCheckWith } from './check.js';
export { checkLimits, openFileLimit } from './limits.js';
export { LiveLoadMetrics } from './live.js';
