import { FAULTS } from '../server/faults.js';
import { PACE_HELP } from '../server/pace.js';
import type { CommandDef } from './program.js';

/** The command table. Each `load` is a dynamic import: only the command that runs pays for its libraries. */
export const COMMANDS: CommandDef[] = [
  {
    name: 'audit',
    summary: 'run every check against the gateway and the RAG backend (the default command)',
    isDefault: true,
    examples: [
      'zantara-audit audit --local',
      'zantara-audit audit --json > report.json',
      'zantara-audit --gateway https://api.example.com --rag https://rag.example.com --origin https://app.example.com',
    ],
    load: () => import('./commands/audit.js'),
  },
  {
    name: 'health',
    summary: 'check /health and /metrics of both services (status, JSON body, latency, CORS, event-loop lag)',
    examples: ['zantara-audit health --local', 'zantara-audit health --local --fault health-down --json', 'zantara-audit health --timeout 2000 --retries 2'],
    load: () => import('./commands/health.js'),
  },
  {
    name: 'preflight',
    summary: "the CORS preflight (OPTIONS) a browser sends before the app's API call, judged by the Fetch standard",
    examples: ['zantara-audit preflight --local', 'zantara-audit preflight --api-path /api/chat', 'zantara-audit preflight --local --fault preflight-no-auth-header --json'],
    load: () => import('./commands/preflight.js'),
  },
  {
    name: 'headers',
    summary: 'CORS on the actual responses (API call, credentialed GET, event stream), error responses, gateway/RAG divergence, and hostile-origin probes',
    examples: [
      'npx zantara-audit headers',
      'zantara-audit headers --local --fault reflect-origin',
      'zantara-audit headers --origin https://app.example.com --skip cors.probe.platform',
    ],
    load: () => import('./commands/headers.js'),
  },
  {
    name: 'browser',
    summary:
      "ask headless Chromium: the web app's real fetch and EventSource calls from its origin, then from a foreign one, then from every hostile probe origin beside the header rules' verdicts",
    examples: [
      'zantara-audit browser --local',
      'zantara-audit browser --browser-path /usr/bin/google-chrome --json',
      'CHROME_PATH=/opt/chromium/chrome zantara-audit browser --api-path /api/v2/chat',
    ],
    options: [['--browser-path <file>', 'Chromium executable (env CHROME_PATH; default /usr/bin/chromium)']],
    load: () => import('./commands/browser.js'),
  },
  {
    name: 'stream',
    summary:
      "the answer stream as EventSource (or, with --transport fetch, the app's fetch() reader, SSE or NDJSON) reads it: status, type, done, protocol, timing, buffering, CORS, reconnect after done, empty query, disconnect cleanup",
    examples: [
      'zantara-audit stream --local',
      'zantara-audit stream --query "visa for Bali" --stream-timeout 60000',
      'zantara-audit stream --local --fault no-done --json',
      'zantara-audit stream --local --transport fetch --stream-format ndjson',
      'zantara-audit stream --rag https://rag.example.com --stream-path /v1/chat-stream --skip sse.disconnect',
    ],
    load: () => import('./commands/stream.js'),
  },
  {
    name: 'load',
    summary:
      "hold N concurrent answer streams on the RAG (or open them at --rate): success rate, TTFT, inter-token latency, time to done, goodput, the RAG's event-loop lag under load",
    examples: [
      'zantara-audit load --local --connections 2000 --duration 5',
      'zantara-audit load --rag https://staging-rag.example.com --connections 500 --ramp 5000 --duration 60 --yes',
      'zantara-audit load --local --fault max-streams=50 --connections 200 --duration 2 --json',
      'zantara-audit load --local --rate 50 --arrival poisson --seed 7 --duration 5',
      'zantara-audit load --local --transport fetch --stream-format ndjson --connections 200 --duration 2',
    ],
    options: [['--yes', 'allow more than 200 streams to a host that is not loopback (it loads a real service)']],
    load: () => import('./commands/load.js'),
  },
  {
    name: 'exporter',
    summary: 'a Prometheus exporter (like blackbox_exporter): GET /probe?target=<name>&module=<module> runs that audit once against a configured target; /metrics; /',
    examples: [
      'zantara-audit exporter --local',
      'zantara-audit exporter --local --fault no-done --listen 127.0.0.1:9464   # then: curl "http://127.0.0.1:9464/probe?target=local&module=stream"',
      'zantara-audit exporter --config zantara-audit.config.json --listen 0.0.0.0:9464 --log-dir /var/log/zantara-audit',
      'curl "http://127.0.0.1:9464/probe?target=local&module=audit&debug=true"',
    ],
    moreHelp: () =>
      `\nModules: audit, health, preflight, headers, stream (the commands of the same name), and exporter.modules in the config.\nTargets: exporter.targets in the config (name → gateway, rag, origin, headers, skip, settings); a URL as target is refused (400).\nPrometheus scrape config, alert rules and a Grafana dashboard: examples/ in the repository, README "Prometheus exporter".\n`,
    load: () => import('./commands/exporter.js'),
  },
  {
    name: 'serve',
    summary: 'run the embedded reference gateway + RAG on loopback (optionally with faults)',
    examples: [
      'zantara-audit serve',
      'zantara-audit serve --gateway-port 8080 --rag-port 8000',
      'zantara-audit serve --fault reflect-origin,no-done',
      'zantara-audit serve --ttft 800 --token-interval 30 --jitter 10',
    ],
    options: [
      ['--gateway-port <port>', 'gateway port (default: a free port)'],
      ['--rag-port <port>', 'RAG port (default: a free port)'],
      ['--host <host>', 'loopback address to bind (default 127.0.0.1)'],
      ['--stream-format <format>', 'framing of the answer stream, GET and POST alike: sse (default) or ndjson'],
      ['--ready-json', 'print one JSON line {gateway, rag} when listening (for tools)'],
      ['--exit-on-stdin-close', 'exit when stdin closes (used by --local)'],
    ],
    moreHelp: () =>
      `\n${PACE_HELP}\n\nFaults (--fault a,b; also with --local on any command):\n${Object.entries(FAULTS)
        .map(([name, what]) => `  ${name.padEnd(26)} ${what}`)
        .join('\n')}\n`,
    load: () => import('./commands/serve.js'),
  },
  {
    name: 'config',
    argument: ['<action>', 'check'],
    summary: '`config check`: validate and print the merged config (secrets redacted) without sending a request',
    examples: ['zantara-audit config check', 'zantara-audit config check --config ./zantara-audit.config.json --origin https://app.example.com'],
    load: () => import('./commands/config.js'),
  },
];
