import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../../src/core/finding.js';
import type { Report } from '../../src/report/report.js';

export const BIN = fileURLToPath(new URL('../../bin/zantara-audit.js', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called with the child once it is running (e.g. to send a signal). */
  onSpawn?: (child: ChildProcess) => void;
  timeoutMs?: number;
  /** Node's own flags before the CLI (e.g. `--import` a preload). */
  nodeArgs?: string[];
  /** A shell line run first, which then execs node (e.g. `ulimit -n 512 &&`). */
  shellPrefix?: string;
}

/**
 * Environment for a child that must behave like a user's shell, not like our test run: no npm_*
 * variables (npm sets npm_config_local_prefix and friends for scripts, which would point a nested
 * npm at this repository), no colours, no CI annotations, no audit log.
 */
export function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: '', ZANTARA_AUDIT_LOG: '', ...extra };
}

/** Run the built CLI as a child process, as a user would; never inherits a TTY. The one launcher of the tests. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const argv = [...(options.nodeArgs ?? []), BIN, ...args];
    const [command, commandArgs] = options.shellPrefix ? ['/bin/sh', ['-c', `${options.shellPrefix} exec "$0" "$@"`, process.execPath, ...argv]] : [process.execPath, argv];
    const child = spawn(command, commandArgs, { env: userEnv(options.env), cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI still running after ${options.timeoutMs ?? 50_000} ms: ${args.join(' ')}\n${stderr}`));
    }, options.timeoutMs ?? 50_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    options.onSpawn?.(child);
  });
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
