import { spawn } from 'node:child_process';
import { userEnv } from './cli.js';

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run any executable with a deadline; the child is killed when it passes, so a test never hangs. */
export function exec(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`timed out after ${options.timeoutMs ?? 60_000} ms: ${command} ${args.join(' ')}\n${stderr.slice(-2000)}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface FindingLine {
  id: string;
  target: string;
  status: string;
}

/** `id target status` per finding, sorted: what two entry points must agree on (times and ports differ). */
export function verdicts(report: { findings: FindingLine[] }): string[] {
  return report.findings.map((f) => `${f.id} ${f.target} ${f.status}`).sort();
}
