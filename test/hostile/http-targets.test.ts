/**
 * The built CLI (`health`) against targets that misbehave at the HTTP layer. Every run must end
 * within its deadline, with a failed finding that says what happened, under the RSS cap, with a
 * complete audit log — and the configured secret header never reaches another origin.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath, makeThrowawayCert } from '../../src/checks/browser/tls.js';
import { findingsOf, removeScratch, RSS_CAP_MB, runHostile, scratchDir, type HostileRun } from './run.js';
import { OFFERED, startHostile, type HostileServer, type Mode } from './server.js';

const TIMEOUT_MS = 2000;
/** `health` sends two exchanges per target one after the other (health, then metrics), each under --timeout. */
const DEADLINE_MS = 2 * TIMEOUT_MS + 10_000;
const SECRET = ['--header', 'Authorization: Bearer s3cr3t'];
/** The openssl CLI, when the machine has one (the HTTPS cases are skipped, and say so, without it). */
const openssl = findOnPath('openssl');

let hostile: HostileServer;
let certPath = '';
beforeAll(async () => {
  // A fresh certificate per run, made at test time, so no key ever lives in the repository.
  const tls = openssl ? await makeThrowawayCert(openssl, scratchDir(), ['127.0.0.1', 'localhost'], 10_000) : undefined;
  certPath = tls?.certPath ?? '';
  hostile = await startHostile({ tls });
});
afterAll(async () => {
  await hostile.close();
  removeScratch();
});

/** What every hostile run must satisfy, whatever the target did. */
function expectBounded(run: HostileRun, code: number): void {
  expect(run.code, run.stderr).toBe(code);
  expect(run.report, 'stdout is one JSON report').toBeDefined();
  expect(run.report?.exitCode).toBe(code);
  expect(run.stderr).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m);
  expect(run.wallMs).toBeLessThan(DEADLINE_MS);
  expect(run.peakRssMb).toBeLessThan(RSS_CAP_MB);
  expect(run.log[0]?.type).toBe('run');
  expect(run.log.at(-1)).toMatchObject({ type: 'footer', exitCode: code, interrupted: null });
}

function health(base: string, extra: string[] = []): Promise<HostileRun> {
  return runHostile(['health', '--gateway', base, '--rag', base, '--timeout', String(TIMEOUT_MS), ...SECRET, ...extra]);
}

/** The health.status finding of both targets: failed, with an observation matching `observed`. */
function expectStatusFails(run: HostileRun, observed: RegExp, unreachable: boolean): void {
  const found = findingsOf(run, 'health.status');
  expect(found.map((f) => f.target).sort()).toEqual(['gateway', 'rag']);
  for (const f of found) {
    expect(f.status).toBe('fail');
    expect(f.observed).toMatch(observed);
    expect(!!f.unreachable).toBe(unreachable);
  }
}

const measured: Array<[string, number, number]> = [];
afterAll(() => {
  // Numbers for the record (docs/checks.md): wall time and peak RSS of each run.
  console.info(measured.map(([m, ms, mb]) => `${m}: ${ms} ms, ${mb} MB`).join('\n'));
});
const note = (mode: string, run: HostileRun) => measured.push([mode, run.wallMs, run.peakRssMb]);

