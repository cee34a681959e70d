import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { failure, ok, openSession, type SdkSession } from '../sdk-session';

describe('simulator user reads (GET /api/v2/users...)', () => {
  let s: SdkSession;
  before(async () => {
    s = await openSession();
  });
  after(() => s.close());

  describe('GET /api/v2/users/{id}', () => {
    it('returns an active user with the fields the enricher reads', async () => {
      const { status, body } = await ok(s.users.getUser(s.sim.org.active[0]));
      assert.equal(status, 200);
      assert.equal(body.id, s.sim.org.active[0]);
      assert.equal(body.name, 'Amelia Hart');
      assert.equal(body.email, 'amelia.hart@demo-contact-center.example');
      assert.equal(body.username, body.email);
      assert.equal(body.state, 'active');
      assert.ok(body.division?.id && body.division.name && body.division.selfUri);
      assert.equal(typeof body.version, 'number');
      assert.equal(body.selfUri, `/api/v2/users/${body.id}`);
    });

    it('returns an inactive user without any state parameter', async () => {
      const { body } = await ok(s.users.getUser(s.sim.org.inactive[0]));
      assert.equal(body.state, 'inactive');
    });

    it('answers 404 for a deleted user unless asked with state=deleted', async () => {
      const id = s.sim.org.deleted[0];
      const missing = await failure(s.users.getUser(id), 404);
      assert.equal(missing.body.code, 'not.found');
      const { body } = await ok(s.users.getUser(id, { state: 'deleted' }));
      assert.equal(body.state, 'deleted');
    });

    it('answers 404 with state=deleted for a user who is not deleted', async () => {
      await failure(s.users.getUser(s.sim.org.active[0], { state: 'deleted' }), 404);
    });

    it('answers 404 for unknown and malformed ids, both ways of asking', async () => {
      for (const id of [s.sim.org.unknown[0], 'not-a-genesys-id']) {
        await failure(s.users.getUser(id), 404);
        await failure(s.users.getUser(id, { state: 'deleted' }), 404);
      }
    });

    it('rejects a state it does not accept with 400', async () => {
      const bad = await failure(s.users.getUser(s.sim.org.active[0], { state: 'inactive' }), 400);
      assert.equal(bad.body.code, 'bad.request');
    });

    it('adds dateLastLogin only when expanded', async () => {
      const plain = await ok(s.users.getUser(s.sim.org.active[0]));
      assert.equal(plain.body.dateLastLogin, undefined);
      const expanded = await ok(s.users.getUser(s.sim.org.active[0], { expand: ['dateLastLogin'] }));
      assert.match(expanded.body.dateLastLogin ?? '', /^\d{4}-\d\d-\d\dT/);
    });
  });

  describe('GET /api/v2/users with ids (bulk)', () => {
    it('with state=any returns active, inactive and deleted users and leaves unknown ids out', async () => {
      const { active, inactive, deleted, unknown } = s.sim.org;
      const ids = [active[0], inactive[0], deleted[0], unknown[0]];
      const { body } = await ok(s.users.getUsers({ id: ids, state: 'any', pageSize: 100 }));
      assert.equal(body.total, 3);
      assert.deepEqual(new Set(body.entities?.map((u) => u.id)), new Set(ids.slice(0, 3)));
      assert.deepEqual(new Set(body.entities?.map((u) => u.state)), new Set(['active', 'inactive', 'deleted']));
    });

    it('defaults to active users only', async () => {
      const { active, inactive, deleted } = s.sim.org;
      const { body } = await ok(s.users.getUsers({ id: [active[1], inactive[1], deleted[1]], pageSize: 100 }));
      assert.deepEqual(body.entities?.map((u) => u.id), [active[1]]);
    });

    it('accepts ids comma-joined in one parameter (what the SDK sends) and repeated', async () => {
      const { active } = s.sim.org;
      const query = `id=${active[0]},${active[1]}&id=${active[2]}&state=any`;
      const response = await fetch(`${s.sim.url}/api/v2/users?${query}`, {
        headers: { Authorization: `Bearer ${s.accessToken}` },
      });
      const body = (await response.json()) as { total: number };
      assert.equal(body.total, 3);
      const batches = s.sim.stats().bulkIdBatches;
      assert.deepEqual(batches[batches.length - 1], active.slice(0, 3));
    });

    it('pages through more than 100 ids with pageSize and pageNumber, covering each found user once', async () => {
      const known = [...s.sim.org.active, ...s.sim.org.inactive, ...s.sim.org.deleted];
      const ids = Array.from({ length: 120 }, (_, i) => known[i % known.length]);
      const fresh = [...new Set(ids)];
      const seen: string[] = [];
      let pageNumber = 1;
      let pageCount = 0;
      do {
        const { body } = await ok(s.users.getUsers({ id: ids, state: 'any', pageSize: 20, pageNumber }));
        assert.equal(body.total, fresh.length);
        pageCount = body.pageCount ?? 0;
        assert.equal(body.nextUri !== undefined, pageNumber < pageCount);
        seen.push(...(body.entities ?? []).map((u) => u.id!));
        pageNumber += 1;
      } while (pageNumber <= pageCount);
      assert.equal(pageCount, Math.ceil(fresh.length / 20));
      assert.deepEqual([...seen].sort(), [...fresh].sort());
    });

    it('serves pages of up to 500 and refuses larger ones', async () => {
      const { body } = await ok(s.users.getUsers({ state: 'any', pageSize: 500 }));
      assert.equal(body.pageSize, 500);
      assert.equal(body.total, s.sim.org.active.length + s.sim.org.inactive.length + s.sim.org.deleted.length);
      await failure(s.users.getUsers({ pageSize: 501 }), 400);
    });

    it('refuses to list inactive users past the first 10,000', async () => {
      const { body } = await ok(s.users.getUsers({ state: 'inactive', pageSize: 500, pageNumber: 20 }));
      assert.deepEqual(body.entities, []);
      const refused = await failure(s.users.getUsers({ state: 'inactive', pageSize: 500, pageNumber: 21 }), 400);
      assert.match(refused.body.message, /10000/);
    });

    it('returns the Genesys listing envelope', async () => {
      const { body } = await ok(s.users.getUsers({ pageSize: 10, pageNumber: 2 }));
      assert.equal(body.pageSize, 10);
      assert.equal(body.pageNumber, 2);
      assert.equal(body.total, s.sim.org.active.length);
      assert.equal(body.pageCount, 3);
      assert.match(body.selfUri ?? '', /^\/api\/v2\/users\?pageSize=10&pageNumber=2/);
      assert.match(body.firstUri ?? '', /pageNumber=1/);
      assert.match(body.lastUri ?? '', /pageNumber=3/);
      assert.match(body.nextUri ?? '', /pageNumber=3/);
    });
  });

  describe('GET /api/v2/users/query (cursor paging)', () => {
    it('walks every user of any state with the cursor, without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const { body } = await ok(s.users.getUsersQuery({ state: 'any', pageSize: 7, cursor }));
        seen.push(...(body.entities ?? []).map((u) => u.id!));
        cursor = body.cursor;
        assert.equal(body.nextUri === undefined, cursor === undefined);
      } while (cursor);
      const all = [...s.sim.org.active, ...s.sim.org.inactive, ...s.sim.org.deleted];
      assert.equal(seen.length, all.length);
      assert.deepEqual([...seen].sort(), [...all].sort());
    });

    it('filters by state and rejects a forged cursor', async () => {
      const { body } = await ok(s.users.getUsersQuery({ state: 'inactive', pageSize: 100 }));
      assert.equal(body.entities?.length, s.sim.org.inactive.length);
      assert.equal(body.cursor, undefined);
      await failure(s.users.getUsersQuery({ cursor: 'Zm9yZ2Vk' }), 400);
    });
  });

  describe('external ids', () => {
    it('finds a user by authority and key, case-sensitively', async () => {
      const id = s.sim.org.active[2];
      const { body: externalIds } = await ok(s.users.getUserExternalid(id));
      assert.equal(externalIds.length, 1);
      const [{ authorityName, externalKey }] = externalIds;
      assert.equal(authorityName, 'hr-system');
      const { body } = await ok(s.users.getUsersExternalidAuthorityNameExternalKey(authorityName, externalKey));
      assert.equal(body.id, id);
      await failure(s.users.getUsersExternalidAuthorityNameExternalKey(authorityName, externalKey.toLowerCase()), 404);
      await failure(s.users.getUsersExternalidAuthorityNameExternalKey('HR-SYSTEM', externalKey), 404);
    });

    it('finds inactive users by external id', async () => {
      const id = s.sim.org.inactive[0];
      const [{ authorityName, externalKey }] = (await ok(s.users.getUserExternalid(id))).body;
      assert.equal((await ok(s.users.getUsersExternalidAuthorityNameExternalKey(authorityName, externalKey))).body.id, id);
    });
  });
});
