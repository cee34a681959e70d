import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { failure, ok, openSession, type SdkSession } from '../sdk-session';

describe('simulator authorization subjects', () => {
  let s: SdkSession;
  beforeEach(async () => {
    s = await openSession();
  });
  afterEach(() => s.close());

  it('lists own grants with subjectId = the user, inherited ones with subjectId = the group', async () => {
    const lead = s.sim.org.active[0];
    const { body } = await ok(s.authorization.getAuthorizationSubject(lead));
    assert.equal(body.id, lead);
    const grants = body.grants ?? [];
    assert.ok(grants.some((g) => g.subjectId === lead));
    const groupIds = new Set(s.sim.inspectUser(lead)!.groups.map((g) => g.id));
    const inherited = grants.filter((g) => g.subjectId !== lead);
    assert.ok(inherited.length > 0);
    assert.ok(inherited.every((g) => groupIds.has(g.subjectId!)));
    for (const grant of grants) assert.ok(grant.role?.id && grant.role.name && grant.division?.id && grant.division.name);
  });

  it('lists a role+division held both directly and through a group once, or twice with includeDuplicates', async () => {
    const lead = s.sim.org.active[0];
    const key = (g: { role?: { id?: string }; division?: { id?: string } }) => `${g.role?.id}/${g.division?.id}`;
    const plain = (await ok(s.authorization.getAuthorizationSubject(lead))).body.grants ?? [];
    const all = (await ok(s.authorization.getAuthorizationSubject(lead, { includeDuplicates: true }))).body.grants ?? [];
    assert.equal(new Set(plain.map(key)).size, plain.length);
    assert.ok(all.length > plain.length);
    const doubled = all.filter((g) => all.filter((o) => key(o) === key(g)).length > 1);
    assert.deepEqual(new Set(doubled.map((g) => g.subjectId !== lead)), new Set([true, false]));
    assert.ok(plain.filter((g) => doubled.some((d) => key(d) === key(g))).every((g) => g.subjectId === lead), 'the own grant is the one listed');
  });

  it('removes the user\'s own grants with bulkremove; group grants stay', async () => {
    const lead = s.sim.org.active[0];
    const grants = (await ok(s.authorization.getAuthorizationSubject(lead))).body.grants ?? [];
    const own = grants.filter((g) => g.subjectId === lead).map((g) => ({ roleId: g.role!.id!, divisionId: g.division!.id! }));
    const response = await ok(s.authorization.postAuthorizationSubjectBulkremove(lead, { grants: own }));
    assert.equal(response.status, 204);
    const after = (await ok(s.authorization.getAuthorizationSubject(lead))).body.grants ?? [];
    assert.ok(after.length > 0);
    assert.ok(after.every((g) => g.subjectId !== lead));
  });

  it('does not remove inherited grants when asked to through the user', async () => {
    const lead = s.sim.org.active[0];
    const grants = (await ok(s.authorization.getAuthorizationSubject(lead, { includeDuplicates: true }))).body.grants ?? [];
    const all = grants.map((g) => ({ roleId: g.role!.id!, divisionId: g.division!.id! }));
    await ok(s.authorization.postAuthorizationSubjectBulkremove(lead, { grants: all }));
    const after = (await ok(s.authorization.getAuthorizationSubject(lead))).body.grants ?? [];
    assert.deepEqual(
      after.map((g) => g.subjectId),
      grants.filter((g) => g.subjectId !== lead).map((g) => g.subjectId),
    );
  });

  it('adds grants back with bulkadd', async () => {
    const id = s.sim.org.active[15];
    const own = ((await ok(s.authorization.getAuthorizationSubject(id))).body.grants ?? []).map((g) => ({
      roleId: g.role!.id!,
      divisionId: g.division!.id!,
    }));
    await ok(s.authorization.postAuthorizationSubjectBulkremove(id, { grants: own }));
    assert.deepEqual((await ok(s.authorization.getAuthorizationSubject(id))).body.grants, []);
    assert.equal((await ok(s.authorization.postAuthorizationSubjectBulkadd(id, { grants: own }))).status, 204);
    assert.equal((await ok(s.authorization.getAuthorizationSubject(id))).body.grants?.length, own.length);
  });

  it('rejects unknown roles or divisions with 400 and answers 404 for unknown subjects', async () => {
    const id = s.sim.org.active[15];
    const [grant] = s.sim.inspectUser(id)!.grants;
    await failure(s.authorization.postAuthorizationSubjectBulkremove(id, { grants: [{ roleId: s.sim.org.unknown[0], divisionId: grant.divisionId }] }), 400);
    assert.equal(s.sim.inspectUser(id)!.grants.length > 0, true);
    await failure(s.authorization.getAuthorizationSubject(s.sim.org.unknown[0]), 404);
  });
});

describe('simulator token revocation', () => {
  let s: SdkSession;
  beforeEach(async () => {
    s = await openSession();
  });
  afterEach(() => s.close());

  it('ends every session of the user with DELETE /api/v2/tokens/{id}', async () => {
    const id = s.sim.org.active[0];
    assert.ok(s.sim.inspectUser(id)!.activeSessions > 0);
    assert.equal((await ok(s.tokens.deleteToken(id))).status, 204);
    assert.equal(s.sim.inspectUser(id)!.activeSessions, 0);
    const other = s.sim.org.active[1];
    assert.ok(s.sim.inspectUser(other)!.activeSessions > 0, 'other users keep their sessions');
  });

  it('shows sessions over HTTP at /__sim/users/{id}, and answers 404 for unknown users', async () => {
    const id = s.sim.org.inactive[0];
    const read = async () => ((await (await fetch(`${s.sim.url}/__sim/users/${id}`)).json()) as { activeSessions: number }).activeSessions;
    assert.equal(await read(), 1);
    await ok(s.tokens.deleteToken(id));
    assert.equal(await read(), 0);
    await failure(s.tokens.deleteToken(s.sim.org.unknown[0]), 404);
  });
});
