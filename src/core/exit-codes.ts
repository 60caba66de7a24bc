import type { Finding } from './finding.js';

/** The one exit-code table (DESIGN.md). Commands return one of these; only main.ts sets it. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  unreachable: 3,
  sigint: 130,
  sigterm: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Unreachable outranks failed; warnings fail only with --strict. */
export function exitCodeFor(findings: readonly Finding[], strict: boolean): ExitCode {
  if (findings.some((f) => f.unreachable && f.status === 'fail')) return EXIT.unreachable;
  if (findings.some((f) => f.status === 'fail' || (strict && f.status === 'warn'))) return EXIT.failed;
  return EXIT.ok;
}
