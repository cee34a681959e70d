import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { failure, ok, openSession, type SdkSession } from '../sdk-session';

describe('simulator routing status', () => {
  let s: SdkSession;
  before(async () => {
    s = await openSession();
  });
  after(() => s.close());

  it('reads a user\'s routing status', async () => {
    const { body } = await ok(s.users.getUserRoutingstatus(s.sim.org.active[0]));
    assert.equal(body.userId, s.sim.org.active[0]);
    assert.ok(['IDLE', 'OFF_QUEUE', 'INTERACTING'].includes(body.status!));
  });

  it('takes a user off queue with PUT {status: OFF_QUEUE} and reads it back', async () => {
    const id = s.sim.org.active.find((u) => s.sim.inspectUser(u)!.routingStatus !== 'OFF_QUEUE')!;
    const { body } = await ok(s.users.putUserRoutingstatus(id, { status: 'OFF_QUEUE' }));
    assert.equal(body.status, 'OFF_QUEUE');
    assert.equal((await ok(s.users.getUserRoutingstatus(id))).body.status, 'OFF_QUEUE');
    assert.equal(s.sim.inspectUser(id)!.routingStatus, 'OFF_QUEUE');
  });

  it('refuses statuses a client cannot set', async () => {
    await failure(s.users.putUserRoutingstatus(s.sim.org.active[1], { status: 'INTERACTING' }), 400);
    await failure(s.users.putUserRoutingstatus(s.sim.org.active[1], {}), 400);
  });
});
