import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults } from './faults.js';
import { createGateway } from './gateway.js';
import { createMetrics } from './metrics.js';
import type { StreamFormat } from './ndjson-framing.js';
import { createRag } from './rag.js';
import { answerClientError } from './respond.js';

export interface ReferenceOptions {
  origin: string;
  faults?: Faults;
  host?: string;
  gatewayPort?: number;
  ragPort?: number;
  tokenDelayMs?: number;
  streamFormat?: StreamFormat;
  log?: (line: string) => void;
}

export interface RunningReference {
  gateway: string;
  rag: string;
  faults: string[];
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Node's default backlog (511) overflows when thousands of load streams connect at once, and
    // each dropped SYN costs the client a 1 s retransmit; the kernel caps this at somaxconn.
    server.listen({ port, host, backlog: 4096 }, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve(`http://${host.includes(':') ? `[${host}]` : host}:${bound}`);
    });
  });
}

/** Busy loop for the `eventloop-lag` fault: blocks 60 ms at once, then every 100 ms, so even a scrape right after start sees it. */
function startBusyLoop(): NodeJS.Timeout {
  const block = () => {
    const until = performance.now() + 60;
    while (performance.now() < until) {
      /* blocking on purpose */
    }
  };
  setTimeout(block, 10);
  return setInterval(block, 100);
}

/** Start the reference gateway and RAG on two loopback ports, so they are really cross-origin. */
export async function startReference(options: ReferenceOptions): Promise<RunningReference> {
  const faults = options.faults ?? new Faults();
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const startedAt = Date.now();
  const common = { origin: options.origin, faults, startedAt, log };
  const metrics = [createMetrics('gateway'), createMetrics('rag')] as const;
  const gateway = createGateway({ ...common, metrics: metrics[0] });
  const rag = createRag({ ...common, metrics: metrics[1], tokenDelayMs: options.tokenDelayMs ?? 20, streamFormat: options.streamFormat });
  for (const server of [gateway, rag]) {
    server.keepAliveTimeout = 5000;
    server.on('clientError', answerClientError);
  }
  const [gatewayUrl, ragUrl] = await Promise.all([listen(gateway, options.gatewayPort ?? 0, host), listen(rag, options.ragPort ?? 0, host)]);
  // A scrape resets prom-client's event-loop histogram: start the window when we are ready, so
  // start-up work (module loading, JIT) is not reported as the service's lag.
  await Promise.all(metrics.map((m) => m.registry.metrics()));
  const busy = faults.has('eventloop-lag') ? startBusyLoop() : undefined;
  return {
    gateway: gatewayUrl,
    rag: ragUrl,
    faults: faults.list(),
    async close() {
      clearInterval(busy);
      await Promise.all([gateway, rag].map((s) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); })));
    },
  };
}
