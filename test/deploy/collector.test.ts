import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  COLLECTOR_FILES,
  componentType,
  loadCollector,
  otlpGrpcExporters,
  receiverEndpoints,
  tracePipelines,
  type CollectorConfig,
} from './support/collector';
import { commandArgs, loadCompose, service, serviceEnv } from './support/compose';
import { parseHostPort, parsePortMapping } from './support/endpoints';
import { readRepoFile } from './support/repoFiles';
import { status as grpcStatus } from '@grpc/grpc-js';
import { GRPC_STATUS_BY_ERROR_CODE } from '../../src/receiver/otlpgrpc/status';

const compose = loadCompose();
const enricherGrpcPort = parseHostPort(serviceEnv(service(compose, 'enricher')).ENRICHER_OTLP_GRPC_ADDRESS ?? '').port;

/** The Collector exporter that sends to the enricher (exactly one per config). */
function enricherExporter(config: CollectorConfig) {
  const found = otlpGrpcExporters(config).filter(([, c]) => parseHostPort(c.endpoint ?? '').host === 'enricher');
  assert.equal(found.length, 1, 'one OTLP/gRPC exporter to the enricher service');
  return found[0]!;
}

for (const file of COLLECTOR_FILES) {
  describe(file, () => {
    const config = loadCollector(file);

    it('has a traces pipeline', () => {
      assert.ok(tracePipelines(config).length > 0);
    });

    it('uses in its pipelines only components defined in their sections', () => {
      for (const [name, p] of Object.entries(config.service.pipelines)) {
        for (const kind of ['receivers', 'processors', 'exporters'] as const) {
          for (const id of p[kind] ?? []) assert.ok(id in (config[kind] ?? {}), `${name}: ${kind} "${id}" is not defined`);
        }
      }
      for (const id of config.service.extensions ?? []) assert.ok(id in (config.extensions ?? {}), `extension "${id}" is not defined`);
    });

    it('defines no component that no pipeline uses', () => {
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        const used = new Set(Object.values(config.service.pipelines).flatMap((p) => p[kind] ?? []));
        for (const id of Object.keys(config[kind] ?? {})) assert.ok(used.has(id), `${kind} "${id}" is unused`);
      }
    });

    it('limits memory first and batches before handing spans to the enricher', () => {
      const [exporterId] = enricherExporter(config);
      const toEnricher = tracePipelines(config).filter(([, p]) => p.exporters?.includes(exporterId));
      assert.equal(toEnricher.length, 1);
      const processors = toEnricher[0]![1].processors ?? [];
      assert.equal(componentType(processors[0] ?? ''), 'memory_limiter');
      assert.equal(componentType(processors.at(-1) ?? ''), 'batch');
    });

    it("exports to the enricher service on the port of its ENRICHER_OTLP_GRPC_ADDRESS, plain-text, queued and retried", () => {
      const [, exporter] = enricherExporter(config);
      assert.equal(parseHostPort(exporter.endpoint ?? '').port, enricherGrpcPort);
      assert.equal(exporter.tls?.insecure, true);
      assert.equal(exporter.sending_queue?.enabled, true);
      assert.equal(exporter.retry_on_failure?.enabled, true);
    });

    it('listens on every interface and never on a port another receiver took', () => {
      const endpoints = receiverEndpoints(config);
      for (const e of endpoints) assert.equal(parseHostPort(e.endpoint).host, '0.0.0.0', `${e.id}/${e.protocol}`);
      const ports = endpoints.map((e) => parseHostPort(e.endpoint).port);
      assert.equal(new Set(ports).size, ports.length);
    });

    it('answers health checks through the health_check extension', () => {
      assert.ok(config.service.extensions?.some((id) => componentType(id) === 'health_check'));
    });
  });
}

describe('the compose collector service', () => {
  const collector = service(compose, 'collector');
  const mount = (collector.volumes ?? []).find((v) => v.startsWith('./otel-config/'));
  const [hostFile, containerPath] = (mount ?? '').split(':');
  const config = loadCollector(hostFile!.replace(/^\.\//, ''));

  it('runs the pinned contrib image on otel-config/collector.yaml', () => {
    assert.match(collector.image ?? '', /^otel\/opentelemetry-collector-contrib:\d+\.\d+\.\d+$/);
    assert.equal(hostFile, './otel-config/collector.yaml');
    assert.ok(commandArgs(collector).includes(`--config=${containerPath}`), `command should read ${containerPath}`);
  });

  it("publishes only ports the collector's configuration listens on", () => {
    const listening = [
      ...receiverEndpoints(config).map((e) => parseHostPort(e.endpoint).port),
      ...Object.values(config.extensions ?? {}).map((e) => parseHostPort(String(e?.endpoint ?? '')).port),
    ];
    for (const p of (collector.ports ?? []).map(parsePortMapping)) assert.ok(listening.includes(p.containerPort), `${p.containerPort}`);
  });

  it("receives demo-traffic on its OTLP/gRPC receiver", () => {
    const args = commandArgs(service(compose, 'demo-traffic'));
    const target = parseHostPort(args[args.indexOf('--target') + 1] ?? '');
    const grpc = receiverEndpoints(config).filter((e) => e.protocol === 'grpc').map((e) => parseHostPort(e.endpoint).port);
    assert.equal(target.host, 'collector');
    assert.ok(grpc.includes(target.port), `no gRPC receiver on ${target.port}`);
  });
});

describe('what otel-config/ tells Collector operators about a full enricher', () => {
  // The status the receiver really answers for a full sending queue, from its one table.
  const fullQueue = grpcStatus[GRPC_STATUS_BY_ERROR_CODE.resource_exhausted];

  it('names the status the enricher answers (UNAVAILABLE), not RESOURCE_EXHAUSTED, for a full queue', () => {
    assert.equal(fullQueue, 'UNAVAILABLE');
    for (const file of ['otel-config/README.md', 'otel-config/collector.yaml']) {
      const text = readRepoFile(file).replace(/\s*#\s*/g, ' ').replace(/\s+/g, ' ');
      assert.match(text, /full enricher queue answers UNAVAILABLE|queue is full or it cannot take more|queue\s+is full/, `${file} says what a full queue answers`);
      assert.doesNotMatch(text, /RESOURCE_EXHAUSTED`? (?:\/|or) `?UNAVAILABLE/, `${file} no longer offers RESOURCE_EXHAUSTED as a full-queue answer`);
    }
  });
});
