import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createHash, X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { delimiter, join } from 'node:path';

export interface ThrowawayCert {
  cert: Buffer;
  key: Buffer;
  /** Where the certificate was written (PEM): what a client's `--ca` takes. */
  certPath: string;
  /** base64 SHA-256 of the SubjectPublicKeyInfo: what `--ignore-certificate-errors-spki-list` takes. */
  spkiSha256: string;
}

/** An executable on PATH, or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; next PATH entry
    }
  }
  return undefined;
}

/**
 * A self-signed P-256 certificate for the given host names and IP literals, valid one day, made
 * with the openssl binary (Node can make keys but not certificates), so no key ever lives in the
 * repository. The browser check serves its page with it and tells Chromium to trust only this
 * key's SPKI, so every other certificate — the targets' — is still verified; the hostile tests
 * serve a target with it and pass `certPath` as `--ca`.
 */
export async function makeThrowawayCert(openssl: string, dir: string, hosts: readonly string[], timeoutMs: number): Promise<ThrowawayCert> {
  const keyFile = join(dir, 'page-key.pem');
  const certFile = join(dir, 'page-cert.pem');
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyFile,
    '-out',
    certFile,
    '-days',
    '1',
    '-subj',
    '/CN=zantara-audit throwaway page certificate',
    '-addext',
    // An IP literal is matched against IP entries only (RFC 6125 §6.2.1 / RFC 5280 §4.2.1.6).
    `subjectAltName=${hosts.map((h) => `${isIP(h) ? 'IP' : 'DNS'}:${h}`).join(',')}`,
  ];
  await new Promise<void>((resolve, reject) => {
    execFile(openssl, args, { timeout: timeoutMs }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`openssl could not make the page certificate: ${String(stderr).trim().split('\n')[0] || err.message}`));
      else resolve();
    });
  });
  const cert = readFileSync(certFile);
  const spki = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return { cert, key: readFileSync(keyFile), certPath: certFile, spkiSha256: createHash('sha256').update(spki).digest('base64') };
}
