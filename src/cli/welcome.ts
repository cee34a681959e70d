import pino from 'pino';
import type { Config } from '../config/types';
import type { RunningService } from '../service/index';
import type { Logger } from '../telemetry/logger';

/** A host a client on this machine can reach: a wildcard listener answers on loopback. */
function reachableHost(address: string): string {
  const host = address.slice(0, address.lastIndexOf(':'));
  if (host === '0.0.0.0' || host === '' ) return '127.0.0.1';
  if (host === '[::]') return '[::1]';
  return host;
}

/** One OTLP/JSON request with one span carrying `userId` in the source attribute; times are now. */
export function exampleOtlpJson(sourceAttribute: string, userId: string, now = Date.now()): string {
  const start = `${now}000000`;
  const end = `${now + 120}000000`;
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'try-me' } }] },
      scopeSpans: [{
        spans: [{
          traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', name: 'hello-enricher', kind: 2,
          startTimeUnixNano: start, endTimeUnixNano: end,
          attributes: [{ key: sourceAttribute, value: { stringValue: userId } }],
        }],
      }],
    }],
  });
}

/**
 * What `serve` prints once, in plain text, when it runs on the built-in
 * simulator: where to send spans, three demo users, the admin URL, and a curl
 * that sends one span, with where its enriched copy appears. The JSON log
 * lines before it say the same in machine form; this is for the person who
 * just typed `npm start`.
 */
export function welcomeText(config: Config, service: RunningService, now = Date.now()): string | undefined {
  const org = service.demoAgents();
  if (!org) return undefined;
  const grpc = `${reachableHost(config.receiver.grpcAddress)}:${service.grpcPort}`;
  const http = service.httpPort !== undefined ? `http://${reachableHost(config.receiver.httpAddress!)}:${service.httpPort}` : undefined;
  const admin = `http://${reachableHost(config.admin.address)}:${service.adminPort}`;
  const user = (label: string, id: string | undefined) => `  ${label.padEnd(9)} ${id ?? '(none)'}${id ? `  ${service.demoUserName(id) ?? ''}` : ''}`;
  const example = org.active[0]!;
  const where = config.export.endpoint
    ? `exported to ${config.export.endpoint}: search Jaeger for service "try-me"`
    : 'printed right here by the debug exporter, as a line starting service="try-me" span="hello-enricher"';
  const lines = [
    '',
    '=====================================================================================',
    ' genesys-otel-enricher is running on the BUILT-IN GENESYS SIMULATOR (a demo org)',
    '=====================================================================================',
    ` Send OTLP spans to   gRPC ${grpc}${http ? `    HTTP ${http}/v1/traces` : '    (OTLP/HTTP is off)'}`,
    ` Enriched spans are   ${config.export.endpoint ? `exported to ${config.export.endpoint}` : 'printed here (debug exporter; set ENRICHER_EXPORT_OTLP_ENDPOINT to send them to Jaeger)'}`,
    ` Admin API            ${admin}  (/healthz /readyz /metrics; /v1/users/{id}${config.admin.token ? ' with your ENRICHER_ADMIN_TOKEN)' : ' is off: start with ENRICHER_ADMIN_TOKEN=<token> to deactivate users)'}`,
    ` Genesys simulator    ${service.simulatorUrl ?? ''}`,
    ' Users of the demo org to try (external.user.id):',
    user('active', org.active[0]),
    user('inactive', org.inactive[0]),
    user('deleted', org.deleted[0]),
  ];
  if (http) {
    lines.push(
      ' Send one span for the active user:',
      `  curl -sS ${http}/v1/traces -H 'Content-Type: application/json' -d '${exampleOtlpJson(config.enrichment.sourceAttribute, example, now)}'`,
      ` The enriched span is ${where},`,
      '  with user.full_name, user.name, user.email and genesys.user.state added.',
    );
  }
  if (config.admin.token) {
    lines.push(
      ' Soft-deactivate that user (a dry run first: {"dryRun": true}), then send the span again: it says inactive.',
      `  curl -sS -X POST ${admin}/v1/users/${example}/deactivate -H "Authorization: Bearer $ENRICHER_ADMIN_TOKEN" -H 'Content-Type: application/json' -d '{"reason": "Voluntary"}'`,
    );
  }
  lines.push(' README.md "Five minutes with the enricher" walks through it. Ctrl-C stops the service.', '=====================================================================================', '');
  return `${lines.join('\n')}\n`;
}

/**
 * Plain text for a person, after the log lines before it: written into the
 * logger's own destination, since pino writes asynchronously and a direct
 * stdout write would overtake lines still buffered.
 */
export function printWelcome(logger: Logger, text: string | undefined): void {
  if (text === undefined) return;
  const stream = (logger as unknown as Record<symbol, { write(s: string): unknown } | undefined>)[pino.symbols.streamSym];
  (stream ?? process.stdout).write(text);
}
