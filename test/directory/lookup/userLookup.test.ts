import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { GenesysClient } from '../../../src/directory/genesys/genesysClient';
import { GenesysError } from '../../../src/directory/genesys/errors';
import { UserLookup } from '../../../src/directory/lookup/userLookup';
import type { RunningSimulator } from '../../../src/simulator/types';
import { BULK_ROUTE, clientFor, routeCount, startSim, stubCaller } from '../support/directoryFixtures';

describe('UserLookup', () => {
  let sim: RunningSimulator;
  let client: GenesysClient;
  let lookup: UserLookup;

  before(async () => {
    sim = await startSim();
    client = clientFor(sim);
    lookup = new UserLookup({ client });
  });
  beforeEach(() => {
    for (const key of Object.keys(sim.faults) as (keyof typeof sim.faults)[]) delete sim.faults[key];
    sim.resetStats();
  });
  after(async () => {
    client.close();
    await sim.close();
  });

  it('resolves active, inactive and deleted users as found and unknown ids as not_found, in one bulk call', async () => {
    const [active, inactive, deleted, unknown] = [sim.org.active[0]!, sim.org.inactive[0]!, sim.org.deleted[0]!, sim.org.unknown[0]!];
    const result = await lookup.lookupMany([active, inactive, deleted, unknown]);
    for (const [id, state] of [[active, 'active'], [inactive, 'inactive'], [deleted, 'deleted']] as const) {
      const stored = sim.getUser(id)!;
      assert.deepEqual(result.get(id), {
        status: 'found',
        user: {
          id,
          state,
          name: stored.name,
          username: stored.username,
          email: stored.email,
          division: { id: stored.division.id, name: stored.division.name },
          version: stored.version,
        },
      });
    }
    assert.deepEqual(result.get(unknown), { status: 'not_found' });
    assert.deepEqual(sim.stats().bulkIdBatches, [[active, inactive, deleted, unknown]]);
  });

  it('keys results by the ids as given, looking up their lowercase form once', async () => {
    const id = sim.org.active[0]!;
    const result = await lookup.lookupMany([id.toUpperCase(), id]);
    assert.equal(result.get(id.toUpperCase())?.status, 'found');
    assert.equal(result.get(id)?.status, 'found');
    assert.deepEqual(sim.stats().bulkIdBatches, [[id]]);
  });

  it('answers malformed ids not_found without sending anything', async () => {
    const bad = ['bob', ` ${sim.org.active[0]}`, `${sim.org.active[0]}0`, "' OR 1=1 --", ''];
    const result = await lookup.lookupMany(bad);
    for (const raw of bad) assert.deepEqual(result.get(raw), { status: 'not_found' });
    assert.equal(sim.stats().total, 0);
  });

  it('splits 250 ids into requests of 100, 100 and 50', async () => {
    const ids = [...sim.org.active, ...Array.from({ length: 250 - sim.org.active.length }, () => randomUUID())];
    const result = await lookup.lookupMany(ids);
    assert.equal(result.size, 250);
    assert.deepEqual(sim.stats().bulkIdBatches.map((batch) => batch.length), [100, 100, 50]);
    assert.equal([...result.values()].filter((r) => r.status === 'found').length, sim.org.active.length);
  });

  it('marks every id of a failed request failed with the reason, and never rejects', async () => {
    sim.faults.outage = true;
    const ids = [sim.org.active[0]!, sim.org.unknown[0]!];
    const result = await lookup.lookupMany(ids);
    for (const id of ids) {
      const r = result.get(id);
      assert.equal(r?.status, 'failed');
      assert.match((r as { reason: string }).reason, /getUsers: 503 service\.unavailable/);
    }
  });

  it('does not claim not_found from an incomplete (multi-page) answer', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const stub = stubCaller({ entities: [{ id: a, state: 'active', name: 'A' }], total: 2, pageCount: 2 });
    const result = await new UserLookup({ client: stub }).lookupMany([a, b]);
    assert.equal(result.get(a)?.status, 'found');
    assert.equal(result.get(b)?.status, 'failed');
  });

  it('fails ids whose record is unreadable, and a whole chunk when the answer has no entities', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const unreadable = await new UserLookup({ client: stubCaller({ entities: [{ id: a, state: 'archived' }] }) }).lookupMany([a, b]);
    assert.equal(unreadable.get(a)?.status, 'failed');
    assert.equal(unreadable.get(b)?.status, 'not_found');
    const malformed = await new UserLookup({ client: stubCaller('<html>') }).lookupMany([a]);
    assert.match((malformed.get(a) as { reason: string }).reason, /malformed response/);
  });

  it('passes the GenesysError message on as the failure reason', async () => {
    const err = new GenesysError({ status: 400, code: 'bad.request', retryable: false, operation: 'getUsers', detail: 'nope' });
    const result = await new UserLookup({ client: stubCaller(err) }).lookupMany([randomUUID()]);
    assert.deepEqual([...result.values()], [{ status: 'failed', reason: 'getUsers: 400 bad.request: nope' }]);
  });

  it('rejects bad options at construction, naming them', () => {
    assert.throws(() => new UserLookup({ client: undefined as unknown as GenesysClient }), /UserLookup: option "client" is required/);
    assert.throws(() => new UserLookup({ client, maxIdsPerRequest: 101 }), /UserLookup: option "maxIdsPerRequest" must be <= 100, got 101/);
    assert.throws(() => new UserLookup({ client, maxIdsPerRequest: 0 }), /"maxIdsPerRequest" must be >= 1/);
  });

  it('uses the bulk list route only', async () => {
    await lookup.lookupMany([sim.org.active[1]!]);
    assert.equal(routeCount(sim, BULK_ROUTE), 1);
    assert.deepEqual(Object.keys(sim.stats().byRoute).filter((r) => r !== 'POST /oauth/token'), [BULK_ROUTE]);
  });
});
