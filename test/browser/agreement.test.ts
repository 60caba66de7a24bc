import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonFinding, runJson } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
/** Platform probes are 23 more pages that test nothing the others do not; the replay is per origin. */
const FEW = ['--skip', 'cors.probe.platform'];
const LONG = { timeoutMs: 240_000 };
type Finding = JsonFinding & { evidence?: { compared?: number; replayMs?: number; probes?: Array<{ kind: string; credentialed: { chromium: string; rules: string } }> } };

const agreement = (findings: JsonFinding[]) => findings.find((f) => f.id === 'browser.agreement') as Finding | undefined;

describe.skipIf(!existsSync(CHROMIUM))('browser replays every hostile origin the header rules judge (browser.agreement)', () => {
  it('the clean reference server: Chromium and the rules agree on every probe origin and call', { timeout: 240_000 }, async () => {
    const { result, report } = await runJson(['browser', '--local', '--no-log', ...FEW], LONG);
    const f = agreement(report.findings);
    expect(f?.status, f?.observed).toBe('pass');
    // 15 origins; localhost cannot be played by a page of ours; 14 × 3 calls compared.
    expect(f?.evidence?.probes).toHaveLength(15);
    expect(f?.evidence?.compared).toBe(42);
    expect(f?.observed).toMatch(/^15 hostile origins replayed in \d+ ms, 42 calls compared, all agree; not replayed: localhost/);
    expect(result.code, result.stderr).toBe(0);
    console.log(`browser.agreement replay: ${f?.evidence?.replayMs} ms for ${f?.evidence?.probes?.length} origins`);
  });

  it('regex-prefix with an http origin: both see the prefix hole (derived as in cors.probe.*), and agree', { timeout: 240_000 }, async () => {
    const { report } = await runJson(['browser', '--local', '--fault', 'regex-prefix', '--origin', 'http://app.example.test:8080', '--no-log', ...FEW], LONG);
    const f = agreement(report.findings);
    expect(f?.status, f?.observed).toBe('pass');
    const prefix = f?.evidence?.probes?.find((p) => p.kind === 'prefix');
    expect(prefix?.credentialed.chromium).toMatch(/^readable/);
    expect(prefix?.credentialed.rules).toMatch(/^readable/);
  });

  describe('a server that grants CORS only to requests with Sec-Fetch-Mode (only browsers send it): the rules cannot see it', () => {
    let server: Server;
    let url = '';
    beforeAll(async () => {
      server = createServer((req, res) => {
        const origin = req.headers.origin;
        if (origin && (origin === 'https://zantara.balizero.com' || req.headers['sec-fetch-mode'] !== undefined)) {
          res.setHeader('access-control-allow-origin', origin);
          res.setHeader('access-control-allow-credentials', 'true');
        }
        res.setHeader('vary', 'Origin');
        if (req.method === 'OPTIONS') {
          res.writeHead(204, { 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, authorization' });
          return void res.end();
        }
        req.resume();
        if (req.url?.startsWith('/bali-zero/chat-stream')) {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
          return void res.end('data: {"type":"done","data":null}\n\n');
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"status":"healthy","version":"1.0.0"}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('browser.agreement FAILS with both verdicts for each origin Chromium could read', { timeout: 240_000 }, async () => {
      const { result, report } = await runJson(['browser', '--gateway', url, '--rag', url, '--timeout', '15000', '--no-log', ...FEW], LONG);
      const f = agreement(report.findings);
      expect(f?.status).toBe('fail');
      expect(f?.observed).toMatch(
        /^https:\/\/evil\.example \(arbitrary\), GET with credentials: 'include': Chromium readable \(readable \(200\)\); rules not readable \(200: no Access-Control-Allow-Origin header\)$/m,
      );
      // The sandboxed frame's Origin: null is replayed too.
      expect(f?.observed).toMatch(/^null \(null\), GET with credentials: 'include': Chromium readable \(readable \(200\)\); rules not readable/m);
      expect(result.code).toBe(1);
    });
  });
});
