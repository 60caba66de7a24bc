import { appendFileSync, writeFileSync } from 'node:fs';
import type { WrittenFiles } from '../report/pretty.js';
import type { Report } from '../report/report.js';
import type { Output } from './output.js';
import type { SessionFlags } from './flags.js';

/** The report files to write (config `report`, flags --html, --json-file, --junit). */
export interface ReportFiles {
  html?: string;
  json?: string;
  junit?: string;
}

/** Hand the report to every reporter asked for; a reporter that cannot write warns, never fails the run. */
export async function emitReport(report: Report, output: Output, flags: SessionFlags, files: ReportFiles): Promise<void> {
  const written: WrittenFiles = {};
  if (files.html) {
    const { renderHtml } = await import('../report/html/render.js');
    // The data is redacted before rendering (secret header names masked), the page once more as a whole.
    const safe = JSON.parse(output.redactor.json(report)) as Report;
    if (writeSafely(output, files.html, (path) => writeFileSync(path, output.redactor.redact(renderHtml(safe))))) written.html = files.html;
  }
  if (files.json && writeSafely(output, files.json, (path) => writeFileSync(path, `${output.redactor.json(report, 2)}\n`))) written.json = files.json;
  if (files.junit) {
    const { renderJunit } = await import('../report/junit.js');
    if (writeSafely(output, files.junit, (path) => writeFileSync(path, output.redactor.redact(renderJunit(report))))) written.junit = files.junit;
  }
  if (process.env.GITHUB_ACTIONS === 'true') {
    const { renderAnnotations, renderStepSummary } = await import('../report/github.js');
    // Annotations are workflow commands read from stdout; with --json stdout holds only the report.
    const annotations = renderAnnotations(report.findings);
    if (flags.json) output.stderr(annotations);
    else output.stdout(annotations);
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) writeSafely(output, summaryFile, (path) => appendFileSync(path, output.redactor.redact(renderStepSummary(report))));
  }
  if (flags.json) {
    output.stdout(`${output.redactor.json(report, 2)}\n`);
    return;
  }
  const [{ Chalk }, { renderPretty }] = await Promise.all([import('chalk'), import('../report/pretty.js')]);
  const chalk = new Chalk(output.options.color ? {} : { level: 0 });
  output.stdout(renderPretty(chalk, report, output.options, written));
}

function writeSafely(output: Output, path: string, write: (path: string) => void): boolean {
  try {
    write(path);
    return true;
  } catch (err) {
    output.warn(`cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? err})`);
    return false;
  }
}
