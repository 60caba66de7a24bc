/**
 * `browser.agreement` under `--transport fetch`: each hostile origin's page replays the app's
 * fetch() stream call (method, body, headers with placeholder secrets, credentials mode; its
 * preflight first), and the header rules judge the same call (preflight, then the head), so the
 * two compare like with like. EventSource (the old replay) never preflights and sends no
 * credentials: under `rag-wildcard` it reads the stream from anywhere, while the app's
 * credentialed fetch() cannot.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FAST, type JsonFinding, runJson, statusOf } from '../helpers/cli.js';

const CHROMIUM = '/usr/bin/chromium';
const LONG = { timeoutMs: 240_000 };
/** Platform probes are 23 more pages that test nothing the others do not; the app's own calls are browser.test.ts's. */
const ARGS = ['--local', '--transport', 'fetch', '--skip', 'cors.probe.platform', '--no-log', ...FAST];
type Row = { kind: string; stream: { chromium: string; rules: string } };
type Agreement = JsonFinding & { evidence?: { compared?: number; probes?: Row[] } };

const dir = mkdtempSync(join(tmpdir(), 'zantara-fetch-agreement-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const OMIT = join(dir, 'omit.json');
writeFileSync(OMIT, JSON.stringify({ stream: { credentials: 'omit' } }));

async function agreement(args: string[]): Promise<{ f: Agreement; rows: Row[]; code: number | null }> {
  const { result, report } = await runJson(['browser', ...ARGS, ...args], LONG);
  const f = report.findings.find((x) => x.id === 'browser.agreement') as Agreement;
  expect(f?.status, `${f?.observed}\n${result.stderr}`).toBe('pass');
  // localhost cannot be played by a page of ours: the other 14 origins' stream call is compared.
  const rows = (f.evidence?.probes ?? []).filter((r) => r.kind !== 'localhost');
  expect(rows).toHaveLength(14);
  expect(f.evidence?.compared).toBe(42);
  expect(statusOf(report, 'browser.agreement')).toEqual(['pass']);
  return { f, rows, code: result.code };
}

describe.skipIf(!existsSync(CHROMIUM))('browser.agreement replays the app fetch() stream from every hostile origin', () => {
  it('the clean server: every origin is stopped at the POST preflight, in Chromium and by the rules', { timeout: 240_000 }, async () => {
    const { rows, code } = await agreement([]);
    for (const r of rows) {
      expect(r.stream.chromium, r.kind).toMatch(/^not readable \(blocked by CORS: Response to preflight request doesn't pass access control check/);
      expect(r.stream.rules, r.kind).toMatch(/^not readable \(preflight 204: /);
    }
    expect(code).toBe(0);
  });

  it('rag-wildcard, credentials include: Access-Control-Allow-Origin * fails the credentialed preflight in both (an EventSource replay would have read it)', {
    timeout: 240_000,
  }, async () => {
    const { rows } = await agreement(['--fault', 'rag-wildcard']);
    for (const r of rows) {
      expect(r.stream.chromium, r.kind).toMatch(/^not readable \(blocked by CORS: .*wildcard '\*' when the request's credentials mode is 'include'/);
      expect(r.stream.rules, r.kind).toMatch(/^not readable \(preflight 204: /);
    }
  });

  it('rag-wildcard, credentials omit: every hostile origin reads the stream, in both', { timeout: 240_000 }, async () => {
    const { rows } = await agreement(['--fault', 'rag-wildcard', '--config', OMIT]);
    for (const r of rows) {
      expect(r.stream.chromium, r.kind).toMatch(/^readable \(readable \(200\)\)/);
      expect(r.stream.rules, r.kind).toMatch(/^readable \(200: /);
    }
  });
});
