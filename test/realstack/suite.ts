/**
 * One file's worth of targets: one Chromium for all of them; per target, its stack is started
 * once, audited by the built CLI (first, as a post-deploy gate would), visited by Chromium, and
 * stopped by pid. The test asserts Chromium reached the documented verdict, then that the CLI
 * agrees finding by finding.
 */
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runJson } from '../helpers/cli.js';
import { type Judge, startJudge } from './chromium.js';
import { IN_CI, workdir } from './harness.js';
import type { Target } from './targets.js';
import { browserVerdict, disagreements } from './verdict.js';

/** When set, one JSON line per target (for docs/realstack.md). */
const RESULTS = process.env.REALSTACK_RESULTS;

function missingOf(target: Target): string[] {
  return target.requires.map((r) => r().missing).filter((m): m is string => m !== undefined);
}

export function realStackSuite(title: string, targets: Target[]): void {
  describe(title, () => {
    let judge: Judge | undefined;
    beforeAll(async () => {
      judge = await startJudge();
    }, 60_000);
    afterAll(async () => {
      await judge?.close();
    });

    for (const target of targets) {
      const missing = missingOf(target);
      // In CI .ci/run installs every component, so a missing one is a failure there, never a silent skip.
      if (missing.length && !IN_CI) {
        it.skip(`${target.name} (skipped: ${missing.join('; ')})`, () => {});
        continue;
      }
      it(`${target.name}: Chromium and the CLI reach the same verdict`, async () => {
        expect(missing, 'components .ci/run must install').toEqual([]);
        const wd = workdir(target.name);
        try {
          const running = await target.start(wd, (judge as Judge).origin);
          const { gateway, rag } = running;
          const cli = await runJson(['audit', '--gateway', gateway, '--rag', rag, '--origin', (judge as Judge).origin, '--no-log'], { timeoutMs: 120_000 });
          const seen = await (judge as Judge).visit({ gateway, rag }, { cleanup: true });
          const verdict = browserVerdict(seen);
          const diff = disagreements(verdict, cli.report, cli.result.code);
          if (RESULTS) {
            const fails = cli.report.findings.filter((f) => f.status === 'fail').map((f) => `${f.id}@${f.target}`);
            appendFileSync(
              RESULTS,
              `${JSON.stringify({ target: target.name, stack: target.stack, misconfiguration: target.misconfiguration, source: target.source, expected: target.expected, browser: verdict, exit: cli.result.code, fails, disagreements: diff })}\n`,
            );
          }
          expect(verdict, `Chromium's verdict vs the documented behaviour (console: ${seen.console.join(' | ').slice(0, 1500)})`).toEqual(target.expected);
          expect(diff, 'the CLI against Chromium, finding by finding').toEqual([]);
        } finally {
          // Everything started for the target, also when its start failed halfway.
          await wd.remove();
        }
      }, 150_000);
    }
  });
}
