import { type ChildProcess, spawn } from 'node:child_process';

export interface ExecResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  cwd?: string;
  /** Default: `userEnv()`. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Called with the child once it is running (e.g. to send a signal). */
  onSpawn?: (child: ChildProcess) => void;
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

/** Run any executable with a deadline; the child is killed when it passes, so a test never hangs. */
export function exec(command: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`still running after ${timeoutMs} ms: ${command} ${args.join(' ')}\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    options.onSpawn?.(child);
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
