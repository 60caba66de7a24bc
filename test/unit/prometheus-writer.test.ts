import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExposition, sampleValue } from '../../src/prometheus/exposition.js';
import { BucketHistogram } from '../../src/prometheus/bucket-histogram.js';
import { LATENCY_BUCKETS_S } from '../../src/prometheus/buckets.js';
import { escapeHelp, escapeLabelValue, ExpositionWriter, formatValue } from '../../src/prometheus/writer.js';

describe('exposition writer (text format 0.0.4)', () => {
  it.each([
    ['plain', 'plain'],
    ['back\\slash', 'back\\\\slash'],
    ['a "quote"', 'a \\"quote\\"'],
    ['two\nlines', 'two\\nlines'],
    ['\\n literally', '\\\\n literally'],
  ])('label value %j is escaped as %j (backslash, double quote, line feed)', (raw, escaped) => {
    expect(escapeLabelValue(raw)).toBe(escaped);
  });

  it('HELP escapes backslash and line feed but not quotes', () => {
    expect(escapeHelp('a "b"\\c\nd')).toBe('a "b"\\\\c\\nd');
  });

  it('values are Go floats: NaN, +Inf, -Inf', () => {
    expect([NaN, Infinity, -Infinity, 0.25, 3].map(formatValue)).toEqual(['NaN', '+Inf', '-Inf', '0.25', '3']);
  });

  it('a hostile label value round-trips through a parser', () => {
    const hostile = 'x"} 1\nevil_metric 1\n\\';
    const text = new ExpositionWriter().gauge('zantara_test', 'help', 1, { id: hostile }).text();
    const exp = parseExposition(text);
    expect(exp.errors).toEqual([]);
    expect(sampleValue(exp, 'evil_metric')).toBeUndefined();
    expect(sampleValue(exp, 'zantara_test', { id: hostile })).toBe(1);
  });

  it('refuses invalid metric and label names instead of writing a scrape Prometheus would reject', () => {
    expect(() => new ExpositionWriter().gauge('bad-name', 'h', 1)).toThrow(/metric name/);
    expect(() => new ExpositionWriter().gauge('ok', 'h', 1, { 'bad-label': 'v' })).toThrow(/label name/);
    expect(() => new ExpositionWriter().gauge('ok', 'h', 1, { __reserved: 'v' })).toThrow(/label name/);
  });

  it('declares a family once', () => {
    const w = new ExpositionWriter().family('m', 'gauge', 'h').family('m', 'gauge', 'h').sample('m', { a: '1' }, 1).sample('m', { a: '2' }, 2);
    expect(w.text().match(/# TYPE m gauge/g)).toHaveLength(1);
  });

  it.skipIf(!existsSync('/usr/bin/promtool'))('promtool check metrics accepts a family of every kind', () => {
    const h = new BucketHistogram(LATENCY_BUCKETS_S);
    h.observe(0.2);
    const w = new ExpositionWriter()
      .gauge('zantara_probe_success', 'Whether the probe succeeded.', 1)
      .family('zantara_checks', 'gauge', 'Findings by status.')
      .sample('zantara_checks', { status: 'pass' }, 3)
      .family('zantara_load_events_received_total', 'counter', 'Events.')
      .sample('zantara_load_events_received_total', {}, 10)
      .family('zantara_load_first_event_seconds', 'histogram', 'First event.');
    h.write(w, 'zantara_load_first_event_seconds');
    const res = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: w.text(), encoding: 'utf8' });
    expect(res.stderr + res.stdout).toBe('');
    expect(res.status).toBe(0);
  });
});
