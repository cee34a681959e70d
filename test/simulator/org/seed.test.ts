import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_COUNTS, DEMO_SEED, demoAgents } from '../../../src/simulator';
import { buildOrg } from '../../../src/simulator/org/seed';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('simulator demo org seed', () => {
  const { store, org } = buildOrg({ seed: DEMO_SEED, demo: true });

  it('is the same on every build (ids, names, assignments)', () => {
    const again = buildOrg({ seed: DEMO_SEED, demo: true });
    assert.deepEqual(again.org, org);
    assert.deepEqual([...again.store.users.values()], [...store.users.values()]);
    assert.deepEqual(demoAgents(), org);
  });

  it('changes with the seed', () => {
    assert.notDeepEqual(buildOrg({ seed: 'another seed', demo: true }).org, org);
  });

  it('has the advertised number of users in each state, and unknown ids that exist nowhere', () => {
    assert.equal(org.active.length, DEMO_COUNTS.active);
    assert.equal(org.inactive.length, DEMO_COUNTS.inactive);
    assert.equal(org.deleted.length, DEMO_COUNTS.deleted);
    assert.equal(org.unknown.length, DEMO_COUNTS.unknown);
    for (const id of org.active) assert.equal(store.users.get(id)?.state, 'active');
    for (const id of org.inactive) assert.equal(store.users.get(id)?.state, 'inactive');
    for (const id of org.deleted) assert.equal(store.users.get(id)?.state, 'deleted');
    for (const id of org.unknown) assert.equal(store.users.has(id), false);
  });

  it('uses lowercase UUID v4-shaped ids everywhere, all distinct', () => {
    const ids = [
      ...store.users.keys(), ...store.divisions.keys(), ...store.queues.keys(), ...store.groups.keys(),
      ...store.skills.keys(), ...store.languages.keys(), ...store.roles.keys(),
      ...store.presenceDefinitions.map((p) => p.id), ...org.unknown,
    ];
    for (const id of ids) assert.match(id, UUID_V4);
    assert.equal(new Set(ids).size, ids.length);
  });

  it('gives users realistic, unique names, usernames and emails', () => {
    const users = [...store.users.values()];
    assert.equal(store.users.get(org.active[0])?.email, 'amelia.hart@demo-contact-center.example');
    for (const user of users) {
      assert.match(user.name, /^[A-Z][a-z]+ [A-Z][a-z]+$/);
      assert.match(user.email, /^[a-z]+\.[a-z]+@demo-contact-center\.example$/);
      assert.equal(user.username, user.email);
    }
    assert.equal(new Set(users.map((u) => u.email)).size, users.length);
  });

  it('seeds the catalog: 3 divisions (one home), 6 queues, 6 skills, 3 languages, 5 roles', () => {
    assert.equal(store.divisions.size, 3);
    assert.equal([...store.divisions.values()].filter((d) => d.homeDivision).length, 1);
    assert.equal(store.queues.size, 6);
    assert.equal(store.skills.size, 6);
    assert.equal(store.languages.size, 3);
    assert.equal(store.roles.size, 5);
    for (const name of ['Available', 'Away', 'Busy', 'Offline', 'On Queue']) assert.ok(store.systemPresence(name));
  });

  it('includes group-derived queue memberships and group-held grants', () => {
    const byGroup = [...store.queues.values()].flatMap((q) => [...q.members.values()].filter((m) => !m.direct));
    assert.ok(byGroup.length > 0);
    const inherited = org.active.flatMap((id) => store.effectiveGrants(id).filter((g) => g.subjectId !== id));
    assert.ok(inherited.length > 0);
  });

  it('keeps deleted users in the home division without grants, and gives every user an hr-system external id', () => {
    const home = store.homeDivision().id;
    for (const id of org.deleted) {
      assert.equal(store.users.get(id)?.divisionId, home);
      assert.deepEqual(store.effectiveGrants(id), []);
    }
    for (const id of store.users.keys()) {
      assert.equal(store.externalIds.filter((e) => e.userId === id && e.authorityName === 'hr-system').length, 1);
    }
  });

  it('gives active users sessions and some inactive users leftover sessions', () => {
    assert.ok(org.active.every((id) => store.users.get(id)!.activeSessions > 0));
    assert.ok(org.inactive.some((id) => store.users.get(id)!.activeSessions > 0));
    assert.ok(org.deleted.every((id) => store.users.get(id)!.activeSessions === 0));
  });

  it('without the demo, holds only a home division and the system presences', () => {
    const empty = buildOrg({ seed: DEMO_SEED, demo: false });
    assert.equal(empty.store.users.size, 0);
    assert.equal(empty.store.divisions.size, 1);
    assert.ok(empty.store.systemPresence('Offline'));
    assert.deepEqual([empty.org.active, empty.org.inactive, empty.org.deleted], [[], [], []]);
    assert.equal(empty.org.unknown.length, DEMO_COUNTS.unknown);
  });
});
