// Benchmark 4: the whole audit's wall time (bench/README.md).   node bench/audit-wall.bench.js [rounds]
// `audit --local` against the floor for a Node tool (bench/floor-audit.js: the same requests,
// taken from an audit log, with undici + eventsource-parser and no judging), both spawning the
// reference server; then, against one running server, the audit, the floor, and the production
// doc's curl checks (curl -sI, curl -I -H "Origin: ...", curl -N), which do strictly less.
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { alternate, BIN, machine, ROOT, startServer, table } from './lib.js';

const rounds = Number(process.argv[2] ?? 15);
const out = `${ROOT}bench/out/`;
mkdirSync(out, { recursive: true });
const log = `${out}audit-for-floor.jsonl`;
const made = spawnSync(process.execPath, [BIN, 'audit', '--local', '--log', log, '--json'], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
if (made.status !== 0 && made.status !== 1) throw new Error(`audit --local exited ${made.status}: ${made.stderr}`);
const node = process.execPath;
const floor = `${ROOT}bench/floor-audit.js`;
const origin = 'https://zantara.balizero.com';

const spawned = alternate(
  [
    { label: 'bench/floor-audit.js (spawns the server)', cmd: node, args: [floor, log, '--local'] },
    { label: 'zantara-audit audit --local', cmd: node, args: [BIN, 'audit', '--local', '--no-log'], okCodes: [0, 1] },
    // The disconnect check waits for the server's gauge (baseline scrapes, then its release): judging time, not requests.
    { label: 'zantara-audit audit --local --skip sse.disconnect', cmd: node, args: [BIN, 'audit', '--local', '--no-log', '--skip', 'sse.disconnect'], okCodes: [0, 1] },
  ],
  rounds,
);

const server = await startServer();
const curl = `curl -sI ${server.gateway}/health >/dev/null && curl -sI -H 'Origin: ${origin}' ${server.gateway}/health >/dev/null && curl -sN '${server.rag}/bali-zero/chat-stream?query=hello' >/dev/null`;
const running = alternate(
  [
    { label: 'bench/floor-audit.js (running server)', cmd: node, args: [floor, log, server.gateway, server.rag] },
    { label: 'zantara-audit audit (running server)', cmd: node, args: [BIN, 'audit', '--gateway', server.gateway, '--rag', server.rag, '--no-log'], okCodes: [0, 1] },
    { label: 'curl -sI; curl -I -H Origin; curl -N', cmd: '/bin/sh', args: ['-c', curl] },
  ],
  rounds,
);
await server.close();
const requests = spawnSync('grep', ['-c', '"type":"observation"', log], { encoding: 'utf8' }).stdout.trim();
const m = machine();
const rows = [...spawned, ...running].map((r) => ({ command: r.label, 'median ms': r.medianMs, 'min ms': r.minMs, 'x floor': r.ratio }));
console.log(`${m.nproc} cores, ${m.cpu}, node ${m.node}; ${rounds} alternating rounds; ${requests} requests in the audit\n`);
console.log(table(rows));
writeFileSync(`${out}audit-wall.json`, `${JSON.stringify({ machine: m, rounds, requests: Number(requests), spawned, running }, null, 2)}\n`);
