import type { Finding } from '../core/finding.js';
import type { Check, RunEvents } from '../checks/runner.js';
import type { Output } from './output.js';
import type { SessionFlags } from './flags.js';

export interface Progress extends RunEvents {
  stop(): void;
  /** Replace the spinner's text while a long check runs. */
  update?(text: string): void;
}

const NONE: Progress = { stop: () => undefined };

/**
 * A spinner only for a person at a terminal: never with --json, --quiet, in CI, or when stderr is
 * not a TTY (then ora is not even loaded).
 */
export async function createProgress(output: Output, flags: SessionFlags): Promise<Progress> {
  const interactive = process.stderr.isTTY && !flags.json && !flags.quiet && !process.env.CI;
  if (!interactive) return NONE;
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr, color: 'cyan', isEnabled: true, discardStdin: false });
  const tally = (findings: Finding[]) => {
    const failed = findings.filter((f) => f.status === 'fail').length;
    return failed ? `${failed} failed` : 'ok';
  };
  return {
    onCheckStart(check: Check) {
      spinner.start(`${check.title}…`);
    },
    onCheckEnd(check: Check, findings: Finding[]) {
      const text = output.redactor.redact(`${check.title}: ${tally(findings)}`);
      if (findings.some((f) => f.status === 'fail')) spinner.fail(text);
      else spinner.succeed(text);
    },
    update(text: string) {
      spinner.text = output.redactor.redact(text);
    },
    stop() {
      spinner.stop();
    },
  };
}
