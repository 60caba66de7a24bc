import { Chalk } from 'chalk';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { finding, type Finding } from '../../src/core/finding.js';
import { renderAnnotations, renderStepSummary } from '../../src/report/github.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderPretty, summaryLine } from '../../src/report/pretty.js';
import { buildReport, type Report } from '../../src/report/report.js';
import { type findingSchema, reportSchema } from '../../src/report/report-schema.js';

const HOSTILE = 'a <tag> & "quote" \'apos\' ]]> \u0000\u0007\u001b[31m end';

const FINDINGS: Finding[] = [
  finding({ id: 'health.status', target: 'gateway', status: 'pass', title: 'gateway health answers 200', expected: '200', observed: '200: {"status":"healthy"}', durationMs: 12 }),
  finding({
    id: 'health.latency',
    target: 'gateway',
    status: 'warn',
    title: 'gateway health answers within 1000 ms',
    expected: '<= 1000 ms',
    observed: '1500 ms',
    remedy: 'cache it',
    durationMs: 1500,
  }),
  finding({
    id: 'health.body',
    target: 'rag',
    status: 'fail',
    title: `rag body ${HOSTILE}`,
    expected: 'JSON | with pipes',
    observed: `100% broken\r\nsecond line | cell ${HOSTILE}`,
    remedy: 'return {"status":"ok"}',
    evidence: { request: 'GET http://127.0.0.1:1/health', nested: { list: [1, true, null, 'x'] } },
    attempts: 2,
    unreachable: true,
  }),
  finding({ id: 'metrics.available', target: 'rag', status: 'skip', title: 'rag metrics', expected: 'an observation to judge', observed: `not judged: ${HOSTILE}` }),
  finding({ id: 'odd:id,with|chars', target: 'rag', status: 'warn', title: 'emoji 😀 survive', expected: 'e', observed: 'o\rlone CR' }),
];

function report(overrides: Partial<Parameters<typeof buildReport>[0]> = {}): Report {
  return buildReport({
    command: 'health',
    startedAt: new Date('2026-01-02T03:04:05.678Z'),
    durationMs: 1234,
    targets: { gateway: 'http://127.0.0.1:1', rag: 'http://127.0.0.1:2', origin: 'https://app.example' },
    findings: FINDINGS,
    logFile: '/tmp/zantara-audit-abc/audit.jsonl',
    exitCode: 3,
    interrupted: false,
    ...overrides,
  });
}

describe('JSON report (schemaVersion 1) against reportSchema', () => {
  it('the zod schema and the TypeScript types describe the same document', () => {
    expectTypeOf<z.output<typeof reportSchema>>().toEqualTypeOf<Report>();
    expectTypeOf<z.output<typeof findingSchema>>().toEqualTypeOf<Finding>();
  });

  it('buildReport output, serialised and read back, validates', () => {
    const json = JSON.parse(JSON.stringify(report())) as unknown;
    const parsed = reportSchema.safeParse(json);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(parsed.data).toMatchObject({ schemaVersion: 1, summary: { pass: 1, warn: 2, fail: 1, skip: 1 }, logFile: '/tmp/zantara-audit-abc/audit.jsonl', exitCode: 3 });
  });

  it('--no-log (logFile null) and an interrupted run validate too', () => {
    expect(reportSchema.safeParse(JSON.parse(JSON.stringify(report({ logFile: undefined, interrupted: true, exitCode: 130 })))).success).toBe(true);
  });

  it.each([
    ['an unknown top-level key', (r: Record<string, unknown>) => ({ ...r, extra: 1 })],
    ['an unknown finding key', (r: Record<string, unknown>) => ({ ...r, findings: [{ ...(r.findings as object[])[0], extra: 1 }] })],
    ['a status outside pass|warn|fail|skip', (r: Record<string, unknown>) => ({ ...r, findings: [{ ...(r.findings as object[])[0], status: 'ok' }] })],
    ['another schemaVersion', (r: Record<string, unknown>) => ({ ...r, schemaVersion: 2 })],
    ['a missing summary', ({ summary: _, ...r }: Record<string, unknown>) => r],
  ])('the schema is strict: it rejects %s', (_, mutate) => {
    const json = JSON.parse(JSON.stringify(report())) as Record<string, unknown>;
    expect(reportSchema.safeParse(mutate(json)).success).toBe(false);
  });
});

