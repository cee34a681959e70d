export { AUTHORIZATION, BearerTokenAuth } from './bearerToken';
export { bearerTokenInterceptor } from './grpcInterceptor';
