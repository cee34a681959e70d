import * as grpc from '@grpc/grpc-js';

/** A parsed export endpoint: where to dial and whether to use TLS. */
export interface GrpcTarget {
  /** `host:port` as grpc-js dials it. */
  readonly address: string;
  readonly tls: boolean;
}

/** OTLP/gRPC default port (OTLP spec), used when the endpoint names none. */
export const OTLP_GRPC_DEFAULT_PORT = 4317;

const ENDPOINT = /^(https?):\/\/(\[[0-9a-fA-F:.]+\]|[^\s:/[\]@]+)(?::(\d{1,5}))?\/?$/;

/** Parses `http://host:port` (plaintext) or `https://host:port` (TLS); throws naming the problem. */
export function parseEndpoint(endpoint: string): GrpcTarget {
  const match = ENDPOINT.exec(endpoint);
  if (!match) {
    throw new Error(`endpoint must look like http://host:port or https://host:port, got ${JSON.stringify(endpoint)}`);
  }
  const [, scheme, host, portText] = match;
  const port = portText === undefined ? OTLP_GRPC_DEFAULT_PORT : Number(portText);
  if (port < 1 || port > 65_535) throw new Error(`endpoint port must be 1-65535, got ${portText}`);
  return { address: `${host}:${port}`, tls: scheme === 'https' };
}

/** Channel credentials for a target: TLS with `rootCerts` (PEM) or the system roots, else plaintext. */
export function channelCredentials(target: GrpcTarget, rootCerts?: Buffer): grpc.ChannelCredentials {
  return target.tls ? grpc.credentials.createSsl(rootCerts ?? null) : grpc.credentials.createInsecure();
}
