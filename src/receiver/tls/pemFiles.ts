import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import fs from 'node:fs';

/** Where a server's TLS material lives: PEM files. */
export interface ServerTlsFiles {
  /** Server certificate, optionally followed by its intermediates. */
  readonly certFile: string;
  /** Unencrypted private key of the certificate. */
  readonly keyFile: string;
  /** CA bundle that client certificates must chain to; set, it turns on mTLS. */
  readonly clientCaFile?: string;
}

/** The PEM bytes, read and checked. */
export interface ServerTlsMaterial {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly clientCa?: Buffer;
}

/** One problem with one of the files, named by its {@link ServerTlsFiles} field. Never holds key material. */
export interface TlsFileProblem {
  readonly file: keyof ServerTlsFiles;
  readonly message: string;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads and checks the files: each readable, certificates parse, the key
 * parses and belongs to the certificate. Reports every problem at once;
 * `material` is set only when there is none.
 */
export function readServerTls(files: ServerTlsFiles): { material?: ServerTlsMaterial; problems: TlsFileProblem[] } {
  const problems: TlsFileProblem[] = [];
  const fail = (file: keyof ServerTlsFiles) => (message: string) => problems.push({ file, message });
  const cert = readCertificates(files.certFile, fail('certFile'));
  const key = readPrivateKey(files.keyFile, fail('keyFile'));
  const clientCa = files.clientCaFile === undefined ? undefined : readCertificates(files.clientCaFile, fail('clientCaFile'));
  if (cert && key && !cert.first.checkPrivateKey(key.object)) {
    fail('keyFile')(`${files.keyFile} is not the private key of the certificate in ${files.certFile}`);
  }
  if (problems.length > 0 || !cert || !key) return { problems };
  return { material: { cert: cert.pem, key: key.pem, clientCa: clientCa?.pem }, problems };
}

/** {@link readServerTls}, throwing one Error naming every problem. */
export function loadServerTls(files: ServerTlsFiles): ServerTlsMaterial {
  const { material, problems } = readServerTls(files);
  if (!material) throw new Error(`invalid TLS files: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`);
  return material;
}

/** A PEM CA bundle (one or more certificates), or the problem with it. */
export function readCaBundle(file: string): { pem?: Buffer; problem?: string } {
  let problem: string | undefined;
  const read = readCertificates(file, (message) => (problem = message));
  return read ? { pem: read.pem } : { problem };
}

function readCertificates(file: string, fail: (message: string) => void): { pem: Buffer; first: X509Certificate } | undefined {
  const pem = readFile(file, fail);
  if (!pem) return undefined;
  const blocks = pem.toString('latin1').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    fail(`${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    return undefined;
  }
  try {
    const parsed = blocks.map((block) => new X509Certificate(block));
    return { pem, first: parsed[0] };
  } catch (err) {
    fail(`${file} holds a certificate that does not parse: ${(err as Error).message}`);
    return undefined;
  }
}

function readPrivateKey(file: string, fail: (message: string) => void): { pem: Buffer; object: KeyObject } | undefined {
  const pem = readFile(file, fail);
  if (!pem) return undefined;
  try {
    return { pem, object: createPrivateKey(pem) };
  } catch {
    // The parser's message is not shown: it could quote part of the key.
    fail(`${file} holds no usable unencrypted PEM private key`);
    return undefined;
  }
}

function readFile(file: string, fail: (message: string) => void): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    fail(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    return undefined;
  }
}
