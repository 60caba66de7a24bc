/**
 * The exporter's HTTP server, in the mould of Prometheus's blackbox_exporter: `/probe` runs one
 * audit per scrape, `/metrics` is the exporter itself, `/` lists what it may probe. Every answer
 * is text; bad input is a 400 with one line; more than `maxConcurrent` probes a 503.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../checks/config.js';
import type { Redactor } from '../core/redact.js';
import { CONTENT_TYPE } from '../prometheus/writer.js';
import { VERSION } from '../version.js';
import type { LogDir } from './log-dir.js';
import { renderPage, type LastResult } from './page.js';
import { modules, planKey, type ProbePlan } from './plan.js';
import { runProbe } from './prober.js';
import { TargetActivity } from './quiet.js';
import { renderDebug, renderProbe } from './render.js';
import { parseProbeQuery, probeDeadlineMs } from './request.js';
import { ExporterMetrics } from './self-metrics.js';

export interface ExporterOptions {
  host: string;
  port: number;
  config: Config;
  plans: Map<string, ProbePlan>;
  logs: LogDir | undefined;
  redactor: Redactor;
}

export interface RunningExporter {
  url: string;
  close(): Promise<void>;
}

export async function startExporter(options: ExporterOptions): Promise<RunningExporter> {
  const { config, plans, redactor } = options;
  const targets = Object.keys(config.exporter.targets);
  const moduleNames = Object.keys(modules(config));
  const metrics = new ExporterMetrics();
  const activity = new TargetActivity();
  const last = new Map<string, LastResult>();
  const probes = new Set<AbortController>();

  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.end(redactor.redact(body));
  };
  const refuse = (res: ServerResponse, status: 400 | 404 | 405 | 503, reason: string) => {
    metrics.refusedRequest(status === 503 ? 'busy' : status === 400 ? 'bad_request' : 'not_found');
    send(res, status, 'text/plain; charset=utf-8', `${reason}\n`);
  };

  async function probe(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): Promise<void> {
    const header = req.headers['x-prometheus-scrape-timeout-seconds'];
    const q = parseProbeQuery(params, Array.isArray(header) ? header[0] : header, targets, moduleNames);
    if ('error' in q) return refuse(res, 400, q.error);
    if (metrics.inFlight >= config.exporter.maxConcurrent) {
      return refuse(res, 503, `busy: ${metrics.inFlight} probes in flight (exporter.maxConcurrent ${config.exporter.maxConcurrent}); scrape less often or raise it`);
    }
    const plan = plans.get(planKey(q.target, q.module)) as ProbePlan;
    const controller = new AbortController();
    // Prometheus gave up (or the exporter stops): nobody reads the answer, stop sending to the target.
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('the scrape was cancelled'));
    });
    probes.add(controller);
    metrics.inFlight++;
    try {
      const result = await runProbe(plan, probeDeadlineMs(plan.timeoutMs, q.scrapeTimeoutMs, config.exporter.timeoutMarginMs), controller.signal, { activity, logs: options.logs });
      metrics.probed(q.module, result.success, result.durationMs / 1000);
      const count = (s: string) => result.findings.filter((f) => f.status === s).length;
      last.set(planKey(q.target, q.module), { success: result.success, at: result.startedAt, durationMs: result.durationMs, failed: count('fail'), warned: count('warn') });
      const text = renderProbe(result);
      if (q.debug) send(res, 200, 'text/plain; charset=utf-8', renderDebug(result, text));
      else send(res, 200, CONTENT_TYPE, text);
    } finally {
      metrics.inFlight--;
      probes.delete(controller);
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://exporter.invalid');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, `method ${req.method} not allowed: GET /probe, /metrics or /`);
    if (url.pathname === '/probe') {
      void probe(req, res, url.searchParams).catch((err: unknown) => {
        if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', `internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      });
      return;
    }
    if (url.pathname === '/metrics') {
      void metrics.text().then((text) => send(res, 200, CONTENT_TYPE, text));
      return;
    }
    if (url.pathname === '/')
      return send(
        res,
        200,
        'text/html; charset=utf-8',
        renderPage([...plans.values()], last, (p) => planKey(p.target, p.module), VERSION),
      );
    refuse(res, 404, `no such page ${url.pathname.slice(0, 80)}: GET /probe?target=&module=, /metrics or /`);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;
  server.maxHeadersCount = 100;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of probes) c.abort(new Error('the exporter is stopping'));
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
