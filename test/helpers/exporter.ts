import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN } from './cli.js';

export interface RunningExporterProcess {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<number | null>;
}

/** Start `zantara-audit exporter` on a free port and wait for its "listening on" line. */
export function startExporterProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunningExporterProcess> {
  const child = spawn(process.execPath, [BIN, 'exporter', '--listen', '127.0.0.1:0', ...args], {
    env: { ...process.env, NO_COLOR: '1', CI: 'true', ZANTARA_AUDIT_LOG: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`exporter did not start: ${err}`));
    }, 30_000);
    child.stderr.on('data', (c: Buffer) => {
      err += String(c);
      const m = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1] as string,
          child,
          stderr: () => err,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              child.once('exit', (code) => done(code));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exporter exited ${code}: ${err}`));
    });
  });
}

/** A loopback port nothing listens on (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
