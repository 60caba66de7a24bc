import { describe, expect, it } from 'vitest';
import { BucketHistogram, mergeBucketHistograms } from '../../src/prometheus/bucket-histogram.js';
import { GAP_BUCKETS_S, LATENCY_BUCKETS_S } from '../../src/prometheus/buckets.js';
import { parseExposition, sampleValue } from '../../src/prometheus/exposition.js';
import { ExpositionWriter } from '../../src/prometheus/writer.js';

describe('fixed-bucket histogram', () => {
  it('counts a value equal to a bound in that bucket, cumulatively, and says the same in the exposition and the JSON', () => {
    const h = new BucketHistogram([0.1, 0.5, 1]);
    for (const v of [0.05, 0.1, 0.3, 0.5, 0.7, 2]) h.observe(v);
    const w = new ExpositionWriter().family('lat_seconds', 'histogram', 'h');
    h.write(w, 'lat_seconds', { worker: 'a' });
    const exp = parseExposition(w.text());
    const le = (b: string) => sampleValue(exp, 'lat_seconds_bucket', { worker: 'a', le: b });
    // 2 s is above every bound: only in +Inf (= count).
    expect([le('0.1'), le('0.5'), le('1'), le('+Inf')]).toEqual([2, 4, 5, 6]);
    expect(sampleValue(exp, 'lat_seconds_count', { worker: 'a' })).toBe(6);
    expect(sampleValue(exp, 'lat_seconds_sum', { worker: 'a' })).toBeCloseTo(3.65);
    expect(h.toJSON()).toEqual({ unit: 's', le: [0.1, 0.5, 1], counts: [2, 4, 5], count: 6, sum: 3.65 });
  });

  it('merges published histograms bucket by bucket, and refuses histograms over other bounds', () => {
    const a = new BucketHistogram(LATENCY_BUCKETS_S);
    const b = new BucketHistogram(LATENCY_BUCKETS_S);
    [0.004, 0.005, 0.006, 2.5].forEach((s) => a.observe(s));
    b.observe(200); // above the last bound: only in count (+Inf)
    const ja = a.toJSON();
    const m = mergeBucketHistograms([ja, b.toJSON()]);
    expect(m).toMatchObject({ count: 5, sum: 202.515 });
    expect(m.counts.slice(0, 3)).toEqual([2, 3, 3]);
    expect(m.counts.at(-1)).toBe(4);
    expect(() => mergeBucketHistograms([ja, new BucketHistogram(GAP_BUCKETS_S).toJSON()])).toThrow(/different buckets/);
  });
});
