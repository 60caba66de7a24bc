/**
 * What may be asked of a load run before a single request: the open-file limit (each stream is
 * a socket, on both ends), the consent needed to load someone else's host, and how to spread
 * loopback connections over source addresses. Pure, except `openFileLimit`.
 */
import { UsageError } from '../../core/errors.js';

/** Without --yes, at most this many streams to a host that is not loopback. */
export const REMOTE_LIMIT_WITHOUT_YES = 200;
/** Descriptors Node, the audit log, the metrics scraper and stdio need besides the streams. */
export const FD_RESERVE = 100;
/**
 * Streams per loopback source address: past ~10k to one address the kernel's port search
 * dominates, and undici's pool scans its connections for a free one on every request.
 */
const STREAMS_PER_SOURCE = 1000;
const MAX_SOURCES = 16;

/** 127.0.0.0/8, ::1 and localhost: the host is this machine. Decided from the URL alone, no DNS. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1' || host === 'localhost' || host.endsWith('.localhost');
}

/**
 * One entry per undici Agent. Loopback IPv4 targets get several 127.0.0.x source addresses, so
 * no address needs more than ~1,000 ephemeral ports; anything else lets the kernel choose.
 */
export function sourceAddresses(url: URL, connections: number): Array<string | undefined> {
  const ipv4Loopback = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname);
  const n = Math.min(MAX_SOURCES, Math.ceil(connections / STREAMS_PER_SOURCE));
  if (!ipv4Loopback || n <= 1) return [undefined];
  return Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}`);
}

/** The soft limit on open files (`ulimit -n`), from Node's diagnostic report; undefined where it is not reported. */
export function openFileLimit(): number | undefined {
  try {
    // No reverse DNS for open sockets while building the report (the typings lag behind Node 20).
    (process.report as { excludeNetwork?: boolean }).excludeNetwork = true;
    const report = process.report.getReport() as { userLimits?: { open_files?: { soft?: number | string } } };
    const soft = report.userLimits?.open_files?.soft;
    return typeof soft === 'number' && Number.isFinite(soft) ? soft : undefined;
  } catch {
    return undefined;
  }
}

export interface LimitInput {
  connections: number;
  /** The RAG URL, or undefined for --local (loopback by construction). */
  rag: URL | undefined;
  yes: boolean;
  /** Soft open-file limit; undefined = unknown (not checked). */
  fdLimit: number | undefined;
  durationMs: number;
  rampMs: number;
}

/** Refuse, with the reason and the way out, what would fail midway or load a host without consent. */
export function checkLimits(input: LimitInput): void {
  const { connections, rag, fdLimit } = input;
  if (rag && !isLoopbackHost(rag.hostname) && connections > REMOTE_LIMIT_WITHOUT_YES && !input.yes) {
    throw new UsageError(
      `--connections ${connections} to ${rag.host}: more than ${REMOTE_LIMIT_WITHOUT_YES} concurrent streams to a host that is not loopback needs --yes`,
      `a load run at this size can degrade a production service for its real users (and look like an attack to its provider); run it against a staging host, or confirm with --yes`,
    );
  }
  if (fdLimit !== undefined && connections + FD_RESERVE > fdLimit) {
    throw new UsageError(
      `--connections ${connections}: each stream needs an open file (socket), but this process may open only ${fdLimit} (ulimit -n); at most ${Math.max(0, fdLimit - FD_RESERVE)} streams fit`,
      `lower --connections to ${Math.max(0, fdLimit - FD_RESERVE)} or less, or raise the limit (ulimit -n <n>, or LimitNOFILE= for a service) before the run; with --local the reference server inherits the same limit`,
    );
  }
  if (input.rampMs >= input.durationMs) {
    throw new UsageError(
      `--ramp ${input.rampMs} ms is not shorter than --duration (${input.durationMs / 1000} s): the streams would not all start within the run`,
      'shorten --ramp or lengthen --duration',
    );
  }
}
