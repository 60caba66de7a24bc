/**
 * `browser --transport fetch` against `stream --transport fetch`: Chromium runs the app's real
 * fetch() stream (POST, JSON body, bearer token, credentials: 'include') and reads it with a
 * ReadableStream reader. Whether the page got a complete answer must be what the CLI's verdicts
 * imply: sse.status, sse.cors and sse.done all pass ⇔ browser.fetch-stream passes.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAST, type JsonReport, runJson, statusOf } from '../helpers/cli.js';

const hasChromium = existsSync('/usr/bin/chromium');
const COMPLETE = ['sse.status', 'sse.cors', 'sse.done'];
// The hostile-origin replay has its own file; under load it pushed these runs past the CLI deadline.
const NO_REPLAY = ['--skip', 'browser.agreement'];
const cliSaysComplete = (report: JsonReport) => COMPLETE.every((id) => statusOf(report, id).join() === 'pass');

describe.skipIf(!hasChromium)('browser --transport fetch agrees with stream --transport fetch', () => {
  it.each([
    // format, fault, what the page gets
    ['sse', '', 'pass'],
    ['sse', 'no-done', 'fail'],
    ['sse', 'stream-no-cors', 'fail'],
    ['sse', 'rag-wildcard', 'fail'],
    ['sse', 'reset-mid-stream', 'fail'],
    ['sse', 'wrong-content-type', 'pass'],
    ['ndjson', '', 'pass'],
    ['ndjson', 'no-done', 'fail'],
    ['ndjson', 'stream-no-cors', 'fail'],
  ] as const)('%s %s → browser.fetch-stream %s', async (format, fault, expected) => {
    const args = ['--local', '--transport', 'fetch', '--stream-format', format, ...(fault ? ['--fault', fault] : []), '--no-log', ...FAST];
    const [browser, cli] = await Promise.all([runJson(['browser', ...args, ...NO_REPLAY]), runJson(['stream', ...args, '--skip', 'sse.disconnect', '--skip', 'sse.empty-query'])]);
    const seen = browser.report.findings.find((f) => f.id === 'browser.fetch-stream');
    expect(seen?.status, `${seen?.observed}\n${browser.result.stderr}`).toBe(expected);
    expect(cliSaysComplete(cli.report) ? 'pass' : 'fail', JSON.stringify(cli.report.findings.filter((f) => COMPLETE.includes(f.id)))).toBe(expected);
    if (fault === 'stream-no-cors') expect(seen?.observed).toMatch(/blocked by CORS/);
  });
});
