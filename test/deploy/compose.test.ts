import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandArgs, dependencies, loadCompose, service, serviceEnv } from './support/compose';
import { ENV_VARS, JAEGER_HEALTH_PORT, JAEGER_OTLP_GRPC_PORT } from './support/contract';
import { parseHostPort, parsePortMapping } from './support/endpoints';

const compose = loadCompose();
const enricher = service(compose, 'enricher');
const enricherEnv = serviceEnv(enricher);

describe('docker-compose.yml', () => {
  it('names only ENRICHER_* and GENESYS_* variables that the service reads', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      const ours = Object.keys(serviceEnv(s)).filter((k) => /^(ENRICHER|GENESYS)_/.test(k));
      for (const key of ours) assert.ok((ENV_VARS as readonly string[]).includes(key), `${name}: ${key} is not in ENV_VARS`);
    }
  });

  it('passes Genesys credentials through from the host, empty when unset so the built-in simulator runs', () => {
    for (const key of ['GENESYS_CLIENT_ID', 'GENESYS_CLIENT_SECRET', 'GENESYS_REGION']) {
      assert.match(enricherEnv[key] ?? '', new RegExp(`^\\$\\{${key}:-[^}]*\\}$`), `${key} should be \${${key}:-...}`);
    }
    assert.equal(enricherEnv.GENESYS_CLIENT_ID, '${GENESYS_CLIENT_ID:-}', 'a default client id would switch the simulator off');
  });

  it('exports enriched spans to the jaeger service on its OTLP/gRPC port', () => {
    const endpoint = enricherEnv.ENRICHER_EXPORT_OTLP_ENDPOINT ?? '';
    assert.match(endpoint, /^http:\/\//, 'plain-text OTLP/gRPC inside the compose network');
    const { host, port } = parseHostPort(endpoint);
    assert.equal(host, 'jaeger');
    assert.ok(compose.services[host], `no service named ${host}`);
    assert.equal(port, JAEGER_OTLP_GRPC_PORT);
  });

  it('runs Jaeger v2 all-in-one pinned to an exact release and probes its health endpoint', () => {
    const jaeger = service(compose, 'jaeger');
    assert.match(jaeger.image ?? '', /^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    const test = [jaeger.healthcheck?.test ?? []].flat().join(' ');
    assert.match(test, new RegExp(`127\\.0\\.0\\.1:${JAEGER_HEALTH_PORT}/status`));
  });

  it('receives OTLP on every interface of the container and publishes it on host port 14317', () => {
    const { host, port } = parseHostPort(enricherEnv.ENRICHER_OTLP_GRPC_ADDRESS ?? '');
    assert.equal(host, '0.0.0.0');
    const published = (enricher.ports ?? []).map(parsePortMapping).find((p) => p.containerPort === port);
    assert.equal(published?.hostPort, 14317);
  });

  it('receives OTLP/HTTP on every interface of the container and publishes it on host port 14318', () => {
    const { host, port } = parseHostPort(enricherEnv.ENRICHER_OTLP_HTTP_ADDRESS ?? '');
    assert.equal(host, '0.0.0.0');
    const published = (enricher.ports ?? []).map(parsePortMapping).find((p) => p.containerPort === port);
    assert.equal(published?.hostPort, 14318);
  });

  it('publishes the admin port on the host loopback only', () => {
    const { host, port } = parseHostPort(enricherEnv.ENRICHER_ADMIN_ADDRESS ?? '');
    assert.equal(host, '0.0.0.0', 'inside the container the admin server must be reachable by port publishing');
    const published = (enricher.ports ?? []).map(parsePortMapping).find((p) => p.containerPort === port);
    assert.equal(published?.hostIp, '127.0.0.1');
  });

  it('publishes no host port twice', () => {
    const seen = new Map<string, string>();
    for (const [name, s] of Object.entries(compose.services)) {
      for (const p of (s.ports ?? []).map(parsePortMapping)) {
        const key = `${p.hostPort}/${p.protocol}`;
        assert.equal(seen.get(key), undefined, `${name} and ${seen.get(key)} both publish host port ${key}`);
        seen.set(key, name);
      }
    }
  });

  it('starts each hop only once the hop it sends to is healthy', () => {
    assert.equal(dependencies(enricher).jaeger, 'service_healthy');
    assert.ok(service(compose, 'jaeger').healthcheck?.test, 'jaeger needs a healthcheck to be waited for');
    assert.equal(dependencies(service(compose, 'collector')).enricher, 'service_healthy');
    assert.notEqual(enricher.healthcheck?.disable, true, "the enricher keeps the image's /healthz check");
  });

  it('builds the enricher from this repository and runs demo-traffic from the same image', () => {
    assert.equal(enricher.build, '.');
    assert.ok(enricher.image, 'the built image needs a name for demo-traffic to share');
    const demo = service(compose, 'demo-traffic');
    assert.equal(demo.image, enricher.image);
    assert.equal(demo.healthcheck?.disable, true, 'demo-traffic runs no admin server to probe');
  });

  it('runs demo-traffic with the CLI of the image, aimed at the collector service', () => {
    const args = commandArgs(service(compose, 'demo-traffic'));
    assert.deepEqual(args.slice(0, 3), ['node', 'dist/src/cli/main.js', 'demo-traffic']);
    const target = parseHostPort(args[args.indexOf('--target') + 1] ?? '');
    assert.equal(target.host, 'collector', 'apps -> Collector -> enricher; the port is checked against the Collector config');
  });
});
