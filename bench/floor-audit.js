// The floor for benchmark 4: the requests an `audit` run made (read from its audit log), sent
// again with undici and eventsource-parser and nothing else: no config validation, no judging, no
// report, no waiting for gauges. It sends them as fast as their own dependencies allow, whatever
// order the audit used: the opening metrics scrapes; then every request that is not the answer
// stream, its replay, the closing scrapes or the disconnect pair, all at once; the answer stream
// read to its end, then its replay; the closing scrapes; the disconnect stream and the second one.
// Streams are read to their end, or to the first event where the audit aborted them.
//   node bench/floor-audit.js <audit.jsonl> --local            (spawns the reference server, as --local does)
//   node bench/floor-audit.js <audit.jsonl> <gateway> <rag>
import { readFileSync } from 'node:fs';
import Agent from 'undici/lib/dispatcher/agent.js';
import { createParser } from 'eventsource-parser';

const [logPath, a, b] = process.argv.slice(2);
const lines = readFileSync(logPath, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const run = lines.find((l) => l.type === 'run');
const recorded = { gateway: new URL(run.config.targets.gateway.url).origin, rag: new URL(run.config.targets.rag.url).origin };
let server;
if (a === '--local') {
  const { startServer } = await import('./lib.js');
  server = await startServer(['--origin', run.config.origin]);
}
const now = { gateway: new URL(server ? server.gateway : a).origin, rag: new URL(server ? server.rag : b).origin };
const agent = new Agent();

function send(obs) {
  const url = new URL(obs.request.url.replace(recorded[obs.target], now[obs.target]));
  const stream = obs.response?.headers?.['content-type']?.startsWith('text/event-stream');
  // Ended by the audit itself (`end` of an exchange, or `record.end.reason` of a stream record).
  const ended = obs.record?.end?.reason ?? obs.end;
  const stopAtFirst = ended === 'aborted' || ended === 'cap';
  return new Promise((resolve) => {
    let abort;
    let events = 0;
    const parser = stream
      ? createParser({
          onEvent: (e) => {
            events++;
            JSON.parse(e.data === '[DONE]' ? 'null' : e.data);
            if (stopAtFirst) abort?.(new Error('first event'));
          },
        })
      : undefined;
    const timer = setTimeout(() => abort?.(new Error('deadline')), 10_000);
    const done = () => {
      clearTimeout(timer);
      resolve(events);
    };
    agent.dispatch(
      {
        origin: url.origin,
        path: url.pathname + url.search,
        method: obs.request.method,
        headers: obs.request.headers,
        body: obs.request.method === 'POST' ? '{"query":"hello"}' : undefined,
      },
      {
        onConnect: (x) => (abort = x),
        onHeaders: () => true,
        onData: (chunk) => {
          parser?.feed(chunk.toString('utf8'));
          return true;
        },
        onComplete: done,
        onError: done,
      },
    );
  });
}

const observations = lines.filter((l) => l.type === 'observation' && l.request);
const is = (purpose) => (o) => o.purpose === purpose;
const answer = observations.findIndex(is('sse.stream'));
const opening = observations.filter((o, i) => o.purpose === 'metrics' && (answer < 0 || i < answer));
const closing = observations.filter((o, i) => o.purpose === 'metrics' && answer >= 0 && i > answer);
const ordered = new Set(['metrics', 'sse.stream', 'sse.replay', 'sse.disconnect', 'sse.disconnect.second']);
const burst = observations.filter((o) => !ordered.has(o.purpose));
await Promise.all(opening.map(send));
await Promise.all(burst.map(send));
for (const o of observations.filter(is('sse.stream'))) await send(o);
for (const o of observations.filter(is('sse.replay'))) await send(o);
await Promise.all(closing.map(send));
for (const o of observations.filter(is('sse.disconnect'))) await send(o);
for (const o of observations.filter(is('sse.disconnect.second'))) await send(o);
await agent.close();
await server?.close();
