import { setImmediate as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { CHECK_SETS } from '../../src/cli/check-sets.js';
import type { Config } from '../../src/checks/config.js';
import { type Check, type CheckContext, isStage, runChecks } from '../../src/checks/runner.js';
import { finding } from '../../src/core/finding.js';
import type { HttpClient } from '../../src/http/client.js';

function context(signal = new AbortController().signal, skip: string[] = []): CheckContext {
  return { config: { skip } as unknown as Config, http: {} as HttpClient, record: () => undefined, signal, verbose: false };
}

/** A check that logs its start and end, yielding to the event loop `turns` times in between. */
function logged(id: string, log: string[], turns = 1): Check {
  return {
    id,
    title: id,
    async run() {
      log.push(`${id}:start`);
      for (let i = 0; i < turns; i++) await tick();
      log.push(`${id}:end`);
      return [finding({ id, target: 'gateway', status: 'pass', title: id, expected: '', observed: '' })];
    },
  };
}

describe('runChecks: stages', () => {
  it('runs the checks of a stage together, and stages one after another', async () => {
    const log: string[] = [];
    await runChecks([logged('a', log), [logged('b', log), logged('c', log)], logged('d', log)], context());
    expect(log).toEqual(['a:start', 'a:end', 'b:start', 'c:start', 'b:end', 'c:end', 'd:start', 'd:end']);
  });

  it('reports findings in plan order, whichever check of a stage ends first', async () => {
    const log: string[] = [];
    const found = await runChecks([[logged('slow', log, 5), logged('fast', log, 1)], logged('last', log)], context());
    expect(log.indexOf('fast:end')).toBeLessThan(log.indexOf('slow:end'));
    expect(found.map((f) => f.id)).toEqual(['slow', 'fast', 'last']);
  });

  it('starts no stage after the run was aborted, and waives a skipped check inside a stage', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    const stop: Check = { id: 'stop', title: 'stop', run: async () => (controller.abort(), []) };
    const found = await runChecks([[stop, logged('skipped', log)], logged('never', log)], context(controller.signal, ['skipped']));
    expect(log).toEqual([]);
    expect(found.map((f) => [f.id, f.status])).toEqual([['skipped', 'skip']]);
  });
});

describe('the audit plan', () => {
  it('runs the answer stream, the metrics scrapes and the disconnect check alone, the disconnect last', async () => {
    const plan = await CHECK_SETS.audit();
    const alone = ['metrics', 'sse', 'metrics.eventloop-lag', 'sse.disconnect'];
    for (const step of plan) if (isStage(step)) for (const check of step) expect(alone).not.toContain(check.id);
    const ids = plan.map((step) => (isStage(step) ? step.map((c) => c.id).join('+') : step.id));
    expect(ids.at(-1)).toBe('sse.disconnect');
    expect(ids.indexOf('metrics.eventloop-lag')).toBe(ids.length - 2);
    expect(ids[0]).toBe('metrics');
  });
});
