import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { failure, ok, openSession, type SdkSession } from '../sdk-session';

describe('simulator user writes (PATCH, state, soft delete)', () => {
  let s: SdkSession;
  before(async () => {
    s = await openSession();
  });
  after(() => s.close());

  describe('PATCH /api/v2/users/{id}', () => {
    it('deactivates with {state, version} and increments the version', async () => {
      const id = s.sim.org.active[5];
      const { version } = s.sim.getUser(id)!;
      const { status, body } = await ok(s.users.patchUser(id, { state: 'inactive', version }));
      assert.equal(status, 200);
      assert.equal(body.state, 'inactive');
      assert.equal(body.version, version + 1);
      assert.equal(s.sim.getUser(id)?.state, 'inactive');
    });

    it('answers 409 "does not match the current version" for a stale version, changing nothing', async () => {
      const id = s.sim.org.active[6];
      const before = s.sim.getUser(id)!;
      const conflict = await failure(s.users.patchUser(id, { state: 'inactive', version: before.version - 1 }), 409);
      assert.match(conflict.body.message, /does not match the current version/);
      assert.deepEqual(s.sim.getUser(id), before);
    });

    it('refuses a state change that also changes another field (400), but allows unchanged echoes', async () => {
      const id = s.sim.org.active[7];
      const user = s.sim.getUser(id)!;
      const refused = await failure(s.users.patchUser(id, { state: 'inactive', version: user.version, title: 'Changed' }), 400);
      assert.match(refused.body.message, /only field/);
      const { body } = await ok(s.users.patchUser(id, { state: 'inactive', version: user.version, name: user.name }));
      assert.equal(body.state, 'inactive');
    });

    it('requires the version (400 without it)', async () => {
      await failure(s.users.patchUser(s.sim.org.active[8], { state: 'inactive' } as never), 400);
    });

    it('edits other fields when state is absent', async () => {
      const id = s.sim.org.active[9];
      const { version } = s.sim.getUser(id)!;
      const { body } = await ok(s.users.patchUser(id, { title: 'Senior Agent II', version }));
      assert.equal(body.title, 'Senior Agent II');
      assert.equal(body.version, version + 1);
    });
  });

  describe('PUT /api/v2/users/{id}/state', () => {
    it('sets the state with a reason and reads back through GET .../state', async () => {
      const id = s.sim.org.active[10];
      const { body } = await ok(s.users.putUserState(id, { state: 'inactive', stateChangeReason: 'Voluntary' }));
      assert.equal(body.state, 'inactive');
      assert.equal(body.stateChangeReason, 'Voluntary');
      const read = await ok(s.users.getUserState(id));
      assert.equal(read.body.state, 'inactive');
      assert.equal(read.body.version, body.version);
    });

    it('rejects unknown reasons and a stale version', async () => {
      const id = s.sim.org.active[11];
      await failure(s.users.putUserState(id, { state: 'inactive', stateChangeReason: 'Fired' }), 400);
      await failure(s.users.putUserState(id, { state: 'inactive', version: 0 }), 409);
      assert.equal(s.sim.getUser(id)?.state, 'active');
    });
  });

  describe('DELETE /api/v2/users/{id} (soft delete)', () => {
    it('marks the user deleted, strips its grants and group memberships, moves it home, ends its sessions', async () => {
      const id = s.sim.org.active[0]; // a team lead: direct grants and a group
      assert.ok(s.sim.inspectUser(id)!.grants.length > 0);
      assert.ok(s.sim.inspectUser(id)!.groups.length > 0);
      assert.equal((await ok(s.users.deleteUser(id))).status, 200);
      await failure(s.users.getUser(id), 404);
      const { body } = await ok(s.users.getUser(id, { state: 'deleted' }));
      assert.equal(body.state, 'deleted');
      assert.equal(body.division?.name, 'Home');
      const after = s.sim.inspectUser(id)!;
      assert.deepEqual(after.grants, []);
      assert.deepEqual(after.groups, []);
      assert.equal(after.activeSessions, 0);
      assert.equal(after.externalIds.length, 1, 'external ids stay');
      const subject = await ok(s.authorization.getAuthorizationSubject(id));
      assert.deepEqual(subject.body.grants, []);
    });

    it('restores a deleted user with PATCH {state: active, version}, without its grants', async () => {
      const id = s.sim.org.deleted[0];
      const { body: deleted } = await ok(s.users.getUser(id, { state: 'deleted' }));
      const { body } = await ok(s.users.patchUser(id, { state: 'active', version: deleted.version }));
      assert.equal(body.state, 'active');
      assert.equal((await ok(s.users.getUser(id))).body.state, 'active');
      assert.deepEqual((await ok(s.authorization.getAuthorizationSubject(id))).body.grants, []);
    });

    it('answers 404 when deleting a user twice', async () => {
      await failure(s.users.deleteUser(s.sim.org.deleted[1]), 404);
    });
  });
});
