/**
 * Processes of the real-stack suite: every server runs on a free loopback port with its own
 * config, pid and log files under a temp dir (never the system's service instance), is
 * ready-checked against a deadline, and is stopped by its pid.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** In CI every component is installed by .ci/run: a missing one is a failure there, a skip elsewhere. */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** The first of the paths that is an executable, or why none is. */
export function findBinary(name: string, paths: readonly string[], installHint: string): { path?: string; missing?: string } {
  for (const p of paths) if (existsSync(p)) return { path: p };
  return { missing: `${name} is not installed (looked for ${paths.join(', ')}) — ${installHint}` };
}

/** A Python module importable by /usr/bin/python3 (Debian packages only, never pip). */
export function pythonModule(module: string, pkg: string): { missing?: string } {
  const r = spawnSync('/usr/bin/python3', ['-c', `import ${module}`], { encoding: 'utf8' });
  return r.status === 0 ? {} : { missing: `/usr/bin/python3 cannot import ${module} — apt-get install ${pkg}` };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Workdir {
  dir: string;
  file(name: string, text: string): string;
  path(name: string): string;
  /** Every process started for this target, so a start that fails halfway stops what it started. */
  procs: Proc[];
  /** Stop every process (last started first), then delete the dir. */
  remove(): Promise<void>;
}

export function workdir(prefix: string): Workdir {
  const dir = mkdtempSync(join(tmpdir(), `zantara-realstack-${prefix}-`));
  const procs: Proc[] = [];
  return {
    dir,
    procs,
    path: (name) => join(dir, name),
    file: (name, text) => {
      const p = join(dir, name);
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, text);
      return p;
    },
    remove: async () => {
      for (const p of [...procs].reverse()) await p.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Proc {
  name: string;
  pid: number;
  log: string;
  stop(): Promise<void>;
  /** The last lines of its log, for a failure message. */
  tail(): string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopPid(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Start a server in the foreground (no daemonising: its pid is ours to stop), output to its log
 * file. `pidFile`, when the server writes one, is where its own pid is read from on stop (a
 * master process may re-exec).
 */
export function startProcess(wd: Workdir, name: string, cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; log: string; pidFile?: string }): Proc {
  const fd = openSync(opts.log, 'a');
  const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['ignore', fd, fd] });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: could not start ${cmd}`);
  child.unref();
  const tail = () => (existsSync(opts.log) ? readFileSync(opts.log, 'utf8').split('\n').slice(-15).join('\n') : '');
  const proc: Proc = {
    name,
    pid,
    log: opts.log,
    tail,
    stop: async () => {
      const own = opts.pidFile && existsSync(opts.pidFile) ? Number(readFileSync(opts.pidFile, 'utf8').trim()) : NaN;
      if (Number.isInteger(own) && own > 0 && own !== pid) await stopPid(own);
      await stopPid(pid);
    },
  };
  wd.procs.push(proc);
  return proc;
}

/** Poll a URL until it answers (any status) or the deadline passes; the error names the log. */
export async function waitReady(proc: Proc, url: string, deadlineMs = 15_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  let last = '';
  while (Date.now() < until) {
    if (!alive(proc.pid)) throw new Error(`${proc.name} exited before it was ready (log ${proc.log}):\n${proc.tail()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await proc.stop();
  throw new Error(`${proc.name} not ready at ${url} within ${deadlineMs} ms (${last}); log ${proc.log}:\n${proc.tail()}`);
}
