// The gateway contract every framework app serves (docs/checks.md): GET /health JSON, GET /metrics
// (prom-client, as Node services expose it), POST /api/chat with a bearer token or 401.
import { collectDefaultMetrics, Registry } from 'prom-client';

export const PORT = Number(process.env.PORT);
export const ORIGIN = process.env.ORIGIN ?? '';
export const VARIANT = process.env.VARIANT ?? 'good';
export const startedAt = Date.now();

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const health = () => ({ status: 'healthy', version: '1.0.0', uptime: Math.round((Date.now() - startedAt) / 1000) });
export const hasBearer = (value) => /^Bearer \S+/.test(value ?? '');
export const chatAnswer = (body) => ({ answer: `echo: ${String(body?.query ?? '')}` });
export const unauthorized = { error: 'missing bearer token' };

export function ready(name) {
  console.log(`${name} listening on 127.0.0.1:${PORT} (variant ${VARIANT}, origin ${ORIGIN})`);
}
