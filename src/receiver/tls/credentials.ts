import type { ServerOptions as HttpsServerOptions } from 'node:https';
import * as grpc from '@grpc/grpc-js';
import type { ServerTlsMaterial } from './pemFiles';

/**
 * gRPC server credentials: TLS with the certificate, and with a client CA,
 * mTLS (a client certificate chaining to it is required).
 */
export function grpcServerCredentials(tls: ServerTlsMaterial): grpc.ServerCredentials {
  return grpc.ServerCredentials.createSsl(
    tls.clientCa ?? null,
    [{ cert_chain: tls.cert, private_key: tls.key }],
    tls.clientCa !== undefined,
  );
}

/** node:https server options with the same meaning as {@link grpcServerCredentials}. */
export function httpsServerOptions(tls: ServerTlsMaterial): HttpsServerOptions {
  const mtls = tls.clientCa !== undefined;
  return { cert: tls.cert, key: tls.key, ca: tls.clientCa, requestCert: mtls, rejectUnauthorized: mtls, minVersion: 'TLSv1.2' };
}
