/** The agreement rule itself: what the browser saw decides which CLI findings must, may and must not fail. */
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../helpers/cli.js';
import { disagreements, GOOD, type Verdict } from './verdict.js';

const report = (fails: string[], passes: string[] = []): JsonReport => ({
  schemaVersion: 1,
  tool: { name: 'zantara-audit', version: '0.0.0' },
  command: 'audit',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 0,
  attachments: [],
  summary: { pass: passes.length, warn: 0, fail: fails.length, skip: 0 },
  logFile: null,
  exitCode: fails.length ? 1 : 0,
  interrupted: false,
  targets: { gateway: 'http://127.0.0.1:1', rag: 'http://127.0.0.1:2', origin: 'http://app.example.test:8080' },
  findings: [...fails.map((k) => [k, 'fail'] as const), ...passes.map((k) => [k, 'pass'] as const)].map(([k, status]) => {
    const [id = '', target = ''] = k.split('@');
    return { id, target: target as 'gateway' | 'rag', status, severity: 'high' as const, title: id, observed: `${id} observed`, expected: '' };
  }),
});

describe('realstack verdict agreement', () => {
  it('a target the browser finds clean must exit 0 with nothing failed', () => {
    expect(disagreements(GOOD, report([]), 0)).toEqual([]);
    expect(disagreements(GOOD, report(['metrics.eventloop-lag@gateway']), 1)).toEqual([
      'CLI: metrics.eventloop-lag on gateway failed (metrics.eventloop-lag observed), browser: nothing wrong there',
      'exit code 1, browser implies 0',
    ]);
  });

  it('a leak the browser saw must be the failed probe of the same kind; sibling probes may fail with it', () => {
    const prefixLeak: Verdict = { ...GOOD, leaks: ['prefix'] };
    expect(disagreements(prefixLeak, report(['cors.probe.prefix@gateway', 'cors.probe.port@gateway']), 1)).toEqual([]);
    expect(disagreements(prefixLeak, report(['cors.probe.port@gateway'], ['cors.probe.prefix@gateway']), 1)).toEqual([
      'browser: cors.probe.prefix on gateway is broken, CLI: not failed (cors.probe.prefix pass)',
    ]);
  });

  it('a blocked preflight needs some cors.preflight.* failure other than max-age', () => {
    const blocked: Verdict = { ...GOOD, preflight: false, post: false };
    expect(disagreements(blocked, report(['cors.preflight.allow-headers@gateway']), 1)).toEqual([]);
    expect(disagreements(blocked, report(['cors.preflight.max-age@gateway']), 1)[0]).toMatch(/^browser: cors\.preflight\.\* on gateway is broken/);
  });

  it('a stream cleanup the browser saw fail must be sse.disconnect.cleanup failed, not skipped', () => {
    const leak: Verdict = { ...GOOD, buffered: true, cleanup: 'leak' };
    expect(disagreements(leak, report(['sse.buffering@rag', 'sse.disconnect.cleanup@rag']), 1)).toEqual([]);
    expect(disagreements(leak, report(['sse.buffering@rag']), 1)).toEqual(['browser: sse.disconnect.cleanup on rag is broken, CLI: not failed (no such finding)']);
  });
});
