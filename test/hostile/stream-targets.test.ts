/**
 * The built CLI (`stream`) against answer streams that misbehave. Each must end within the run's
 * deadline with a failed finding, under the RSS cap, with a complete audit log, and the stream
 * reader's caps must have stopped what never ends.
 *
 * These light up when the `stream` command exists (`stream --help` prints the stream command's
 * own usage; without the command, commander falls back to the program's help, also with exit 0).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli.js';
import { removeScratch, runHostile, RSS_CAP_MB, scratchDir, type HostileRun } from './run.js';
import { OFFERED, startHostile, type HostileServer, type Mode } from './server.js';

const help = spawnSync(process.execPath, [BIN, 'stream', '--help'], { encoding: 'utf8' });
const streamCommandExists = help.status === 0 && help.stdout.startsWith('Usage: zantara-audit stream');

/** Short deadlines: a stream read stops at 3 s, any other request at 2 s, the whole run at 20 s. */
const CONFIG = { timeoutMs: 2000, runTimeoutMs: 20_000, stream: { timeoutMs: 3000 } };
const DEADLINE_MS = CONFIG.runTimeoutMs + 10_000;

let hostile: HostileServer;
let configFile = '';
beforeAll(async () => {
  hostile = await startHostile();
  configFile = join(scratchDir(), 'zantara-audit.config.json');
  writeFileSync(configFile, JSON.stringify(CONFIG));
});
afterAll(async () => {
  await hostile.close();
  removeScratch();
});

interface LoggedStream {
  kind?: string;
  purpose?: string;
  record?: { events: Array<{ data: string; id?: string; lastEventId: string }>; lastEventId: string; end: { reason: string }; bytes: number };
}

/** The stream observations in the audit log (the answer stream first). */
function streams(run: HostileRun): LoggedStream[] {
  return run.log.filter((l) => l.type === 'observation' && l.kind === 'stream') as LoggedStream[];
}

function answerStream(run: HostileRun): NonNullable<LoggedStream['record']> {
  const main = streams(run).find((s) => s.purpose === 'sse.stream') ?? streams(run)[0];
  expect(main?.record, 'the answer stream was read and recorded').toBeDefined();
  return main?.record as NonNullable<LoggedStream['record']>;
}

const measured: Array<[string, number, number]> = [];
afterAll(() => {
  if (measured.length) console.info(measured.map(([m, ms, mb]) => `${m}: ${ms} ms, ${mb} MB`).join('\n'));
});

async function stream(mode: Mode): Promise<HostileRun> {
  const base = hostile.url(mode);
  const run = await runHostile(['stream', '--config', configFile, '--gateway', base, '--rag', base, '--header', 'Authorization: Bearer s3cr3t']);
  measured.push([mode, run.wallMs, run.peakRssMb]);
  expect(run.code, `exit code; stderr: ${run.stderr}`).toBe(1);
  expect(run.report, 'stdout is one JSON report').toBeDefined();
  expect(run.stderr).not.toMatch(/internal error|^\s+at .+:\d+:\d+\)?$/m);
  expect(run.wallMs).toBeLessThan(DEADLINE_MS);
  // The reader keeps up to stream.caps.maxEvents (20,000) events as evidence; the same ceiling as for HTTP targets holds.
  expect(run.peakRssMb).toBeLessThan(RSS_CAP_MB);
  expect(run.log[0]?.type).toBe('run');
  expect(run.log.at(-1)).toMatchObject({ type: 'footer', exitCode: 1, interrupted: null });
  const failed = (run.report?.findings ?? []).filter((f) => f.status === 'fail');
  expect(failed.filter((f) => f.id.startsWith('sse.')).length, JSON.stringify(failed)).toBeGreaterThan(0);
  // Nothing the run itself gave up on: each stream ended by a cap or its own deadline, not the run's.
  expect(failed.map((f) => f.id)).not.toContain('run.deadline');
  return run;
}

describe.skipIf(!streamCommandExists).concurrent('hostile answer streams (stream command)', () => {
  it('an SSE line that never ends (100 MB without a newline) stops at the line cap; the server is stopped long before 100 MB', async () => {
    const run = await stream('endless-line');
    expect(answerStream(run).end.reason).toBe('cap-line');
    expect(hostile.sent.get('endless-line') ?? 0).toBeLessThan(OFFERED.lineBytes);
  });

  it('1,000,000 tiny events stop at the event cap', async () => {
    const run = await stream('million-events');
    const record = answerStream(run);
    expect(record.end.reason).toBe('cap-events');
    expect(record.events.length).toBeLessThan(OFFERED.events);
  });

  it('invalid UTF-8 is decoded as a browser does (U+FFFD), and a "done" it breaks is not a done', async () => {
    const run = await stream('bad-utf8');
    const data = answerStream(run).events.map((e) => e.data);
    expect(data).toEqual(['{"type":"token","data":"a\uFFFDb"}', '{"type":"token","data":"\uFFFD \uFFFD\uFFFD \uFFFD\uFFFD\uFFFD"}', '{"type":"do\uFFFDne","data":null}']);
    expect((run.report?.findings ?? []).find((f) => f.id === 'sse.done')?.status).toBe('fail');
  });

  it('§9.2.6: an id with a NUL is ignored; the last event ID stays the previous one', async () => {
    const run = await stream('nul-id');
    const record = answerStream(run);
    expect(record.events.map((e) => [e.id, e.lastEventId])).toEqual([
      ['1', '1'],
      [undefined, '1'],
    ]);
    expect(record.lastEventId).toBe('1');
  });

  it('a stream that stalls forever after its first event ends at the stream deadline', async () => {
    const run = await stream('stall');
    const record = answerStream(run);
    expect(record.end.reason).toBe('deadline');
    expect(record.events).toHaveLength(1);
  });
});

describe('stream command detection', () => {
  it('`stream --help` exits 0 with or without the command, so the usage line decides', () => {
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: zantara-audit (stream )?\[options\]/);
  });
});
