/**
 * Hostile Origin values derived from the app's allowed origin (not from the API host): each one
 * passes a typical broken allowlist (reflection, startsWith/endsWith/includes, unescaped regex
 * dots, platform wildcards) and fails a correct one. The list is deterministic so CI runs compare.
 */
import { UsageError } from '../../../core/errors.js';
import { isIpHost, registrableDomain } from './domain.js';
import { HOSTING_PLATFORMS, type Platform, platformSlug } from './platforms.js';
import { type Exploitability, type OriginParts, PROBE_KINDS } from './kinds.js';

export interface Probe {
  origin: string;
  /** Stable; the finding id is `cors.probe.<kind>`. */
  kind: string;
  description: string;
  /** What it means when this origin is allowed. */
  whatItMeans: string;
  exploitability: Exploitability;
}

export interface ProbeOptions {
  /** A domain the app does not own; `.example` is reserved, so nobody else can own it either. */
  attackerDomain?: string;
  platforms?: readonly Platform[];
}

function parseAllowed(allowed: string): URL {
  const hint = 'use scheme://host[:port], e.g. https://zantara.balizero.com';
  let url: URL;
  try {
    url = new URL(allowed.trim());
  } catch {
    throw new UsageError(`allowed origin "${allowed}" is not a URL`, hint);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError(`allowed origin "${allowed}" is not http(s)`, hint);
  }
  return url;
}

function platformProbes(o: OriginParts, platforms: readonly Platform[]): Probe[] {
  const label = o.ip ? 'app' : (o.labels[0] ?? 'app');
  return platforms.map((p) => ({
    kind: `platform.${platformSlug(p)}`,
    origin: `https://${label}-evil.${p.suffix}`,
    exploitability: 'anyone',
    description: `a subdomain of ${p.name} (${p.suffix})`,
    whatItMeans: `*.${p.suffix} (or a pattern like ${label}*.${p.suffix}) is trusted: anyone can deploy a ${p.name} site with this name`,
  }));
}

function originParts(allowedOrigin: string, opts: ProbeOptions): OriginParts {
  const url = parseAllowed(allowedOrigin);
  const host = url.hostname.toLowerCase();
  return { url, host, labels: host.split('.'), ip: isIpHost(host), reg: registrableDomain(host), evil: opts.attackerDomain ?? 'evil.example' };
}

/** Probe kinds that have no meaning for this app origin (`downgrade` of an http origin), with the reason. */
export function meaninglessProbes(allowedOrigin: string, opts: ProbeOptions = {}): Array<{ kind: string; reason: string }> {
  const o = originParts(allowedOrigin, opts);
  return PROBE_KINDS.flatMap((k) => {
    const reason = k.meaningless?.(o) ?? null;
    return reason === null ? [] : [{ kind: k.kind, reason }];
  });
}

/**
 * The probe list for one allowed origin; deduplicated, never the allowed origin itself. Each
 * hostile host keeps the app origin's scheme and port (probe-kinds.ts `like`), except the probes
 * whose subject is the scheme or the port, a fixed development origin, and the https-only platforms.
 */
export function probeOrigins(allowedOrigin: string, opts: ProbeOptions = {}): Probe[] {
  const o = originParts(allowedOrigin, opts);
  const url = o.url;
  const fromKinds = PROBE_KINDS.flatMap((k): Probe[] => {
    const origin = k.origin(o);
    if (origin === null) return [];
    return [{ kind: k.kind, origin, exploitability: k.exploitability(o), description: k.description(o), whatItMeans: k.whatItMeans(o) }];
  });
  const seen = new Set([url.origin]);
  return [...fromKinds, ...platformProbes(o, opts.platforms ?? HOSTING_PLATFORMS)].filter((p) => (seen.has(p.origin) ? false : (seen.add(p.origin), true)));
}