describe('JUnit XML', () => {
  const xml = renderJunit(report());
  const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(xml) as {
    testsuites: { '@tests': string; '@failures': string; '@skipped': string; testsuite: Array<Record<string, unknown> & { testcase: Array<Record<string, unknown>> }> };
  };

  it('is well-formed XML', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
  });

  it('one testsuite per target with its counts; one testcase per finding', () => {
    const suites = parsed.testsuites.testsuite;
    expect(suites.map((s) => [s['@name'], s['@tests'], s['@failures'], s['@skipped']])).toEqual([
      ['gateway', '2', '0', '0'],
      ['rag', '3', '1', '1'],
    ]);
    expect(parsed.testsuites).toMatchObject({ '@tests': '5', '@failures': '1', '@skipped': '1' });
    expect(suites[1]?.testcase.map((c) => c['@name'])).toEqual(['health.body', 'metrics.available', 'odd:id,with|chars']);
  });

  it('fail → <failure> with expected/observed/fix; skip → <skipped>; pass → an empty testcase', () => {
    const [gateway, rag] = parsed.testsuites.testsuite;
    const failure = rag?.testcase[0]?.failure as Record<string, string>;
    expect(failure['@message']).toContain('rag body a <tag> & "quote"');
    expect(failure['#text']).toMatch(/^expected: JSON \| with pipes\nobserved: 100% broken/);
    expect(failure['#text']).toContain('fix: return {"status":"ok"}');
    expect(rag?.testcase[1]?.skipped).toBeDefined();
    expect(gateway?.testcase[0]).toEqual({ '@classname': 'zantara-audit.gateway', '@name': 'health.status', '@time': '0.012' });
  });

  it('escapes <, &, quotes and ]]>; replaces control characters; keeps emoji', () => {
    expect(xml).toContain('a &lt;tag&gt; &amp; &quot;quote&quot; &apos;apos&apos; ]]&gt;');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(xml).toContain('\uFFFD\uFFFD\uFFFD[31m end');
    expect(xml).toContain('emoji 😀 survive');
    expect(xml).not.toContain('<tag>');
  });

  it('a lone surrogate is replaced, so the document stays valid', () => {
    const lone = renderJunit(report({ findings: [finding({ id: 'x', target: 'gateway', status: 'fail', title: 'half \uD83D pair', expected: 'e', observed: 'o' })] }));
    expect(lone).toContain('half \uFFFD pair');
    expect(XMLValidator.validate(lone)).toBe(true);
  });
});

describe('GitHub Actions', () => {
  const lines = renderAnnotations(FINDINGS).split('\n').filter(Boolean);

  it('one ::error per failed and one ::warning per warned finding, nothing for pass or skip', () => {
    expect(lines.map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['::warning', '::error', '::warning']);
  });

  it('escapes % CR LF in the message, and also : and , in properties', () => {
    const error = lines[1] as string;
    expect(error.startsWith('::error title=rag health.body::rag body ')).toBe(true);
    expect(error).toContain('observed 100%25 broken%0D%0Asecond line');
    expect(error).not.toMatch(/\r/);
    expect(lines[2]).toMatch(/^::warning title=rag odd%3Aid%2Cwith\|chars::emoji 😀 survive — expected e; observed o%0Dlone CR$/);
  });

  it('the step summary is a markdown table with | escaped and no line breaks inside a row', () => {
    const md = renderStepSummary(report());
    expect(md.startsWith('## zantara-audit health: failed\n')).toBe(true);
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| status'));
    expect(rows).toHaveLength(FINDINGS.length);
    const fail = rows.find((r) => r.includes('`health.body`')) as string;
    expect(fail).toContain('100% broken second line \\| cell');
    expect(rows.find((r) => r.includes('odd:id'))).toContain('`odd:id,with\\|chars` | emoji 😀 survive | o lone CR |');
    // Every row has exactly the header's 6 cells: unescaped pipes would add more.
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(6);
  });
});

describe('pretty terminal report (chalk level 0)', () => {
  const chalk = new Chalk({ level: 0 });
  const text = renderPretty(chalk, report(), { quiet: false, verbose: false });

  it('has no ANSI escapes other than those in the findings themselves', () => {
    expect(text.replaceAll('\u001b[31m end', '')).not.toContain('\u001b[');
  });

  it('groups by target, marks each status, details failures and warnings, ends with the summary and log path', () => {
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('zantara-audit health — gateway http://127.0.0.1:1, rag http://127.0.0.1:2, origin https://app.example');
    expect(lines).toContain('gateway');
    expect(lines.indexOf('rag')).toBeGreaterThan(lines.indexOf('gateway'));
    expect(lines).toContain('  ✔ gateway health answers 200 [health.status]');
    expect(lines).toContain('  ! gateway health answers within 1000 ms [health.latency]');
    expect(lines.some((l) => l.startsWith('  ✖ rag body a <tag>') && l.endsWith('[health.body] (2 attempts)'))).toBe(true);
    expect(lines).toContain('      fix: cache it');
    expect(lines).toContain('  - rag metrics [metrics.available]');
    expect(lines.at(-1)).toBe('1 passed, 2 warnings, 1 failed, 1 skipped in 1234 ms — log: /tmp/zantara-audit-abc/audit.jsonl');
  });

  it('--quiet shows only failures and warnings; an interrupted run says so', () => {
    const quiet = renderPretty(chalk, report({ interrupted: true, logFile: undefined }), { quiet: true, verbose: false });
    expect(quiet).not.toContain('[health.status]');
    expect(quiet).not.toContain('zantara-audit health —');
    expect(quiet).toContain('[health.latency]');
    expect(quiet.trimEnd().split('\n').at(-1)).toBe('1 passed, 2 warnings, 1 failed, 1 skipped in 1234 ms (interrupted: partial results)');
  });

  it('colours only when chalk has a level', () => {
    expect(renderPretty(new Chalk({ level: 1 }), report(), { quiet: false, verbose: false })).toContain('\u001b[32m✔');
  });
});

