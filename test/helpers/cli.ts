import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
  onSpawn?: (child: import('node:child_process').ChildProcess) => void;
  timeoutMs?: number;
}

/** Run the built CLI as a child process, as a user would; never inherits a TTY. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: '', ZANTARA_AUDIT_LOG: '', ...options.env };
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI timed out: ${args.join(' ')}\n${stderr}`));
    }, options.timeoutMs ?? 50_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    options.onSpawn?.(child);
  });
}

export interface JsonFinding {
  id: string;
  target: string;
  status: string;
  severity: string;
  observed: string;
  expected: string;
  unreachable?: boolean;
  attempts?: number;
}

export interface JsonReport {
  schemaVersion: number;
  summary: Record<string, number>;
  findings: JsonFinding[];
  logFile: string | null;
  exitCode: number;
  interrupted: boolean;
  targets: Record<string, string>;
}

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
