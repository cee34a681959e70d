import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { failure, ok, openSession, type SdkSession } from '../sdk-session';

describe('simulator routing skills and languages', () => {
  let s: SdkSession;
  beforeEach(async () => {
    s = await openSession();
  });
  afterEach(() => s.close());

  it('lists a user\'s skills with name, proficiency and skillUri', async () => {
    const id = s.sim.org.active[3];
    const { body } = await ok(s.users.getUserRoutingskills(id, { pageSize: 100 }));
    assert.ok((body.entities ?? []).length > 0);
    assert.equal(body.total, s.sim.inspectUser(id)!.skills.length);
    for (const skill of body.entities ?? []) {
      assert.ok(skill.name && typeof skill.proficiency === 'number' && skill.skillUri?.endsWith(skill.id!));
    }
  });

  it('removes each skill with DELETE, reads back empty, and adds one back with POST', async () => {
    const id = s.sim.org.active[3];
    const skills = (await ok(s.users.getUserRoutingskills(id, { pageSize: 100 }))).body.entities ?? [];
    for (const skill of skills) assert.equal((await ok(s.users.deleteUserRoutingskill(id, skill.id!))).status, 204);
    assert.equal((await ok(s.users.getUserRoutingskills(id))).body.total, 0);
    await failure(s.users.deleteUserRoutingskill(id, skills[0].id!), 404);
    const added = await ok(s.users.postUserRoutingskills(id, { id: skills[0].id!, proficiency: 3 }));
    assert.equal(added.body.proficiency, 3);
    assert.equal((await ok(s.users.getUserRoutingskills(id))).body.total, 1);
  });

  it('restores several skills with PATCH .../bulk and replaces them all with PUT .../bulk', async () => {
    const id = s.sim.org.active[3];
    const skills = s.sim.inspectUser(id)!.skills;
    for (const skill of skills) await ok(s.users.deleteUserRoutingskill(id, skill.id));
    const patched = await ok(s.users.patchUserRoutingskillsBulk(id, skills.map((k) => ({ id: k.id, proficiency: k.proficiency }))));
    assert.equal(patched.body.total, skills.length);
    const replaced = await ok(s.users.putUserRoutingskillsBulk(id, [{ id: skills[0].id, proficiency: 1 }]));
    assert.equal(replaced.body.total, 1);
    assert.equal(replaced.body.entities?.[0].proficiency, 1);
  });

  it('rejects unknown skills and proficiencies outside 0..5 with 400', async () => {
    const id = s.sim.org.active[3];
    await failure(s.users.postUserRoutingskills(id, { id: s.sim.org.unknown[0], proficiency: 2 }), 400);
    const [skill] = s.sim.inspectUser(id)!.skills;
    await failure(s.users.postUserRoutingskills(id, { id: skill.id, proficiency: 9 }), 400);
  });

  it('removes languages with DELETE and adds them back with POST or PATCH .../bulk', async () => {
    const id = s.sim.org.active[3];
    const languages = (await ok(s.users.getUserRoutinglanguages(id, { pageSize: 100 }))).body.entities ?? [];
    assert.ok(languages.some((l) => l.name === 'English' && l.languageUri?.endsWith(l.id!)));
    for (const language of languages) assert.equal((await ok(s.users.deleteUserRoutinglanguage(id, language.id!))).status, 204);
    assert.equal((await ok(s.users.getUserRoutinglanguages(id))).body.total, 0);
    await ok(s.users.postUserRoutinglanguages(id, { id: languages[0].id!, proficiency: 4 }));
    const bulk = await ok(s.users.patchUserRoutinglanguagesBulk(id, languages.map((l) => ({ id: l.id!, proficiency: l.proficiency! }))));
    assert.equal(bulk.body.total, languages.length);
  });

  it('answers 404 for an unknown user', async () => {
    await failure(s.users.getUserRoutingskills(s.sim.org.unknown[0]), 404);
    await failure(s.users.getUserRoutinglanguages(s.sim.org.unknown[0]), 404);
  });
});
