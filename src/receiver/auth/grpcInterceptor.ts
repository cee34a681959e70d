import * as grpc from '@grpc/grpc-js';
import { AUTHORIZATION, type BearerTokenAuth } from './bearerToken';

/**
 * A grpc-js server interceptor refusing calls whose `authorization` metadata
 * does not carry the bearer token: UNAUTHENTICATED, before the request message
 * is read or reaches the handler. OTLP clients do not retry UNAUTHENTICATED.
 */
export function bearerTokenInterceptor(auth: BearerTokenAuth): grpc.ServerInterceptor {
  return (_method, call) => {
    const listener = new grpc.ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        const value = metadata.get(AUTHORIZATION)[0];
        if (auth.verify(typeof value === 'string' ? value : undefined)) next(metadata);
        else call.sendStatus({ code: grpc.status.UNAUTHENTICATED, details: 'missing or invalid bearer token' });
      })
      .build();
    const responder = new grpc.ResponderBuilder().withStart((next) => next(listener)).build();
    return new grpc.ServerInterceptingCall(call, responder);
  };
}
