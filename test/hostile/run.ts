/**
 * Run the built CLI against a hostile target and measure what the issue bounds: wall time, the
 * CLI process's peak RSS, and whether the audit log ends with its footer.
 *
 * Peak RSS: `node --import peak-rss.mjs` writes `process.resourceUsage().maxRSS` (getrusage's
 * ru_maxrss, KiB) at exit. It is the kernel's own high-water mark of the CLI process alone (not
 * of the test runner, not of a reference server child), needs no /usr/bin/time, and cannot miss a
 * short spike the way sampling /proc would.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, type JsonReport } from '../helpers/cli.js';

const PRELOAD = fileURLToPath(new URL('./peak-rss.mjs', import.meta.url));

/** The documented ceiling for the CLI's resident memory against any hostile HTTP target (README, docs/checks.md). */
export const RSS_CAP_MB = 150;

export interface HostileRun {
  code: number | null;
  stdout: string;
  stderr: string;
  report: JsonReport | undefined;
  wallMs: number;
  peakRssMb: number;
  logPath: string;
  /** Parsed audit log lines ([] when none was written). */
  log: Array<Record<string, unknown>>;
}

let root: string | undefined;

/** A fresh directory under one per-process root; `removeScratch()` (afterAll) deletes them all. */
export function scratchDir(): string {
  root ??= mkdtempSync(join(tmpdir(), 'zantara-hostile-'));
  return mkdtempSync(join(root, 'run-'));
}

export function removeScratch(): void {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
}

export interface HostileRunOptions {
  env?: NodeJS.ProcessEnv;
  killAfterMs?: number;
  /** Leave the log where the CLI puts it by default (no --log); `logPath` is then the report's. */
  defaultLog?: boolean;
}

/** `zantara-audit <args> --json --log <fresh>`; never inherits a TTY; SIGKILL after `killAfterMs`. */
export function runHostile(args: string[], options: HostileRunOptions = {}): Promise<HostileRun> {
  const dir = scratchDir();
  let logPath = join(dir, 'audit.jsonl');
  const rssFile = join(dir, 'peak-rss');
  const env = { ...process.env, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: '', ZANTARA_AUDIT_LOG: '', ZANTARA_PEAK_RSS_FILE: rssFile, ...options.env };
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const logArgs = options.defaultLog ? [] : ['--log', logPath];
    const child = spawn(process.execPath, ['--import', PRELOAD, BIN, ...args, '--json', ...logArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI still running after ${options.killAfterMs ?? 40_000} ms: ${args.join(' ')}\n${stderr}`));
    }, options.killAfterMs ?? 40_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const wallMs = Math.round(performance.now() - started);
      let report: JsonReport | undefined;
      try {
        report = JSON.parse(stdout) as JsonReport;
      } catch {
        report = undefined;
      }
      if (options.defaultLog) logPath = report?.logFile ?? '';
      const peakRssMb = existsSync(rssFile) ? Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024) : Number.NaN;
      const log = logPath && existsSync(logPath) ? readFileSync(logPath, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];
      resolve({ code, stdout, stderr, report, wallMs, peakRssMb, logPath, log });
    });
  });
}

/** Findings with this id, as `status: observed` lines, for readable assertion messages. */
export function findingsOf(run: HostileRun, id: string): Array<{ target: string; status: string; observed: string; unreachable?: boolean }> {
  return (run.report?.findings ?? []).filter((f) => f.id === id);
}
