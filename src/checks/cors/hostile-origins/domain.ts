/**
 * A small approximation of "registrable domain" (eTLD+1), enough to derive probe origins without
 * shipping the Public Suffix List: hosting platforms from platforms.ts, a few common two-level
 * country suffixes, otherwise the last two labels. A miss only changes which probes are sent.
 */
import { HOSTING_PLATFORMS } from './platforms.js';

const TWO_LEVEL_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'com.au',
  'net.au',
  'org.au',
  'co.nz',
  'co.jp',
  'ne.jp',
  'co.id',
  'or.id',
  'ac.id',
  'web.id',
  'my.id',
  'com.br',
  'com.cn',
  'co.in',
  'com.sg',
  'com.my',
  'co.za',
  'com.mx',
  'com.tr',
  'co.kr',
  'com.tw',
  'com.hk',
]);

export function isIpHost(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith('[');
}

/** The registrable domain of `host`, or null for IPs and single-label hosts such as `localhost`. */
export function registrableDomain(host: string): string | null {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (isIpHost(h) || !h.includes('.')) return null;
  const labels = h.split('.');
  const platform = HOSTING_PLATFORMS.find((p) => h.endsWith(`.${p.suffix}`));
  if (platform) return labels.slice(-(platform.suffix.split('.').length + 1)).join('.');
  if (HOSTING_PLATFORMS.some((p) => p.suffix === h)) return null;
  const lastTwo = labels.slice(-2).join('.');
  const take = TWO_LEVEL_SUFFIXES.has(lastTwo) ? 3 : 2;
  return labels.length >= take ? labels.slice(-take).join('.') : null;
}
