import { readFileSync } from 'node:fs';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { type Config, configSchema } from '../checks/config.js';
import { UsageError } from '../core/errors.js';
import { Faults } from '../server/faults.js';
import { paceFromFlags } from '../server/pace.js';
import { EXIT, exitCodeFor } from '../core/exit-codes.js';
import type { Attachment } from '../core/attachments.js';
import type { Finding } from '../core/finding.js';
import { runAudit } from '../checks/audit-run.js';
import type { CheckPlan, RunEvents } from '../checks/runner.js';
import { AuditLog } from '../report/audit-log.js';
import { buildReport } from '../report/report.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { overridesFromFlags, type SessionFlags } from './flags.js';
import { colorEnabled, Output } from './output.js';
import { emitReport } from './emit.js';
import { createProgress } from './progress.js';

/** Validate everything the user gave before any request: exit 2 on the first bad value. */
export function prepare(command: string, flags: SessionFlags): { loaded: LoadedConfig<Config>; output: Output } {
  if (flags.local && (flags.gateway !== undefined || flags.rag !== undefined)) {
    throw new UsageError('--local conflicts with --gateway/--rag: --local audits the embedded reference server', 'drop one of them');
  }
  if (flags.fault?.length && !flags.local) throw new UsageError('--fault needs --local (faults belong to the embedded reference server)');
  // Validate fault names here, so a typo is a usage error listing the known faults before any server starts.
  if (flags.local) new Faults(flags.fault ?? []);
  const pace = paceFromFlags(flags, (m) => new UsageError(m));
  if (Object.keys(pace).length && !flags.local && command !== 'serve')
    throw new UsageError('--ttft, --token-interval and --jitter need --local (they pace the embedded reference server)');
  if (flags.quiet && flags.verbose) throw new UsageError('--quiet conflicts with --verbose');
  const output = new Output({ json: !!flags.json, quiet: !!flags.quiet, verbose: !!flags.verbose, color: colorEnabled(flags.color) });
  const loaded = loadConfig(configSchema, { configFile: flags.config, overrides: overridesFromFlags(flags, command) });
  seedSecrets(output, loaded.config);
  return { loaded, output };
}

function seedSecrets(output: Output, config: Config): void {
  for (const value of Object.values(config.headers)) output.redactor.addSecret(value);
  output.redactor.addUrlSecrets(config.targets.gateway.url);
  output.redactor.addUrlSecrets(config.targets.rag.url);
}

function readCa(config: Config): string | undefined {
  if (!config.ca) return undefined;
  try {
    return readFileSync(config.ca, 'utf8');
  } catch (err) {
    throw new UsageError(`--ca ${config.ca}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? err})`);
  }
}

/**
 * The audit pipeline every checking command shares: plan → (reference server) → checks →
 * findings → reporters, with the audit log always closed and signals mapped to 130/143.
 */
export async function runSession(command: string, flags: SessionFlags, loadChecks: (config: Config) => Promise<CheckPlan>): Promise<number> {
  const { loaded, output } = prepare(command, flags);
  const config = loaded.config;
  const ca = readCa(config);
  // Still nothing sent: a command may refuse its plan here (load: open-file limit, remote consent).
  const checks = await loadChecks(config);
  const startedAt = new Date();
  const started = performance.now();
  const logPath = typeof flags.log === 'string' ? flags.log : process.env.ZANTARA_AUDIT_LOG || undefined;
  const log = AuditLog.open({ path: logPath, disabled: flags.log === false, redactor: output.redactor, warn: (m) => output.warn(m) });

  const controller = new AbortController();
  let interrupted: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (interrupted) process.exit(signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm);
    interrupted = signal;
    controller.abort(new Error(signal));
  };
  const sigint = () => onSignal('SIGINT');
  const sigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);

  let reference: { close(): Promise<void> } | undefined;
  const findings: Finding[] = [];
  const attachments: Attachment[] = [];
  try {
    if (flags.local) {
      const ref = await spawnLocal(config, flags);
      reference = ref;
      config.targets.gateway.url = ref.gateway;
      config.targets.rag.url = ref.rag;
    }
    log.write('run', {
      tool: { name: TOOL_NAME, version: VERSION },
      command,
      startedAt: startedAt.toISOString(),
      config,
      configFile: loaded.file ?? null,
      local: !!flags.local,
      faults: flags.fault ?? [],
    });
    const progress = await createProgress(output, flags);
    const events: RunEvents = progress;
    const record = (type: string, data: object) => log.write(type, data);
    findings.push(
      ...(await runAudit({
        config,
        checks,
        signal: controller.signal,
        ca,
        record,
        events,
        progress: (text) => progress.update?.(text),
        verbose: !!flags.verbose,
        attach: (a: Attachment) => void attachments.push(a),
      })),
    );
    progress.stop();
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
    await reference?.close();
  }

  const exitCode = interrupted ? (interrupted === 'SIGINT' ? EXIT.sigint : EXIT.sigterm) : exitCodeFor(findings, config.strict);
  const report = buildReport({
    command,
    startedAt,
    durationMs: Math.round(performance.now() - started),
    targets: { gateway: config.targets.gateway.url, rag: config.targets.rag.url, origin: config.origin },
    findings,
    attachments,
    logFile: log.path,
    exitCode,
    interrupted: interrupted !== undefined,
  });
  log.write('footer', { summary: report.summary, exitCode, durationMs: report.durationMs, interrupted: interrupted ?? null });
  log.close();
  await emitReport(report, output, flags, config.report);
  return exitCode;
}

/** The embedded reference server for `--local`, with the faults, pace and stream framing the flags and config ask for. */
export async function spawnLocal(config: Config, flags: SessionFlags) {
  const { spawnReference, referenceFormat } = await import('../server/spawn.js');
  return spawnReference({
    origin: config.origin,
    faults: flags.fault ?? [],
    pace: paceFromFlags(flags, (m) => new UsageError(m)),
    streamFormat: referenceFormat(config.stream),
  });
}
