import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { failure, ok, openSession, type SdkSession } from '../sdk-session';

describe('simulator presence', () => {
  let s: SdkSession;
  before(async () => {
    s = await openSession();
  });
  after(() => s.close());

  it('lists the system presence definitions with their systemPresence names', async () => {
    const { body } = await ok(s.presence.getPresenceDefinitions0());
    const names = (body.entities ?? []).map((d) => d.systemPresence);
    for (const name of ['Available', 'Away', 'Busy', 'Offline', 'On Queue']) assert.ok(names.includes(name), name);
    assert.equal(body.total, body.entities?.length);
    assert.ok((body.entities ?? []).every((d) => /^[0-9a-f-]{36}$/.test(d.id!)));
  });

  it('sets a user Offline by definition id and reads it back', async () => {
    const { body: definitions } = await ok(s.presence.getPresenceDefinitions0());
    const offline = definitions.entities!.find((d) => d.systemPresence === 'Offline')!;
    const id = s.sim.org.active.find((u) => s.sim.inspectUser(u)!.systemPresence !== 'Offline')!;
    const { body } = await ok(s.presence.patchUserPresencesPurecloud(id, { presenceDefinition: { id: offline.id } }));
    assert.equal(body.presenceDefinition?.id, offline.id);
    assert.equal(body.presenceDefinition?.systemPresence, 'Offline');
    const read = await ok(s.presence.getUserPresencesPurecloud(id));
    assert.equal(read.body.presenceDefinition?.systemPresence, 'Offline');
  });

  it('refuses an unknown presence definition with 400', async () => {
    await failure(s.presence.patchUserPresencesPurecloud(s.sim.org.active[0], { presenceDefinition: { id: s.sim.org.unknown[0] } }), 400);
  });
});
