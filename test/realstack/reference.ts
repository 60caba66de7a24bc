/**
 * The embedded reference server (`zantara-audit serve`), for the side of a target that is not
 * the third-party stack: its own process, fixed free ports, a log, stopped by pid.
 */
import { BIN } from '../helpers/cli.js';
import { freePort, type Proc, startProcess, waitReady, type Workdir } from './harness.js';

export interface Reference {
  gateway: string;
  rag: string;
  gatewayPort: number;
  ragPort: number;
  proc: Proc;
}

/**
 * The reference server's own default pace is a model's (first token after ~0.5 s, ~3.7 s an
 * answer: `serve --help`): early closes land mid-answer and sse.buffering is judged on every
 * target, as on a production answer. `tokenIntervalMs` makes an answer longer where a target needs it.
 */
export async function startReference(wd: Workdir, origin: string, opts: { faults?: string[]; tokenIntervalMs?: number } = {}): Promise<Reference> {
  const [gatewayPort, ragPort] = [await freePort(), await freePort()];
  const args = [BIN, 'serve', '--origin', origin, '--gateway-port', String(gatewayPort), '--rag-port', String(ragPort)];
  if (opts.tokenIntervalMs !== undefined) args.push('--token-interval', String(opts.tokenIntervalMs));
  if (opts.faults?.length) args.push('--fault', opts.faults.join(','));
  const proc = startProcess(wd, 'reference server', process.execPath, args, { log: wd.path('reference.log'), env: { NO_COLOR: '1' } });
  const gateway = `http://127.0.0.1:${gatewayPort}`;
  const rag = `http://127.0.0.1:${ragPort}`;
  await waitReady(proc, `${gateway}/health`);
  await waitReady(proc, `${rag}/health`);
  return { gateway, rag, gatewayPort, ragPort, proc };
}
