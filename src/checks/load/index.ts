/** The load area's door: N concurrent answer streams while the RAG's /metrics is scraped; the limits refused before anything is sent. */
export { loadCheck } from './check.js';
export { checkLimits, openFileLimit } from './limits.js';
