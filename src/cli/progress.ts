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
 * not a TTY (then ora is not even loaded). A terminal that reports no width (a pty opened with no
 * size: `script`, some CI runners and containers) gets no spinner either: ora divides each line's
 * width by the columns to know how many lines to clear, and with 0 it clears forever.
 */
export async function createProgress(output: Output, flags: SessionFlags): Promise<Progress> {
  const interactive = process.stderr.isTTY && (process.stderr.columns ?? 0) > 0 && !flags.json && !flags.quiet && !process.env.CI;
  if (!interactive) return NONE;
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr, color: 'cyan', isEnabled: true, discardStdin: false });
  const tally = (findings: Finding[]) => {
    const failed = findings.filter((f) => f.status === 'fail').length;
    return failed ? `${failed} failed` : 'ok';
  };
  // The checks of a stage run together (runner.ts): the spinner names every one still running.
  const running = new Set<Check>();
  const spinRunning = () => running.size > 0 && spinner.start(`${[...running].map((c) => c.title).join(', ')}…`);
  return {
    onCheckStart(check: Check) {
      running.add(check);
      spinRunning();
    },
    onCheckEnd(check: Check, findings: Finding[]) {
      running.delete(check);
      const text = output.redactor.redact(`${check.title}: ${tally(findings)}`);
      if (findings.some((f) => f.status === 'fail')) spinner.fail(text);
      else spinner.succeed(text);
      spinRunning();
    },
    update(text: string) {
      spinner.text = output.redactor.redact(text);
    },
    stop() {
      spinner.stop();
    },
  };
}