describe('pretty terminal report: passes grouped, an unreachable target said once', () => {
  const chalk = new Chalk({ level: 0 });
  const probe = (i: number) =>
    finding({ id: `cors.probe.platform.p${i}`, target: 'gateway', status: 'pass', title: `probe ${i} refused`, expected: 'refused', observed: 'no ACAO' });
  const probes = Array.from({ length: 38 }, (_, i) => probe(i));
  const failedProbe = finding({
    id: 'cors.probe.null',
    target: 'gateway',
    status: 'fail',
    title: 'the opaque origin null is allowed',
    expected: 'refused',
    observed: 'ACAO: null',
    remedy: 'drop null',
  });
  const dns = 'DNS lookup failed for rag.invalid — check the host name';
  const lost = [
    finding({ id: 'health.status', target: 'rag', status: 'fail', title: 'rag health: request failed', expected: 'an HTTP response', observed: `rag: ${dns}`, unreachable: true }),
    finding({ id: 'cors.headers.stream', target: 'rag', status: 'fail', title: 'GET stream: no response', expected: 'an HTTP response', observed: dns, unreachable: true }),
    finding({ id: 'sse.status', target: 'rag', status: 'fail', title: 'answer stream answers 200: request failed', expected: '200', observed: `dns: ${dns}`, unreachable: true }),
    finding({ id: 'sse.done', target: 'rag', status: 'skip', title: 'done', expected: 'an observation to judge', observed: `no response: ${dns}` }),
  ];
  const run = (findings: Finding[], exitCode = 1) => report({ findings, exitCode });

  it('38 passing probes are one line naming their family; failures stay one by one; -v lists each pass', () => {
    const lines = renderPretty(chalk, run([...probes.slice(0, 20), failedProbe, ...probes.slice(20)]), { quiet: false, verbose: false }).split('\n');
    expect(lines).toContain('  ✔ 38 hostile origins refused [cors.probe.*]');
    expect(lines.filter((l) => l.includes('[cors.probe.'))).toHaveLength(2);
    expect(lines).toContain('  ✖ the opaque origin null is allowed [cors.probe.null]');
    const verbose = renderPretty(chalk, run(probes), { quiet: false, verbose: true });
    expect(verbose).not.toContain('hostile origins refused');
    for (let i = 0; i < 38; i++) expect(verbose).toContain(`[cors.probe.platform.p${i}]`);
  });

  it('a target where nothing answered: one line with the error, the checks it stopped as not run, not as failures', () => {
    const text = renderPretty(chalk, run([probes[0] as Finding, ...lost], 3), { quiet: false, verbose: false });
    const lines = text.trimEnd().split('\n');
    expect(lines).toContain(`  ✖ rag unreachable: ${dns}`);
    expect(lines).toContain('      not run (4): health.status, cors.headers.stream, sse.status, sse.done');
    const many = [...lost, ...['sse.gaps', 'sse.cors'].map((id) => finding({ id, target: 'rag', status: 'skip', title: id, expected: 'e', observed: `no response: ${dns}` }))];
    expect(renderPretty(chalk, run(many, 3), { quiet: false, verbose: false })).toContain('      not run (6): health.status, cors.headers.stream, sse.* (4)\n');
    expect(text.split(dns)).toHaveLength(2);
    expect(lines.at(-1)).toBe('1 passed, 0 warnings, 0 failed, 0 skipped, 4 not run (rag unreachable) in 1234 ms — log: /tmp/zantara-audit-abc/audit.jsonl');
    // -q keeps it: a person must see why the run exited 3.
    expect(renderPretty(chalk, run(lost, 3), { quiet: true, verbose: false })).toContain(`rag unreachable: ${dns}`);
  });

  it('a target that answered some requests keeps its lost requests as ordinary failures', () => {
    const answered = finding({ id: 'metrics.available', target: 'rag', status: 'pass', title: 'rag metrics', expected: 'text', observed: 'text' });
    const text = renderPretty(chalk, run([answered, ...lost]), { quiet: false, verbose: false });
    expect(text).not.toContain('unreachable:');
    expect(text).toContain('  ✖ rag health: request failed [health.status]');
  });

  it('the summary line ends with every report file written, then the log', () => {
    const line = summaryLine(chalk, run(probes), { html: 'out/report.html', json: 'out/report.json', junit: 'out/junit.xml' });
    expect(line).toBe(
      '38 passed, 0 warnings, 0 failed, 0 skipped in 1234 ms — html: out/report.html, json: out/report.json, junit: out/junit.xml, log: /tmp/zantara-audit-abc/audit.jsonl',
    );
  });
});
