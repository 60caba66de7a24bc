import { parseInteger } from '../flags.js';
import type { Action } from '../program.js';
import { prepare } from '../session.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Run the reference server until Ctrl-C (or, for --local, until our parent closes stdin). */
const serve: Action = async (flags) => {
  const { loaded, output } = prepare('serve', { ...flags, fault: undefined });
  const [{ startReference }, { Faults }, { paceFromFlags }, { UsageError }, { STREAM_FORMATS }] = await Promise.all([
    import('../../server/index.js'),
    import('../../server/faults.js'),
    import('../../server/pace.js'),
    import('../../core/errors.js'),
    import('../../server/ndjson-framing.js'),
  ]);
  const host = String(flags.host ?? '127.0.0.1');
  if (!LOOPBACK.test(host)) {
    throw new UsageError(`--host ${host}: the reference server binds loopback addresses only`);
  }
  const streamFormat = String(flags.streamFormat ?? 'sse');
  if (!(STREAM_FORMATS as readonly string[]).includes(streamFormat)) {
    throw new UsageError(`--stream-format ${streamFormat}: expected ${STREAM_FORMATS.join(' or ')}`);
  }
  const port = (name: string) => (flags[name] === undefined ? 0 : parseInteger(`--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, String(flags[name])));
  const ref = await startReference({
    origin: loaded.config.origin,
    faults: new Faults(flags.fault ?? []),
    host,
    gatewayPort: port('gatewayPort'),
    ragPort: port('ragPort'),
    pace: paceFromFlags(flags, (m) => new UsageError(m)),
    streamFormat: streamFormat as 'sse' | 'ndjson',
    log: (line) => output.stderr(`${line}\n`),
  });
  if (flags.readyJson) output.stdout(`${JSON.stringify({ gateway: ref.gateway, rag: ref.rag, faults: ref.faults })}\n`);
  else
    output.stdout(
      `reference gateway ${ref.gateway}\nreference rag     ${ref.rag}\norigin allowed    ${loaded.config.origin}\nfaults            ${ref.faults.join(', ') || 'none'}\nCtrl-C to stop\n`,
    );
  return new Promise<number>((resolve) => {
    const stop = (code: number) => () => void ref.close().then(() => resolve(code));
    process.once('SIGINT', stop(0));
    process.once('SIGTERM', stop(0));
    if (flags.exitOnStdinClose) {
      process.stdin.on('end', stop(0));
      process.stdin.on('error', stop(0));
      process.stdin.resume();
    }
  });
};

export default serve;
