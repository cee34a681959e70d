import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Router, type Route } from '../../src/simulator/router';

const route = (method: Route<string>['method'], pattern: string): Route<string> => ({ method, pattern, handler: pattern });

describe('simulator router', () => {
  const router = new Router([
    route('GET', '/api/v2/users/{id}'),
    route('GET', '/api/v2/users/{id}/queues'),
    route('GET', '/api/v2/users/query'),
    route('GET', '/api/v2/users/externalid/{authorityName}/{externalKey}'),
    route('GET', '/api/v2/users/{id}/externalid'),
    route('DELETE', '/api/v2/users/{id}'),
  ]);

  it('prefers a literal segment over a parameter, whatever the registration order', () => {
    assert.equal(router.match('GET', '/api/v2/users/query')?.route.pattern, '/api/v2/users/query');
    assert.equal(router.match('GET', '/api/v2/users/abc')?.route.pattern, '/api/v2/users/{id}');
    assert.equal(router.match('GET', '/api/v2/users/externalid/hr/E1')?.route.pattern, '/api/v2/users/externalid/{authorityName}/{externalKey}');
    assert.equal(router.match('GET', '/api/v2/users/abc/externalid')?.route.pattern, '/api/v2/users/{id}/externalid');
  });

  it('decodes parameters, keeping their case', () => {
    assert.deepEqual(router.match('GET', '/api/v2/users/externalid/hr%20system/E%2F1x')?.params, {
      authorityName: 'hr system',
      externalKey: 'E/1x',
    });
  });

  it('matches the method too, and never matches a malformed escape', () => {
    assert.equal(router.match('DELETE', '/api/v2/users/abc')?.route.method, 'DELETE');
    assert.equal(router.match('PUT', '/api/v2/users/abc'), undefined);
    assert.equal(router.match('GET', '/api/v2/users/%E0%A4%A'), undefined);
    assert.equal(router.match('GET', '/api/v2/users/abc/queues/extra'), undefined);
  });
});
