/**
 * Run the built CLI against a hostile target and measure what the issue bounds: wall time, the
 * CLI process's peak RSS, and whether the audit log ends with its footer.
 *
 * Peak RSS: `node --import peak-rss.mjs` writes `process.resourceUsage().maxRSS` (getrusage's
 * ru_maxrss, KiB) at exit. It is the kernel's own high-water mark of the CLI process alone (not
 * of the test runner, not of a reference server child), needs no /usr/bin/time, and cannot miss a
 * short spike the way sampling /proc would.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type JsonReport, runCli } from '../helpers/cli.js';

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
export async function runHostile(args: string[], options: HostileRunOptions = {}): Promise<HostileRun> {
  const dir = scratchDir();
  let logPath = join(dir, 'audit.jsonl');
  const rssFile = join(dir, 'peak-rss');
  const started = performance.now();
  const logArgs = options.defaultLog ? [] : ['--log', logPath];
  const result = await runCli([...args, '--json', ...logArgs], {
    env: { ZANTARA_PEAK_RSS_FILE: rssFile, ...options.env },
    nodeArgs: ['--import', PRELOAD],
    timeoutMs: options.killAfterMs ?? 40_000,
  });
  const wallMs = Math.round(performance.now() - started);
  let report: JsonReport | undefined;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    report = undefined;
  }
  if (options.defaultLog) logPath = report?.logFile ?? '';
  const peakRssMb = existsSync(rssFile) ? Math.round(Number(readFileSync(rssFile, 'utf8')) / 1024) : Number.NaN;
  const log =
    logPath && existsSync(logPath)
      ? readFileSync(logPath, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>)
      : [];
  return { code: result.code, stdout: result.stdout, stderr: result.stderr, report, wallMs, peakRssMb, logPath, log };
}

/** Findings with this id, as `status: observed` lines, for readable assertion messages. */
export function findingsOf(run: HostileRun, id: string): Array<{ target: string; status: string; observed: string; unreachable?: boolean }> {
  return (run.report?.findings ?? []).filter((f) => f.id === id);
}