describe.concurrent('hostile HTTP targets: a failed finding within the deadline, bounded memory, a complete log', () => {
  it.each<[Mode, number, RegExp, boolean]>([
    ['slowloris', 3, /^(gateway|rag): no answer from 127\.0\.0\.1:\d+ within 2000 ms — raise --timeout or check the service$/, true],
    ['silent', 3, /^(gateway|rag): no answer from 127\.0\.0\.1:\d+ within 2000 ms/, true],
    ['reset-mid-headers', 3, /^(gateway|rag): connection reset by 127\.0\.0\.1:\d+ \(/, true],
    // The target did answer, with more than 64 KiB of header lines: a failure of the target, not an outage.
    ['huge-headers', 1, /^(gateway|rag): response from 127\.0\.0\.1:\d+ too large \(UND_ERR_HEADERS_OVERFLOW\) — headers or body beyond the cap$/, false],
  ])('%s → exit %i, health.status fails with a plain reason', async (mode, code, observed, unreachable) => {
    const run = await health(hostile.url(mode));
    note(mode, run);
    expectBounded(run, code);
    expectStatusFails(run, observed, unreachable);
  });

  it('a 1 GiB /health body: read up to the byte cap (1 MiB), then the connection is dropped; health.body says it was too big', async () => {
    const run = await health(hostile.url('huge-body'));
    note('huge-body', run);
    expectBounded(run, 1);
    for (const f of findingsOf(run, 'health.body')) {
      expect(f.status).toBe('fail');
      expect(f.observed).toMatch(/^body beyond the byte cap \(maxBodyBytes\): reading stopped after \d+ bytes of 1073741824 announced: \{"status":"healthy"/);
    }
    // The server was stopped long before the gigabyte: at most the cap plus what sat in socket buffers, per request.
    expect(hostile.sent.get('huge-body') ?? 0).toBeLessThan(64 * 1024 * 1024);
    expect(OFFERED.healthBodyBytes).toBe(1024 ** 3);
  });

  it('a redirect loop is reported, not followed', async () => {
    const run = await health(hostile.url('redirect-loop'));
    note('redirect-loop', run);
    expectBounded(run, 1);
    expectStatusFails(run, /^302 redirect to \/redirect-loop\/health \(not followed\)$/, false);
    // One request per target: the loop was never entered.
    expect(hostile.received.filter((r) => r.mode === 'redirect-loop' && r.path === '/health')).toHaveLength(2);
  });

  it('a redirect to another origin is reported, and the secret header never reaches that origin', async () => {
    const run = await health(hostile.url('redirect-away'));
    note('redirect-away', run);
    expectBounded(run, 1);
    expectStatusFails(run, new RegExp(`^307 redirect to ${hostile.away.origin}/collect/health \\(not followed\\)$`), false);
    // The configured target did get the header (so the check below is not vacuous) ...
    const sentToTarget = hostile.received.filter((r) => r.mode === 'redirect-away');
    expect(sentToTarget.length).toBeGreaterThan(0);
    for (const r of sentToTarget) expect(r.headers.authorization).toBe('Bearer s3cr3t');
    // ... and the other origin received nothing carrying it (nothing at all, since redirects are not followed).
    expect(hostile.away.received.filter((r) => JSON.stringify(r.headers).includes('s3cr3t'))).toEqual([]);
    expect(hostile.away.received).toEqual([]);
  });

  it('HTTP/1.0 without keep-alive or Content-Length: the body ends at close, and a correct answer passes', async () => {
    const run = await runHostile(['health', '--gateway', hostile.url('http10'), '--rag', hostile.url('http10'), ...SECRET]);
    note('http10', run);
    expectBounded(run, 0);
    for (const id of ['health.status', 'health.body', 'health.cors'])
      expect(
        findingsOf(run, id).map((f) => f.status),
        id,
      ).toEqual(['pass', 'pass']);
  });

  it('a port that refuses: exit 3, "connection refused"', async () => {
    const run = await health(await closedPort());
    note('refused', run);
    expectBounded(run, 3);
    expectStatusFails(run, /^(gateway|rag): connection refused at 127\.0\.0\.1:\d+ — is the service running\?$/, true);
  });

  it('a name that does not resolve (.invalid, RFC 6761): exit 3, the DNS failure named', async () => {
    const run = await health('http://nonexistent.invalid');
    note('dns', run);
    expectBounded(run, 3);
    // A resolver that answers at once says ENOTFOUND; one that never answers hits the deadline. Both name the host.
    expectStatusFails(run, /^(gateway|rag): (DNS lookup failed for nonexistent\.invalid — check the host name|no answer from nonexistent\.invalid within 2000 ms)/, true);
  });

  it.skipIf(!openssl)('HTTPS with a self-signed certificate: exit 3, a TLS message that points at --ca; verification is on by default', async () => {
    const run = await health(hostile.httpsUrl('ok'));
    note('tls-self-signed', run);
    expectBounded(run, 3);
    expectStatusFails(run, /^(gateway|rag): TLS failure talking to 127\.0\.0\.1:\d+: \w*SELF_SIGNED\w* — pass --ca <file> to trust a private CA$/, true);
  });

  it.skipIf(!openssl)('HTTPS with --ca <that certificate>: the same target passes', async () => {
    const run = await runHostile(['health', '--gateway', hostile.httpsUrl('ok'), '--rag', hostile.httpsUrl('ok'), '--ca', certPath, ...SECRET]);
    note('tls-with-ca', run);
    expectBounded(run, 0);
    expect(findingsOf(run, 'health.status').map((f) => f.status)).toEqual(['pass', 'pass']);
  });
});

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
