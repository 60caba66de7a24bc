import { UsageError } from '../../core/errors.js';
import type { Action } from '../program.js';
import { prepare, spawnLocal } from '../session.js';

/**
 * Serve `/probe`, `/metrics` and `/` until SIGINT/SIGTERM. With --local the embedded reference
 * server runs beside it as the target `local` (and --fault switches its faults on).
 */
const exporter: Action = async (flags) => {
  const { loaded, output } = prepare('exporter', flags);
  const config = loaded.config;
  const [{ splitListen }, { resolveAll }, { startExporter }, { LogDir }] = await Promise.all([
    import('../../config/listen.js'),
    import('../../exporter/plan.js'),
    import('../../exporter/server.js'),
    import('../../exporter/log-dir.js'),
  ]);
  if (flags.local && config.exporter.targets.local)
    throw new UsageError('--local registers the target "local", but exporter.targets already has one', 'rename the configured target, or drop --local');
  if (!flags.local && Object.keys(config.exporter.targets).length === 0) {
    throw new UsageError('no targets to probe: exporter.targets in the config is empty', 'add targets (name → gateway, rag) to the config file, or try --local');
  }
  let reference: { close(): Promise<void> } | undefined;
  if (flags.local) {
    const ref = await spawnLocal(config, flags);
    reference = ref;
    config.exporter.targets.local = { gateway: ref.gateway, rag: ref.rag, skip: [], settings: {} };
  }
  try {
    const plans = resolveAll(config);
    for (const t of Object.values(config.exporter.targets)) {
      for (const v of Object.values(t.headers ?? {})) output.redactor.addSecret(v);
      output.redactor.addUrlSecrets(t.gateway);
      output.redactor.addUrlSecrets(t.rag);
    }
    const logCfg = config.exporter.log;
    let logs: InstanceType<typeof LogDir> | undefined;
    try {
      logs =
        flags.log === false
          ? undefined
          : new LogDir({ dir: logCfg.dir, maxFiles: logCfg.maxFiles, maxBytes: logCfg.maxBytes, redactor: output.redactor, warn: (m) => output.warn(m) });
    } catch (err) {
      throw new UsageError(
        `--log-dir ${logCfg.dir ?? '(temp dir)'}: cannot create the audit log directory (${(err as NodeJS.ErrnoException).code ?? err})`,
        'pick a writable directory, or --no-log',
      );
    }
    const { host, port } = splitListen(config.exporter.listen);
    const server = await startExporter({ host, port, config, plans, logs, redactor: output.redactor }).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`--listen ${config.exporter.listen}: cannot listen (${err.code ?? err.message})`, 'pick a free port, or port 0 for any free one');
    });
    output.stderr(`zantara-audit exporter listening on ${server.url} — targets: ${Object.keys(config.exporter.targets).join(', ')}; audit logs: ${logs ? logs.dir : 'off'}\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await server.close();
    return 0;
  } finally {
    await reference?.close();
  }
};

export default exporter;
