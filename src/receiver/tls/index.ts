export { type ServerTlsFiles, type ServerTlsMaterial, type TlsFileProblem, loadServerTls, readCaBundle, readServerTls } from './pemFiles';
export { grpcServerCredentials, httpsServerOptions } from './credentials';
