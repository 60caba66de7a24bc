import { UsageError } from '../core/errors.js';

/**
 * Each fault flips one behaviour of the reference server to a realistic misconfiguration, so
 * the test suite can prove, fault by fault, that the matching check fails.
 */
export const FAULTS = {
  'health-down': 'both /health endpoints answer 503',
  'health-bad-json': '/health answers 200 with a body that is not the contract JSON',
  'health-slow': '/health answers after 1.5 s (beyond the 1 s latency threshold)',
  'no-metrics': '/metrics answers 404',
  'eventloop-lag': 'a busy loop blocks the event loop ~40 ms every 50 ms, so lag exceeds 10 ms',
} as const satisfies Record<string, string>;

export type FaultName = keyof typeof FAULTS;

/** Active faults; a fault may carry a value (`max-streams=100`). */
export class Faults {
  private readonly active = new Map<string, string>();

  constructor(spec: readonly string[] = []) {
    for (const item of spec.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean)) {
      const [name = '', value = ''] = item.split('=', 2);
      if (!(name in FAULTS)) {
        throw new UsageError(`unknown fault "${name}"`, `known faults: ${Object.keys(FAULTS).join(', ')}`);
      }
      this.active.set(name, value);
    }
  }

  has(name: FaultName): boolean {
    return this.active.has(name);
  }

  /** Numeric value of a fault such as `max-streams=100`. */
  number(name: FaultName, fallback: number): number {
    const v = Number(this.active.get(name));
    return Number.isFinite(v) && v > 0 ? v : fallback;
  }

  list(): string[] {
    return [...this.active].map(([name, value]) => (value ? `${name}=${value}` : name));
  }
}
