import { networkInterfaces, hostname } from 'node:os';
import type { EnvReader } from '../config/parse';
import type { SelfTelemetryConfig, SelfTelemetrySampler } from '../config/types';
import { splitAddress } from '../util/address';

/** `service.name` of the service's own spans unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES says otherwise. */
export const DEFAULT_SELF_SERVICE_NAME = 'genesys-otel-enricher';
/** The OTLP/gRPC exporter's default endpoint (what the SDK would use). */
export const DEFAULT_SELF_ENDPOINT = 'http://localhost:4317';

const SAMPLERS: readonly SelfTelemetrySampler['name'][] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

/**
 * Reads ENRICHER_SELF_TELEMETRY (on|off|true|false, default off) and, when on,
 * the standard OTEL_* variables the service honours for its own traces:
 * OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, OTEL_EXPORTER_OTLP_[TRACES_]HEADERS,
 * OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_SAMPLER[_ARG].
 * They are only checked when self-telemetry is on: the process may carry
 * OTEL_* variables meant for something else.
 *
 * `ownListeners` are the enricher's receiver addresses (host:port). An endpoint
 * reaching one of them is refused: the service would export its own spans into
 * its own pipeline.
 */
export function readSelfTelemetryConfig(r: EnvReader, ownListeners: readonly string[]): SelfTelemetryConfig {
  if (!readSwitch(r, 'ENRICHER_SELF_TELEMETRY')) return { enabled: false };
  const endpointKey = r.string('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined ? 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' : 'OTEL_EXPORTER_OTLP_ENDPOINT';
  const endpoint = readEndpoint(r, endpointKey);
  if (endpoint) {
    const own = ownListeners.find((listener) => reachesListener(endpoint, listener));
    if (own !== undefined) {
      const key = r.string(endpointKey) === undefined ? 'ENRICHER_SELF_TELEMETRY' : endpointKey;
      r.fail(
        key,
        `self-telemetry would export to ${endpoint.origin}, the enricher's own receiver (${own}), and loop; ` +
          'set OTEL_EXPORTER_OTLP_ENDPOINT to Jaeger or to a Collector that does not forward to this enricher',
        undefined,
      );
    }
  }
  const resourceAttributes = readPairs(r, 'OTEL_RESOURCE_ATTRIBUTES', false);
  const headers = { ...readPairs(r, 'OTEL_EXPORTER_OTLP_HEADERS', true), ...readPairs(r, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', true) };
  return {
    enabled: true,
    endpoint: endpoint?.origin ?? DEFAULT_SELF_ENDPOINT,
    headers,
    serviceName: r.string('OTEL_SERVICE_NAME') ?? resourceAttributes['service.name'] ?? DEFAULT_SELF_SERVICE_NAME,
    resourceAttributes,
    sampler: readSampler(r),
  };
}

function readSwitch(r: EnvReader, key: string): boolean {
  const v = r.string(key)?.toLowerCase();
  if (v === undefined) r.noteDefault(key, 'off');
  if (v === undefined || v === 'off' || v === 'false') return false;
  if (v === 'on' || v === 'true') return true;
  return r.fail(key, `must be on or off, got "${v}"`, false);
}

function readEndpoint(r: EnvReader, key: string): URL | undefined {
  const raw = r.string(key) ?? DEFAULT_SELF_ENDPOINT;
  // Like the SDK, a bare host:port means https.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return r.fail(key, 'is not a valid URL (e.g. http://jaeger:4317)', undefined);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return r.fail(key, `must start with http:// or https://, got "${url.protocol}//"`, undefined);
  if (url.username || url.password) return r.fail(key, 'must not carry credentials; use OTEL_EXPORTER_OTLP_HEADERS', undefined);
  return url;
}

// name=value,... with percent-encoded values, as the OTEL_* list variables are written.
function readPairs(r: EnvReader, key: string, secret: boolean): Record<string, string> {
  const raw = r.string(key);
  const out: Record<string, string> = {};
  if (raw === undefined) return out;
  for (const [i, item] of raw.split(',').entries()) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    const name = item.slice(0, eq).trim();
    let value: string | undefined;
    try {
      value = eq > 0 ? decodeURIComponent(item.slice(eq + 1).trim()) : undefined;
    } catch {
      value = undefined;
    }
    if (!name || value === undefined) {
      return r.fail(key, `entry ${i + 1} must be name=value with a percent-encoded value${secret ? '' : `, got "${item.trim()}"`}`, {});
    }
    out[name] = value;
  }
  return out;
}

function readSampler(r: EnvReader): SelfTelemetrySampler {
  const name = (r.string('OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on') as SelfTelemetrySampler['name'];
  if (!SAMPLERS.includes(name)) return r.fail('OTEL_TRACES_SAMPLER', `must be one of ${SAMPLERS.join(', ')}, got "${name}"`, { name: 'parentbased_always_on' });
  if (name !== 'traceidratio' && name !== 'parentbased_traceidratio') return { name };
  const arg = r.string('OTEL_TRACES_SAMPLER_ARG');
  const ratio = arg === undefined ? 1 : Number(arg);
  if (!(ratio >= 0 && ratio <= 1)) return r.fail('OTEL_TRACES_SAMPLER_ARG', `must be a ratio between 0 and 1, got "${arg}"`, { name, ratio: 1 });
  return { name, ratio };
}

/**
 * Whether a client connecting to `endpoint` would reach a server listening on
 * `listener` (host:port) on this machine: same port, and the same host, or a
 * wildcard listener and a loopback / own name / own address. Best effort: a
 * route through DNS aliases or NAT is not seen.
 */
export function reachesListener(endpoint: URL, listener: string): boolean {
  const { host, port } = splitAddress(listener);
  const endpointPort = Number(endpoint.port || (endpoint.protocol === 'https:' ? 443 : 80));
  if (port === 0 || port !== endpointPort) return false;
  const target = endpoint.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const listen = host.toLowerCase();
  if (target === listen) return true;
  if (isLoopback(target) && isLoopback(listen)) return true;
  const wildcard = listen === '0.0.0.0' || listen === '::' || listen === '';
  return wildcard && (isLoopback(target) || localNames().has(target));
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function localNames(): Set<string> {
  const names = new Set<string>(['0.0.0.0', '::', hostname().toLowerCase()]);
  for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(i.address.toLowerCase());
  return names;
}
