import { describe, expect, it } from 'vitest';
import { renderLoadMetrics } from '../../src/checks/load/live.js';
import type { Slot } from '../../src/checks/load/slot.js';
import { LoadTally } from '../../src/checks/load/tally.js';
import type { LoadPlan } from '../../src/checks/load/types.js';
import { latencySchema, timelineFor } from '../../src/latency/config.js';
import { parseExposition, sampleValue } from '../../src/prometheus/exposition.js';

const plan: LoadPlan = {
  url: 'http://127.0.0.1:1/s?query=hello',
  method: 'GET',
  framing: 'sse',
  connections: 3,
  rampMs: 0,
  durationMs: 1000,
  graceMs: 0,
  timeoutMs: 1000,
  headers: {},
  done: [{ kind: 'event', name: 'done' }],
  localAddresses: [undefined],
  latency: latencySchema.parse({}),
};
const slot = (status: number) =>
  ({ status, index: 0, startedAt: 0, firstEventMs: -1, doneMs: -1, eventCount: 0, bytes: 0, timeline: timelineFor(plan.latency) }) as unknown as Slot;

describe('load --metrics-listen exposition', () => {
  it('counts streams by outcome and puts latencies on the fixed buckets, as a worker would publish them', () => {
    const t = new LoadTally(plan, performance.now());
    t.started = 4;
    for (let i = 0; i < 4; i++) t.streamOpened(performance.now());
    t.recordFirstEvent(40);
    t.recordFirstEvent(50);
    t.recordFirstEvent(2_000);
    t.recordDone(300);
    t.recordDone(300.5);
    t.events = 42;
    t.streamEnded(slot(200), 'done');
    t.streamEnded(slot(200), 'done');
    t.streamEnded(slot(200), 'closed without done');
    t.stopLoopMonitor();
    const m = parseExposition(renderLoadMetrics(t, plan, false));
    expect(m.errors).toEqual([]);
    expect(sampleValue(m, 'zantara_load_running')).toBe(0);
    expect(sampleValue(m, 'zantara_load_streams_started_total')).toBe(4);
    expect(sampleValue(m, 'zantara_load_streams_ended_total', { outcome: 'done' })).toBe(2);
    expect(sampleValue(m, 'zantara_load_streams_ended_total', { outcome: 'closed without done' })).toBe(1);
    expect(sampleValue(m, 'zantara_load_streams_open')).toBe(1);
    expect(sampleValue(m, 'zantara_load_events_received_total')).toBe(42);
    // 40 ms and 50 ms are <= 0.05 (a value on a bound counts in it), 2 s is in le=2.
    expect(sampleValue(m, 'zantara_load_first_event_seconds_bucket', { le: '0.025' })).toBe(0);
    expect(sampleValue(m, 'zantara_load_first_event_seconds_bucket', { le: '0.05' })).toBe(2);
    expect(sampleValue(m, 'zantara_load_first_event_seconds_bucket', { le: '1.5' })).toBe(2);
    expect(sampleValue(m, 'zantara_load_first_event_seconds_bucket', { le: '2' })).toBe(3);
    expect(sampleValue(m, 'zantara_load_first_event_seconds_bucket', { le: '+Inf' })).toBe(3);
    expect(sampleValue(m, 'zantara_load_done_seconds_bucket', { le: '0.3' })).toBe(1);
    expect(sampleValue(m, 'zantara_load_done_seconds_bucket', { le: '0.5' })).toBe(2);
    expect(sampleValue(m, 'zantara_load_done_seconds_count')).toBe(2);
  });

  it('before the run starts every series is there, at zero', () => {
    const m = parseExposition(renderLoadMetrics(undefined, undefined, true));
    expect(sampleValue(m, 'zantara_load_running')).toBe(1);
    expect(sampleValue(m, 'zantara_load_done_seconds_bucket', { le: '+Inf' })).toBe(0);
    expect(sampleValue(m, 'zantara_load_streams_ended_total', { outcome: 'done' })).toBe(0);
  });
});
