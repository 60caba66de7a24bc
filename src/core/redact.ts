/**
 * Redaction at the sink: every writer (terminal, JSON, JUnit, GitHub, audit log) passes its text
 * through one Redactor, so no code path can forget. Two layers: known secret values (from
 * --header, config headers, URL credentials and secret query parameters) are replaced wherever
 * they appear; and header objects are masked by name before they are serialised.
 */
export const REDACTED = '[REDACTED]';

const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token|x-access-token|x-csrf-token)$/i;
const SECRET_PARAM = /^(token|access_token|id_token|refresh_token|api_key|apikey|key|secret|password|passwd|pwd|auth|signature|sig|session|code)$/i;
/** Shorter values would redact ordinary words; they are still masked by header name. */
const MIN_SECRET_LENGTH = 4;

export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

export class Redactor {
  private readonly secrets = new Set<string>();

  addSecret(value: string): void {
    const v = value.trim();
    if (v.length < MIN_SECRET_LENGTH) return;
    this.secrets.add(v);
    // "Bearer abc" — the token alone may be echoed too.
    const token = /^(bearer|basic|token)\s+(.+)$/i.exec(v)?.[2];
    if (token && token.length >= MIN_SECRET_LENGTH) this.secrets.add(token);
    const encoded = encodeURIComponent(v);
    if (encoded !== v) this.secrets.add(encoded);
  }

  /** Secrets carried by a URL: userinfo and secret-looking query parameters. */
  addUrlSecrets(url: string): void {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return;
    }
    if (parsed.password) this.addSecret(decodeURIComponent(parsed.password));
    for (const [name, value] of parsed.searchParams) if (SECRET_PARAM.test(name)) this.addSecret(value);
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so "Bearer abc" is replaced whole before "abc".
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** JSON.stringify with secret header names masked and secret values replaced. */
  json(value: unknown, space?: number): string {
    return this.redact(JSON.stringify(value, maskSecretHeaders, space));
  }
}

function maskSecretHeaders(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === 'string' && isSecretHeader(key)) return REDACTED;
  // Raw header lines: ["Authorization", "Bearer x"] pairs.
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && isSecretHeader(value[0])) {
    return [value[0], REDACTED];
  }
  return value;
}
