import type { TransportError, TransportErrorCode } from './types.js';

const TLS_CODES = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ALTNAME|EPROTO/;

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

function codeOf(err: unknown): string {
  const e = (err ?? {}) as ErrorLike;
  const own = typeof e.code === 'string' ? e.code : '';
  if (own && own !== 'UND_ERR_SOCKET') return own;
  const cause = e.cause as ErrorLike | undefined;
  return typeof cause?.code === 'string' ? cause.code : own;
}

function classify(code: string): TransportErrorCode {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns';
  if (code.endsWith('TIMEOUT') || code === 'ETIMEDOUT' || code === 'ZA_DEADLINE') return 'timeout';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'ECONNABORTED') return 'reset';
  if (code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return 'too-large';
  if (code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') return 'aborted';
  if (TLS_CODES.test(code)) return 'tls';
  return 'other';
}

/** Turn any error from the HTTP stack into one plain line that names what failed and what to do. */
export function transportError(err: unknown, url: string, timeoutMs: number): TransportError {
  const code = codeOf(err);
  const kind = classify(code);
  let where = url;
  try {
    where = new URL(url).host;
  } catch {
    /* keep the raw string */
  }
  const raw = String((err as ErrorLike | undefined)?.message ?? err);
  const messages: Record<TransportErrorCode, string> = {
    refused: `connection refused at ${where} — is the service running?`,
    dns: `DNS lookup failed for ${where} — check the host name`,
    timeout: `no answer from ${where} within ${timeoutMs} ms — raise --timeout or check the service`,
    reset: `connection reset by ${where} (${code || raw})`,
    'too-large': `response from ${where} too large (${code}) — headers or body beyond the cap`,
    tls: `TLS failure talking to ${where}: ${code} — pass --ca <file> to trust a private CA`,
    redirect: `redirect from ${where} not followed`,
    aborted: `request to ${where} aborted`,
    other: `request to ${where} failed: ${raw}${code ? ` (${code})` : ''}`,
  };
  return { code: kind, message: messages[kind] };
}

/** Transport failures worth retrying with --retries: never a failed assertion. */
export function isRetryable(error: TransportError | undefined): boolean {
  return error !== undefined && (error.code === 'refused' || error.code === 'reset' || error.code === 'timeout');
}
