import platformClient = require('purecloud-platform-client-v2');

/** One independent SDK client (never the SDK's process-wide `platformClient.ApiClient`). */
export type SdkClient = InstanceType<typeof platformClient.ApiClientClass>;

/** The API groups the directory and the deactivation use case call, all bound to one SdkClient. */
export interface GenesysApis {
  readonly users: platformClient.UsersApi;
  readonly routing: platformClient.RoutingApi;
  readonly presence: platformClient.PresenceApi;
  readonly authorization: platformClient.AuthorizationApi;
  readonly tokens: platformClient.TokensApi;
  /** Group membership (offboarding's optional "remove from groups" step). */
  readonly groups: platformClient.GroupsApi;
  /** Workforce management units of agents (offboarding's optional step). */
  readonly workforceManagement: platformClient.WorkforceManagementApi;
}

export interface SdkClientOptions {
  /** Genesys region, e.g. `mypurecloud.ie`. */
  readonly region: string;
  /** Base URL that replaces both `https://api.<region>` and `https://login.<region>`. */
  readonly apiUrl?: URL;
  /** Per-request timeout, milliseconds. */
  readonly requestTimeoutMs: number;
}

/**
 * Builds and pins down an SDK client.
 *
 * The SDK's Configuration constructor reads `~/.genesyscloudjavascript/config`
 * (INI or JSON) and, because its `live_reload_config` defaults to true, keeps
 * watching it with fs.watchFile: the file can set a gateway, a host, and SDK
 * logging, which at debug/trace prints request headers (the bearer token).
 * The first read cannot be prevented, so everything it could have set is
 * overwritten here, and further reads are switched off: the setter
 * `config.live_reload_config = false` unwatches the file, and an empty config
 * path stops any later re-read.
 */
export function createSdkClient(options: SdkClientOptions): SdkClient {
  const client = new platformClient.ApiClientClass();
  client.config.live_reload_config = false;
  client.config.setConfigPath('');
  silenceSdkLogger(client);
  client.setEnvironment(options.region);
  // An undefined gateway clears one the config file may have set.
  client.setGateway((options.apiUrl ? gatewayFor(options.apiUrl) : undefined) as platformClient.GatewayConfiguration);
  // Extended responses keep status and headers (Retry-After, correlation id) on failures too.
  client.setReturnExtendedResponses(true);
  // The SDK passes the client's timeout to axios on each request; 16 s otherwise.
  client.getHttpClient().setTimeout(options.requestTimeoutMs);
  return client;
}

/** API instances bound to `client`. */
export function createApis(client: SdkClient): GenesysApis {
  return Object.freeze({
    users: new platformClient.UsersApi(client),
    routing: new platformClient.RoutingApi(client),
    presence: new platformClient.PresenceApi(client),
    authorization: new platformClient.AuthorizationApi(client),
    tokens: new platformClient.TokensApi(client),
    groups: new platformClient.GroupsApi(client),
    workforceManagement: new platformClient.WorkforceManagementApi(client),
  });
}

// The SDK's gateway sends API calls and /oauth/token alike to protocol://host:port/path.
function gatewayFor(url: URL): platformClient.GatewayConfiguration {
  const path = url.pathname.replace(/\/+$/, '');
  return {
    host: url.hostname,
    protocol: url.protocol.replace(/:$/, ''),
    ...(url.port ? { port: Number(url.port) } : {}),
    path_params_api: path,
    path_params_login: path,
  };
}

// The service logs through pino; the SDK's own winston logger stays silent whatever the config file said.
function silenceSdkLogger(client: SdkClient): void {
  const logger = client.config.logger;
  logger.log_level = 'none';
  logger.log_to_console = false;
  logger.log_file_path = '';
  logger.setLogger();
}
