import type { Report } from './report.js';
import { byTarget } from './report.js';

/** Characters XML 1.0 cannot carry (§2.2 Char), lone surrogates included; astral characters (emoji) are fine. */
const XML_INVALID = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function esc(text: string): string {
  return text.replace(XML_INVALID, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3);

/** JUnit XML: one testsuite per target, one testcase per finding (fail → failure, skip → skipped). */
export function renderJunit(report: Report): string {
  const suites: string[] = [];
  for (const [target, findings] of byTarget(report.findings)) {
    const failures = findings.filter((f) => f.status === 'fail').length;
    const skipped = findings.filter((f) => f.status === 'skip').length;
    const time = findings.reduce((t, f) => t + (f.durationMs ?? 0), 0);
    const cases = findings.map((f) => {
      const detail = `expected: ${f.expected}\nobserved: ${f.observed}${f.remedy ? `\nfix: ${f.remedy}` : ''}`;
      const name = `${esc(f.id)}`;
      const open = `    <testcase classname="${esc(`${report.tool.name}.${target}`)}" name="${name}" time="${seconds(f.durationMs)}">`;
      if (f.status === 'fail') return `${open}\n      <failure message="${esc(f.title)}" type="${esc(f.severity)}">${esc(detail)}</failure>\n    </testcase>`;
      if (f.status === 'skip') return `${open}\n      <skipped message="${esc(f.observed)}"/>\n    </testcase>`;
      if (f.status === 'warn') return `${open}\n      <system-out>${esc(`warning: ${f.title}\n${detail}`)}</system-out>\n    </testcase>`;
      return `${open}</testcase>`;
    });
    suites.push(
      `  <testsuite name="${esc(target)}" tests="${findings.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds(time)}" timestamp="${esc(report.startedAt)}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  const s = report.summary;
  const total = s.pass + s.warn + s.fail + s.skip;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${esc(report.tool.name)}" tests="${total}" failures="${s.fail}" skipped="${s.skip}" time="${seconds(report.durationMs)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
