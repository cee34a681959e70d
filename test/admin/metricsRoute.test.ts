import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createAdminApp } from '../../src/admin/app';
import { HealthRegistry } from '../../src/admin/health';
import { MetricsRegistry } from '../../src/telemetry/metricsRegistry';

describe('GET /metrics on the admin app', () => {
  let server: http.Server;
  let base: string;
  let scrapes = 0;
  before(async () => {
    const metrics = new MetricsRegistry().add({ name: 'scrapes_total', help: 'Scrapes.', type: 'counter', collect: () => [{ value: ++scrapes }] });
    server = http.createServer(createAdminApp({ health: new HealthRegistry(), metrics }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers the exposition without a token, collected at each scrape, never cached', async () => {
    const first = await fetch(`${base}/metrics`);
    const second = await fetch(`${base}/metrics?debug=1`);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(first.headers.get('cache-control'), 'no-store');
    assert.equal(await first.text(), '# HELP scrapes_total Scrapes.\n# TYPE scrapes_total counter\nscrapes_total 1\n');
    assert.match(await second.text(), /scrapes_total 2\n/);
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(await head.text(), '');
    const post = await fetch(`${base}/metrics`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
  });

  it('keeps /healthz and /readyz, and has no /metrics route without metrics', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const bare = http.createServer(createAdminApp({ health: new HealthRegistry() }));
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/metrics`);
      assert.equal(res.status, 404);
      await res.text();
    } finally {
      bare.closeAllConnections();
      await new Promise<void>((resolve) => bare.close(() => resolve()));
    }
  });
});
