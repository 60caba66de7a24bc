import type { TargetName } from '../core/finding.js';

/** Header lines exactly as received, in order, duplicates kept (CORS judges repeated lines). */
export type RawHeaders = Array<[name: string, value: string]>;

export type TransportErrorCode = 'refused' | 'dns' | 'tls' | 'timeout' | 'reset' | 'too-large' | 'redirect' | 'aborted' | 'other';

export interface TransportError {
  code: TransportErrorCode;
  /** One plain line, e.g. "connection refused at 127.0.0.1:9 — is the service running?" */
  message: string;
}

export interface SentRequest {
  method: string;
  url: string;
  /** Redacted at the sink, never here. */
  headers: Record<string, string>;
}

export interface ReceivedResponse {
  status: number;
  /** Lower-cased names; repeated lines joined with ", " (as Fetch combines them). */
  headers: Record<string, string>;
  rawHeaders: RawHeaders;
  /** Body decoded as UTF-8, cut at the byte cap. */
  body: string;
  bodyBytes: number;
  truncated: boolean;
}

/** A plain, serialisable record of one request/response; probes return these, rules judge them. */
export interface HttpObservation {
  kind: 'http';
  /** What the request was for, e.g. `health`, `metrics`, `cors.preflight`. */
  purpose: string;
  target: TargetName;
  request: SentRequest;
  response?: ReceivedResponse;
  error?: TransportError;
  /** True when no response was received at all (refused, DNS, TLS, timeout before headers). */
  unreachable: boolean;
  timings: { startedAt: string; ttfbMs?: number; totalMs: number };
  attempts: number;
}
