import type { ServerResponse } from 'node:http';
import { VERSION } from '../version.js';
import type { ServiceOptions } from './service.js';
import { sendJson } from './respond.js';

const SLOW_HEALTH_MS = 1500;

export function healthRoute(res: ServerResponse, options: ServiceOptions): void {
  const { faults } = options;
  if (faults.has('health-down')) return sendJson(res, 503, { status: 'unhealthy', reason: 'fault health-down' });
  if (faults.has('health-bad-json')) {
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end('{"status": "healthy", "version": ');
  }
  const body = { status: 'healthy', version: VERSION, uptime: Math.round((Date.now() - options.startedAt) / 1000) };
  if (faults.has('health-slow')) {
    const timer = setTimeout(() => sendJson(res, 200, body), SLOW_HEALTH_MS);
    res.on('close', () => clearTimeout(timer));
    return;
  }
  sendJson(res, 200, body);
}

export async function metricsRoute(res: ServerResponse, options: ServiceOptions): Promise<void> {
  if (options.faults.has('no-metrics')) return sendJson(res, 404, { error: 'not found' });
  const text = await options.metrics.registry.metrics();
  res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
  res.end(text);
}
