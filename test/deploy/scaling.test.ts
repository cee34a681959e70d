/**
 * docs/scaling.md's Kubernetes example and docker-compose.yml's fleet profile,
 * parsed and checked against the service's settings: only variables the
 * service reads, ports that match its addresses, probes on its health routes,
 * a headless Service the Collector's loadbalancing exporter can resolve, and a
 * Redis that keeps the journal (AOF).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import YAML from 'yaml';
import { configFromEnv } from '../../src/config/env';
import { loadCollector } from './support/collector';
import { commandArgs, dependencies, loadCompose, service, serviceEnv } from './support/compose';
import { ENV_VARS, HEALTH_PATH } from './support/contract';
import { parseHostPort } from './support/endpoints';
import { readRepoFile } from './support/repoFiles';

interface K8sObject {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  stringData?: Record<string, string>;
}
interface Container {
  name: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
}

const doc = readRepoFile('docs/scaling.md');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const objects = YAML.parseAllDocuments(yamlBlocks[0] ?? '').map((d) => d.toJS() as K8sObject);
const collectorSnippet = YAML.parse(yamlBlocks[1] ?? '') as { exporters: Record<string, { routing_key?: string; resolver?: { dns?: { hostname: string; port: number } } }> };

const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
const deployment = byKind('Deployment')[0]!;
const podSpec = (deployment.spec as { template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[]; terminationGracePeriodSeconds?: number } } }).template;
const container = podSpec.spec.containers[0]!;
const envOf = (c: Container) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
const env = envOf(container);
const plainEnv = Object.fromEntries(Object.entries(env).flatMap(([k, e]) => (e.value !== undefined ? [[k, e.value]] : [])));
const portNamed = (name: string | number) => (typeof name === 'number' ? name : container.ports?.find((p) => p.name === name)?.containerPort);

describe('docs/scaling.md: the Kubernetes example', () => {
  it('is a Secret, a Deployment and a headless Service', () => {
    assert.deepEqual(objects.map((o) => o.kind).sort(), ['Deployment', 'Secret', 'Service']);
  });

  it('sets only variables the service reads, and a valid configuration with the secrets filled in', () => {
    for (const name of Object.keys(env)) assert.ok((ENV_VARS as readonly string[]).includes(name), `${name} is not read by the service`);
    const secret = byKind('Secret')[0]!;
    const resolved = Object.fromEntries(
      Object.entries(env).map(([k, e]) => {
        const ref = e.valueFrom?.secretKeyRef;
        if (!ref) return [k, e.value];
        assert.equal(ref.name, secret.metadata.name, `${k} refers to another Secret`);
        assert.ok(ref.key in (secret.stringData ?? {}), `${k}: the Secret has no key ${ref.key}`);
        return [k, secret.stringData![ref.key]];
      }),
    );
    const config = configFromEnv(resolved);
    assert.ok(config.fleet.redisUrl, 'the replicas share a Redis');
    assert.ok(config.fleet.fleetMaxRequestsPerMinute > 0 && config.fleet.fleetMaxRequestsPerMinute < 300, 'under the org token limit');
  });

  it('takes the Redis URL (it holds the password) and the Genesys secret from the Secret, never inline', () => {
    for (const name of ['ENRICHER_REDIS_URL', 'GENESYS_CLIENT_SECRET', 'ENRICHER_ADMIN_TOKEN']) {
      assert.ok(env[name]?.valueFrom?.secretKeyRef, `${name} should come from a secretKeyRef`);
    }
  });

  it('declares the ports of the service\'s addresses and probes its health routes on the admin port', () => {
    const grpc = parseHostPort(plainEnv.ENRICHER_OTLP_GRPC_ADDRESS ?? '');
    const admin = parseHostPort(plainEnv.ENRICHER_ADMIN_ADDRESS ?? '');
    assert.equal(grpc.host, '0.0.0.0');
    assert.equal(admin.host, '0.0.0.0', 'probes reach the pod IP, not loopback');
    assert.equal(portNamed('otlp-grpc'), grpc.port);
    assert.equal(portNamed('admin'), admin.port);
    assert.equal(container.readinessProbe?.httpGet?.path, '/readyz');
    assert.equal(portNamed(container.readinessProbe!.httpGet!.port), admin.port);
    assert.equal(container.livenessProbe?.httpGet?.path, HEALTH_PATH);
  });

  it('gives the pod longer to stop than the service takes to drain', () => {
    const graceMs = Number(plainEnv.ENRICHER_SHUTDOWN_GRACE_MS ?? 10_000);
    assert.ok((podSpec.spec.terminationGracePeriodSeconds ?? 30) * 1000 > graceMs);
  });

  it('has a headless Service over the Deployment\'s pods on the OTLP/gRPC port, which the Collector resolves by DNS and routes by trace id', () => {
    const svc = byKind('Service')[0]!;
    const spec = svc.spec as { clusterIP?: string; selector: Record<string, string>; ports: Array<{ port: number; targetPort: string | number }> };
    assert.equal(spec.clusterIP, 'None', 'headless: DNS answers with every pod');
    for (const [k, v] of Object.entries(spec.selector)) assert.equal(podSpec.metadata.labels[k], v, `selector ${k}`);
    const grpcPort = parseHostPort(plainEnv.ENRICHER_OTLP_GRPC_ADDRESS ?? '').port;
    assert.equal(portNamed(spec.ports[0]!.targetPort), grpcPort);
    const lb = Object.entries(collectorSnippet.exporters).find(([id]) => id.split('/')[0] === 'loadbalancing')?.[1];
    assert.ok(lb, 'a loadbalancing exporter');
    assert.equal(lb.routing_key, 'traceID');
    assert.equal(lb.resolver?.dns?.hostname.split('.')[0], svc.metadata.name);
    assert.equal(lb.resolver?.dns?.port, spec.ports[0]!.port);
  });
});

describe('docker-compose.yml: the fleet profile', () => {
  const compose = loadCompose();
  const fleet = Object.entries(compose.services).filter(([, s]) => (s as { profiles?: string[] }).profiles?.includes('fleet'));
  const replicas = fleet.filter(([, s]) => s.image === service(compose, 'enricher').image && serviceEnv(s).ENRICHER_REDIS_URL);

  it('runs two enricher replicas on one Redis service, which keeps an append-only file', () => {
    assert.equal(replicas.length, 2);
    const urls = new Set(replicas.map(([, s]) => serviceEnv(s).ENRICHER_REDIS_URL));
    assert.equal(urls.size, 1, 'one Redis for the fleet');
    const host = new URL([...urls][0]!).hostname;
    const redis = service(compose, host);
    assert.ok(commandArgs(redis).join(' ').includes('--appendonly yes'), 'AOF on: the deactivation journal survives a Redis restart');
    for (const [name, s] of replicas) assert.equal(dependencies(s)[host], 'service_healthy', `${name} waits for Redis`);
    for (const [, s] of replicas) configFromEnv(Object.fromEntries(Object.entries(serviceEnv(s)).filter(([k]) => /^(ENRICHER|GENESYS)_/.test(k) && !serviceEnv(s)[k]!.startsWith('${'))));
  });

  it('puts a Collector in front whose loadbalancing exporter routes by trace id over both replicas', () => {
    const [, collector] = fleet.find(([, s]) => (s.image ?? '').startsWith('otel/opentelemetry-collector-contrib:'))!;
    const file = (collector.volumes ?? []).find((v) => v.startsWith('./otel-config/'))!.split(':')[0]!.replace(/^\.\//, '');
    const config = loadCollector(file) as unknown as { exporters: Record<string, { routing_key?: string; resolver?: { static?: { hostnames: string[] } } }> };
    const lb = Object.entries(config.exporters).find(([id]) => id.split('/')[0] === 'loadbalancing')?.[1];
    assert.equal(lb?.routing_key, 'traceID');
    const targets = (lb?.resolver?.static?.hostnames ?? []).map((h) => parseHostPort(h));
    assert.deepEqual(targets.map((t) => t.host).sort(), replicas.map(([name]) => name).sort());
    for (const t of targets) assert.equal(t.port, parseHostPort(serviceEnv(service(compose, t.host)).ENRICHER_OTLP_GRPC_ADDRESS ?? '').port);
  });
});
