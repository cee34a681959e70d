import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadServerTls, readCaBundle, readServerTls } from '../../../src/receiver/tls/index';
import { CERTS_DIR, certPath, readCert } from '../../helpers/certs';

const server = { certFile: certPath('server'), keyFile: certPath('server', 'key') };

describe('reading TLS files', () => {
  it('returns the PEM bytes of a certificate, its key and a client CA', () => {
    const { material, problems } = readServerTls({ ...server, clientCaFile: certPath('ca') });
    assert.deepEqual(problems, []);
    assert.deepEqual(material, { cert: readCert('server'), key: readCert('server', 'key'), clientCa: readCert('ca') });
  });

  it('reports every problem at once, naming the file field, never quoting a key', () => {
    const { material, problems } = readServerTls({
      certFile: path.join(CERTS_DIR, 'README.md'),
      keyFile: certPath('ca'),
      clientCaFile: path.join(CERTS_DIR, 'missing.pem'),
    });
    assert.equal(material, undefined);
    assert.deepEqual(problems.map((p) => p.file), ['certFile', 'keyFile', 'clientCaFile']);
    assert.match(problems[0].message, /README\.md holds no PEM certificate/);
    assert.match(problems[1].message, /ca\.pem holds no usable unencrypted PEM private key/);
    assert.match(problems[2].message, /cannot read .*missing\.pem: ENOENT/);
  });

  it('refuses a key that does not belong to the certificate', () => {
    const { problems } = readServerTls({ certFile: certPath('server'), keyFile: certPath('client', 'key') });
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, 'keyFile');
    assert.match(problems[0].message, /client\.key is not the private key of the certificate in .*server\.pem/);
    assert.doesNotMatch(problems[0].message, /BEGIN/);
  });

  it('loadServerTls throws the same problems as one error', () => {
    assert.throws(() => loadServerTls({ certFile: certPath('server'), keyFile: certPath('client', 'key') }), /invalid TLS files: keyFile: .*not the private key/);
    assert.deepEqual(loadServerTls(server).cert, readCert('server'));
  });

  it('reads a CA bundle of one or more certificates', () => {
    assert.deepEqual(readCaBundle(certPath('ca')), { pem: readCert('ca') });
    assert.match(readCaBundle(certPath('server', 'key')).problem!, /holds no PEM certificate/);
  });
});
