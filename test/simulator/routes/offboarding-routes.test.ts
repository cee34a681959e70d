import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { failure, ok, openSession, type SdkSession } from '../sdk-session';

describe('simulator: what an offboarding touches besides the user', () => {
  let s: SdkSession;
  afterEach(() => s.close());

  it('answers a forced version conflict as 409, as 400 "does not match the current version", or as 408', async () => {
    s = await openSession();
    const id = s.sim.org.active[3]!;
    for (const status of [409, 400, 408] as const) {
      s.sim.faults.versionConflicts = 1;
      s.sim.faults.versionConflictStatus = status;
      const answer = await failure(s.users.patchUser(id, { state: 'inactive', version: s.sim.getUser(id)!.version }), status);
      assert.match(answer.body.message, /does not match the current version/);
    }
    assert.equal(s.sim.getUser(id)!.state, 'active');
  });

  it("inactive strips the user's own grants by default (group grants stay), and keeps them when switched off", async () => {
    s = await openSession();
    const lead = s.sim.org.active[0]!;
    await ok(s.users.patchUser(lead, { state: 'inactive', version: s.sim.getUser(lead)!.version }));
    const grants = s.sim.inspectUser(lead)!.grants;
    assert.ok(grants.length > 0 && grants.every((g) => g.subjectId !== lead));
    await s.close();

    s = await openSession({ inactiveRemovesRoleGrants: false });
    const before = s.sim.inspectUser(lead)!.grants;
    await ok(s.users.patchUser(lead, { state: 'inactive', version: s.sim.getUser(lead)!.version }));
    assert.deepEqual(s.sim.inspectUser(lead)!.grants, before);
  });

  it('reads, clears and puts back stations (UserStations)', async () => {
    s = await openSession();
    const id = s.sim.org.active[0]!;
    const { body } = await ok(s.users.getUserStation(id));
    assert.ok(body.associatedStation?.id && body.defaultStation?.id && body.effectiveStation?.id === body.associatedStation.id);
    assert.equal((await ok(s.users.deleteUserStationAssociatedstation(id))).status, 204);
    assert.equal((await ok(s.users.deleteUserStationDefaultstation(id))).status, 204);
    assert.deepEqual((await ok(s.users.getUserStation(id))).body, {});
    await ok(s.users.putUserStationDefaultstationStationId(id, body.defaultStation.id));
    assert.equal((await ok(s.users.getUserStation(id))).body.defaultStation?.id, body.defaultStation.id);
    await failure(s.users.putUserStationDefaultstationStationId(id, s.sim.org.unknown[0]!), 404);
  });

  it('moves users between groups, divisions and management units; finds them by external id and by email search', async () => {
    s = await openSession();
    const groups = new platformClient.GroupsApi(s.client);
    const wfm = new platformClient.WorkforceManagementApi(s.client);
    const id = s.sim.org.active[5]!;
    const [group] = s.sim.inspectUser(id)!.groups;
    await ok(groups.deleteGroupMembers(group!.id, id));
    assert.deepEqual(s.sim.inspectUser(id)!.groups, []);
    await ok(groups.postGroupMembers(group!.id, { memberIds: [id] }));
    assert.deepEqual(s.sim.inspectUser(id)!.groups, [group]);
    assert.deepEqual((await ok(s.users.getUser(id, { expand: ['groups'] }))).body.groups?.map((g) => g.id), [group!.id]);

    const other = s.sim.getUser(s.sim.org.active.find((u) => s.sim.getUser(u)!.division.id !== s.sim.getUser(id)!.division.id)!)!.division;
    await ok(s.authorization.postAuthorizationDivisionObject(other.id, 'USER', [id]));
    assert.deepEqual(s.sim.getUser(id)!.division, other);

    const unit = (await ok(wfm.getWorkforcemanagementAgentManagementunit(id))).body.managementUnit!.id!;
    await ok(wfm.postWorkforcemanagementAgents({ userIds: [id] }));
    await failure(wfm.getWorkforcemanagementAgentManagementunit(id), 404);
    await ok(wfm.postWorkforcemanagementAgents({ userIds: [id], destinationManagementUnitId: unit }));
    assert.equal(s.sim.inspectUser(id)!.managementUnitId, unit);

    const [hr] = s.sim.inspectUser(id)!.externalIds;
    assert.equal((await ok(s.users.getUsersExternalidAuthorityNameExternalKey(hr!.authorityName, hr!.externalKey))).body.id, id);
    const email = s.sim.getUser(id)!.email;
    const found = (await ok(s.users.postUsersSearch({ query: [{ type: 'EXACT', fields: ['email'], value: email.toUpperCase() }] }))).body;
    assert.deepEqual([found.total, found.results.map((u) => u.id)], [1, [id]]);
  });
});
