import { appendFileSync, writeFileSync } from 'node:fs';
import type { Report } from '../report/report.js';
import type { Output } from './output.js';
import type { SessionFlags } from './flags.js';

/** Hand the report to every reporter asked for; a reporter that cannot write warns, never fails the run. */
export async function emitReport(report: Report, output: Output, flags: SessionFlags): Promise<void> {
  if (flags.junit) {
    const { renderJunit } = await import('../report/junit.js');
    writeSafely(output, flags.junit, () => writeFileSync(flags.junit as string, output.redactor.redact(renderJunit(report))));
  }
  if (process.env.GITHUB_ACTIONS === 'true') {
    const { renderAnnotations, renderStepSummary } = await import('../report/github.js');
    // Annotations are workflow commands read from stdout; with --json stdout holds only the report.
    const annotations = renderAnnotations(report.findings);
    if (flags.json) output.stderr(annotations);
    else output.stdout(annotations);
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) writeSafely(output, summaryFile, () => appendFileSync(summaryFile, output.redactor.redact(renderStepSummary(report))));
  }
  if (flags.json) {
    output.stdout(`${output.redactor.json(report, 2)}\n`);
    return;
  }
  const [{ Chalk }, { renderPretty }] = await Promise.all([import('chalk'), import('../report/pretty.js')]);
  const chalk = new Chalk(output.options.color ? {} : { level: 0 });
  output.stdout(renderPretty(chalk, report, output.options));
}

function writeSafely(output: Output, path: string, write: () => void): void {
  try {
    write();
  } catch (err) {
    output.warn(`cannot write ${path} (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}
