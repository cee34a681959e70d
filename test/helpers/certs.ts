/**
 * The committed TEST-ONLY certificates of test/fixtures/certs (see its README):
 * a CA, a server certificate for localhost/127.0.0.1/::1, a client certificate
 * from the same CA, and a client certificate from an untrusted CA.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Directory of the certificate fixtures, from test/helpers or dist/test/helpers. */
export const CERTS_DIR = findCertsDir();

function findCertsDir(): string {
  const candidates = [path.resolve(__dirname, '../fixtures/certs'), path.resolve(__dirname, '../../../test/fixtures/certs')];
  for (const c of candidates) if (fs.existsSync(path.join(c, 'ca.pem'))) return c;
  throw new Error(`test certificate fixtures not found near ${__dirname}`);
}

/** Names of the fixture files, without extension. */
export type CertName = 'ca' | 'other-ca' | 'server' | 'client' | 'other-client';

/** Absolute path of a fixture's certificate (`.pem`) or private key (`.key`). */
export function certPath(name: CertName, kind: 'pem' | 'key' = 'pem'): string {
  return path.join(CERTS_DIR, `${name}.${kind}`);
}

/** A fixture's certificate or key, as PEM bytes. */
export function readCert(name: CertName, kind: 'pem' | 'key' = 'pem'): Buffer {
  return fs.readFileSync(certPath(name, kind));
}

/** Environment variables turning TLS on for the enricher's receivers (optionally mTLS with the test CA). */
export function tlsEnv(options: { mtls?: boolean } = {}): Record<string, string> {
  const env: Record<string, string> = {
    ENRICHER_TLS_CERT_FILE: certPath('server'),
    ENRICHER_TLS_KEY_FILE: certPath('server', 'key'),
  };
  if (options.mtls) env.ENRICHER_TLS_CLIENT_CA_FILE = certPath('ca');
  return env;
}
