import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Faults } from './faults.js';
import { createGateway } from './gateway.js';
import { createMetrics } from './metrics.js';
import type { StreamFormat } from './ndjson-framing.js';
import { createRag } from './rag.js';
import { DEFAULT_PACE, type Pace } from './pace.js';
import { answerClientError } from './respond.js';

export interface ReferenceOptions {
  origin: string;
  faults?: Faults;
  host?: string;
  gatewayPort?: number;
  ragPort?: number;
  /** How fast answers are generated; unset fields take DEFAULT_PACE's. */
  pace?: Partial<Pace>;
  /** `serve --stream-format`: SSE (default) or NDJSON framing of the answer. */
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

function blockFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* blocking on purpose */
  }
}

/** Start-up work as the loop sees it: 25 ms blocks (a module's evaluation, a JIT burst) for `ms`, yielding between them. */
async function busyFor(ms: number): Promise<void> {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    blockFor(25);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Busy loop for the `eventloop-lag` fault: blocks 60 ms at once, then every 100 ms, so even a scrape right after start sees it. */
function startBusyLoop(): NodeJS.Timeout {
  const block = () => blockFor(60);
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
  const rag = createRag({ ...common, metrics: metrics[1], pace: { ...DEFAULT_PACE, ...options.pace }, streamFormat: options.streamFormat });
  for (const server of [gateway, rag]) {
    server.keepAliveTimeout = 5000;
    server.on('clientError', answerClientError);
  }
  // Fault busy-startup: a big app's import graph and warm-up run after the metrics module started
  // the lag monitor and before listening, and nothing resets the window when the server is ready.
  const busyStartup = faults.has('busy-startup');
  if (busyStartup) await busyFor(faults.number('busy-startup', 500));
  const [gatewayUrl, ragUrl] = await Promise.all([listen(gateway, options.gatewayPort ?? 0, host), listen(rag, options.ragPort ?? 0, host)]);
  // A scrape resets prom-client's event-loop histogram: start the window when we are ready, so
  // start-up work (module loading, JIT) is not reported as the service's lag.
  if (!busyStartup) await Promise.all(metrics.map((m) => m.registry.metrics()));
  const busy = faults.has('eventloop-lag') ? startBusyLoop() : undefined;
  return {
    gateway: gatewayUrl,
    rag: ragUrl,
    faults: faults.list(),
    async close() {
      clearInterval(busy);
      await Promise.all(
        [gateway, rag].map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      );
    },
  };
}
