import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/core/finding.js';
import type { Report } from '../../src/report/report.js';
import { type ExecOptions, type ExecResult, exec, userEnv } from './exec.js';

export const BIN = fileURLToPath(new URL('../../bin/zantara-audit.js', import.meta.url));

export type CliResult = ExecResult;

export interface CliOptions extends ExecOptions {
  /** Node's own flags before the CLI (e.g. `--import` a preload). */
  nodeArgs?: string[];
  /** A shell line run first, which then execs node (e.g. `ulimit -n 512 &&`). */
  shellPrefix?: string;
}

/** Run the built CLI as a child process, as a user would (`userEnv`, never a TTY). The one launcher of the tests. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const { nodeArgs = [], shellPrefix, env, ...rest } = options;
  const argv = [...nodeArgs, BIN, ...args];
  const opts = { timeoutMs: 50_000, ...rest, env: userEnv(env) };
  if (shellPrefix) return exec('/bin/sh', ['-c', `${shellPrefix} exec "$0" "$@"`, process.execPath, ...argv], opts);
  return exec(process.execPath, argv, opts);
}

/** The JSON report (`--json`), typed by the source's own declaration. */
export type JsonReport = Report;
export type JsonFinding = Finding;

export async function runJson(args: string[], options: CliOptions = {}): Promise<{ result: CliResult; report: JsonReport }> {
  const result = await runCli([...args, '--json'], options);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
  return { result, report };
}

export function statusOf(report: JsonReport, id: string, target?: string): string[] {
  return report.findings.filter((f) => f.id === id && (!target || f.target === target)).map((f) => f.status);
}

/**
 * `--local` pacing for tests whose subject is not timing: the reference answer in ~0.15 s instead
 * of a model's ~3.7 s (serve --help: --ttft, --token-interval, --jitter).
 */
export const FAST = ['--ttft', '0', '--token-interval', '2', '--jitter', '0'];

/** A finding of the JSON report with the fields the integration tests read. */
export type ReportFinding = JsonFinding & { title: string; remedy?: string; evidence?: Record<string, unknown> };

export const findingsOf = (report: JsonReport) => report.findings as ReportFinding[];

/** The findings that fail or warn. */
export const notPassing = (report: JsonReport) => findingsOf(report).filter((f) => f.status === 'fail' || f.status === 'warn');

/** `--config <file>`: `body` written to `<dir>/<name>.json`. */
export function configArgs(dir: string, name: string, body: object): string[] {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(body));
  return ['--config', file];
}
