/**
 * Probes of one target can overlap (several modules, several Prometheus servers). Most checks do
 * not care; the disconnect-cleanup check reads the RAG's active-streams gauge, which counts our
 * other probes' streams too. Rather than flap between pass, fail and "too noisy", it reports
 * `skip` naming the overlap whenever another probe of the same RAG was in flight.
 */
import { finding, type Finding } from '../core/finding.js';
import { isStage, type Check, type CheckPlan } from '../checks/runner.js';

/** Checks that judge a server-wide observable our own other probes move → the finding id each reports. */
export const QUIET_CHECKS: Readonly<Record<string, string>> = { 'sse.disconnect': 'sse.disconnect.cleanup' };

export class TargetActivity {
  private readonly inFlight = new Map<string, number>();
  private readonly starts = new Map<string, number>();

  /** A probe of `key` (the RAG URL) begins; call the returned function when it ends. */
  begin(key: string): () => void {
    this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    this.starts.set(key, (this.starts.get(key) ?? 0) + 1);
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const n = (this.inFlight.get(key) ?? 1) - 1;
      if (n === 0) this.inFlight.delete(key);
      else this.inFlight.set(key, n);
    };
  }

  inFlightCount(key: string): number {
    return this.inFlight.get(key) ?? 0;
  }

  startCount(key: string): number {
    return this.starts.get(key) ?? 0;
  }
}

function overlapSkip(f: Pick<Finding, 'id' | 'target' | 'title'>, why: string): Finding {
  return finding({
    id: f.id,
    target: f.target,
    status: 'skip',
    title: f.title,
    expected: 'no other probe of this target in flight (the check reads a server-wide gauge)',
    observed: `not judged: ${why}; schedule this module alone for the target, or --skip it in the overlapping module`,
  });
}

/** Wrap the quiet checks of a probe of `key`, which is already counted in `activity`, wherever they stand in the plan. */
export function guardQuietChecks(plan: CheckPlan, activity: TargetActivity, key: string): CheckPlan {
  return plan.map((step) => (isStage(step) ? step.map((check) => guardQuiet(check, activity, key)) : guardQuiet(step, activity, key)));
}

export function guardQuiet(check: Check, activity: TargetActivity, key: string): Check {
  const findingId = QUIET_CHECKS[check.id];
  if (findingId === undefined) return check;
  return {
    id: check.id,
    title: check.title,
    async run(ctx) {
      const others = activity.inFlightCount(key) - 1;
      if (others > 0) return [overlapSkip({ id: findingId, target: 'rag', title: check.title }, `${others} other probe(s) of this target were in flight`)];
      const started = activity.startCount(key);
      const found = await check.run(ctx);
      const newcomers = activity.startCount(key) - started;
      if (newcomers === 0) return found;
      return found.map((f) => (f.status === 'skip' ? f : overlapSkip(f, `${newcomers} other probe(s) of this target started while it ran (it would have said ${f.status})`)));
    },
  };
}
