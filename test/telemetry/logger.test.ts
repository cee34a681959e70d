import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/telemetry/logger';

/** A logger writing synchronously into an array of parsed JSON records. */
function recording(level = 'trace') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger({ level, destination });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('structured logs', () => {
  it('are JSON lines with a level, an ISO time, the service name and the message', () => {
    const { logger, records } = recording();
    logger.child({ component: 'genesys' }).warn({ attempt: 2 }, 'genesys call retrying');
    const [r] = records();
    assert.equal(r!.level, 40);
    assert.match(String(r!.time), /^\d{4}-\d\d-\d\dT/);
    assert.equal(r!.name, 'genesys-otel-enricher');
    assert.equal(r!.component, 'genesys');
    assert.equal(r!.msg, 'genesys call retrying');
    assert.equal(r!.attempt, 2);
  });

  it('honour the level', () => {
    const { logger, lines } = recording('warn');
    logger.info('hidden');
    logger.debug('hidden');
    logger.error('shown');
    assert.equal(lines.length, 1);
  });

  it('censor every spelling of a secret a component might log', () => {
    const { logger, lines, records } = recording();
    const secrets = {
      clientSecret: 'S1-client-secret',
      client_secret: 'S2-oauth-body-secret',
      token: 'S3-admin-token',
      accessToken: 'S4-access-token',
      access_token: 'S5-oauth-access-token',
      authorization: 'Bearer S6-lowercase-header',
      Authorization: 'Bearer S7-axios-header',
      password: 'S8-password',
      bearerToken: 'S9-receiver-token',
      GENESYS_CLIENT_SECRET: 'S10-variable',
      ENRICHER_ADMIN_TOKEN: 'S11-variable',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=S12-variable',
    };
    logger.info(secrets, 'top level');
    logger.info({ config: secrets }, 'one level down');
    logger.info({ request: { headers: { authorization: 'Bearer S13', 'x-api-key': 'S14-export-header' } } }, 'headers');
    logger.warn({ err: { message: 'failed', config: { headers: { Authorization: 'Basic S15-client-credentials' } } } }, 'an AxiosError as pino sees it');
    logger.child({ component: 'x' }).info({ export: { headers: { 'x-api-key': 'S16' } } }, 'child logger');
    const text = lines.join('\n');
    assert.doesNotMatch(text, /S\d+-|S1[3-6]/, text);
    const [top, nested] = records();
    for (const key of Object.keys(secrets)) {
      assert.equal(top![key], '[REDACTED]', key);
      assert.equal((nested!.config as Record<string, unknown>)[key], '[REDACTED]', `config.${key}`);
    }
    assert.equal(top!.msg, 'top level', 'the record itself survives');
  });

  it('leave ordinary fields alone', () => {
    const { logger, records } = recording();
    logger.info({ operation: 'getUsers', status: 429, correlationId: 'abc', tokenRequests: 3 }, 'ok');
    const [r] = records();
    assert.equal(r!.operation, 'getUsers');
    assert.equal(r!.correlationId, 'abc');
    assert.equal(r!.tokenRequests, 3);
  });
});
