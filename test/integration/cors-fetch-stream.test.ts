/**
 * CORS of the answer stream when the app opens it with fetch() (`--transport fetch`): the POST
 * with a JSON body and a bearer token is preflighted (R-REQ-4), its actual and error responses
 * need CORS with credentials (R-CHK-*, R-CHK-8), and the hostile-origin probes cover it too.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type JsonFinding, type JsonReport, runCli, runJson, statusOf } from '../helpers/cli.js';

const PREFLIGHT_IDS = [
  'cors.preflight.headers-present',
  'cors.preflight.status',
  'cors.preflight.allow-origin',
  'cors.preflight.allow-credentials',
  'cors.preflight.allow-methods',
  'cors.preflight.allow-headers',
  'cors.preflight.max-age',
];
const FETCH = ['--transport', 'fetch'];
const ragFindings = (report: JsonReport) => report.findings.filter((f) => f.target === 'rag');
const notPassing = (report: JsonReport) => report.findings.filter((f) => f.status === 'fail' || f.status === 'warn').map((f: JsonFinding) => `${f.target} ${f.id} ${f.status}`);

describe('preflight --transport fetch', () => {
  it("the clean server: both preflights pass, the stream's judged on the RAG with the request the app makes", async () => {
    const { result, report } = await runJson(['preflight', '--local', ...FETCH, '--no-log']);
    expect(result.code, result.stderr).toBe(0);
    for (const id of PREFLIGHT_IDS) {
      expect(statusOf(report, id, 'gateway'), id).toEqual(['pass']);
      expect(statusOf(report, id, 'rag'), id).toEqual(['pass']);
    }
    const headers = report.findings.find((f) => f.target === 'rag' && f.id === 'cors.preflight.allow-headers') as JsonFinding & {
      evidence?: { request?: Record<string, unknown> };
    };
    expect(JSON.stringify(headers.evidence)).toMatch(/authorization,content-type/);
  });

  it('with EventSource the stream is never preflighted (R-ES-4): no RAG preflight findings', async () => {
    const { result, report } = await runJson(['preflight', '--local', '--no-log']);
    expect(result.code, result.stderr).toBe(0);
    expect(ragFindings(report)).toEqual([]);
  });

  it.each([
    ['preflight-no-auth-header', ['gateway cors.preflight.allow-headers fail', 'rag cors.preflight.allow-headers fail']],
    [
      'rag-auth-before-cors',
      [
        'rag cors.preflight.headers-present fail',
        'rag cors.preflight.status fail',
        'rag cors.preflight.allow-origin fail',
        'rag cors.preflight.allow-credentials fail',
        'rag cors.preflight.allow-headers fail',
        'rag cors.preflight.max-age warn',
      ],
    ],
  ])('%s fails the stream preflight', async (fault, expected) => {
    const { result, report } = await runJson(['preflight', '--local', ...FETCH, '--fault', fault, '--no-log']);
    expect(notPassing(report).sort()).toEqual([...expected].sort());
    expect(result.code).toBe(1);
  });
});

describe('headers --transport fetch', () => {
  it("the clean server: the stream's actual response, its 401 and the probes on it all pass", async () => {
    const { result, report } = await runJson(['headers', '--local', ...FETCH, '--no-log']);
    expect(result.code, result.stderr).toBe(0);
    expect(statusOf(report, 'cors.headers.stream', 'rag')).toEqual(['pass']);
    expect(statusOf(report, 'cors.error-response', 'rag')).toEqual(['pass']);
    const probes = ragFindings(report).filter((f) => f.id.startsWith('cors.probe.'));
    expect(probes.length).toBeGreaterThan(10);
    expect(new Set(probes.map((f) => f.status))).toEqual(new Set(['pass']));
  });

  it("rag-auth-before-cors: the stream's 401 has no CORS headers, so the app sees a TypeError (R-CHK-8)", async () => {
    const { result, report } = await runJson(['headers', '--local', ...FETCH, '--fault', 'rag-auth-before-cors', '--no-log']);
    expect(notPassing(report)).toEqual(['rag cors.error-response fail']);
    expect(result.code).toBe(1);
  });

  it('rag-wildcard: `*` never passes a credentialed fetch() (R-CHK-3)', async () => {
    const { report } = await runJson(['headers', '--local', ...FETCH, '--fault', 'rag-wildcard', '--no-log']);
    expect(statusOf(report, 'cors.headers.stream', 'rag')).toEqual(['fail']);
  });
});

describe('audit --local --transport fetch', () => {
  it('runs everything against the fetch() stream and passes on the clean server', async () => {
    // Event-loop lag measures the shared test machine, not the transport: waived as pack/sea tests do.
    const { result, report } = await runJson(['audit', '--local', ...FETCH, '--no-log', '--skip', 'metrics.eventloop-lag']);
    expect(result.code, `${result.stderr}\n${notPassing(report).join('\n')}`).toBe(0);
    expect(statusOf(report, 'cors.preflight.allow-headers', 'rag')).toEqual(['pass']);
    expect(statusOf(report, 'sse.done')).toEqual(['pass']);
  });
});

describe('cors.requests.stream with --transport fetch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zantara-cors-fetch-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('describes the EventSource call, which fetch does not make: exit 2 before anything is sent, one line naming the field to set instead', async () => {
    const file = join(dir, 'eventsource-path.json');
    writeFileSync(file, JSON.stringify({ cors: { requests: { stream: { path: '/v2/stream' } } } }));
    const r = await runCli(['headers', '--local', ...FETCH, '--config', file, '--no-log']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      `zantara-audit: config error: cors.requests.stream.path (from file ${file}): describes the EventSource call, which stream.transport "fetch" does not make; set stream.path instead (one description of the stream call for every check)`,
    );
    // The same file is a valid EventSource description.
    expect((await runCli(['config', 'check', '--config', file])).code).toBe(0);
  });
});
