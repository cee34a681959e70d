import type { Ref, StationAssignment } from '../snapshot';
import type { LeftItem } from '../types';
import { applyPlan, named } from './plan';
import type { Step } from './types';

type Slot = 'associated' | 'default';

/**
 * Deactivate: the associated station (the phone the user is logged in on)
 * and the default station (given on log-in) cleared, so the phone is free for
 * the next agent. A snapshot from before stations were recorded has none.
 */
export const clearStations: Step = {
  name: 'station',
  run: (ctx) => {
    const stations = ctx.snapshot.stations ?? {};
    const targets = slots(stations);
    return applyPlan(ctx, 'station', { found: targets.map(([slot, s]) => describe(slot, s)), targets }, ([slot, s]) => describe(slot, s), async (items) => {
      for (const [slot] of items) {
        if (slot === 'associated') await ctx.writes.clearAssociatedStation(ctx.userId);
        else await ctx.writes.clearDefaultStation(ctx.userId);
      }
    });
  },
};

/**
 * Reactivate: the default station put back. The associated station is not:
 * it is the phone of a logged-in session, taken again on logging in.
 */
export const restoreDefaultStation: Step = {
  name: 'station',
  run: (ctx) => {
    const before = ctx.source?.stations ?? {};
    const now = ctx.snapshot.stations ?? {};
    const targets = before.default && before.default.id !== now.default?.id ? [before.default] : [];
    const left: LeftItem[] = before.associated
      ? [{ kind: 'station', id: before.associated.id, ...named(before.associated.name), why: 'associated station not restored: the person associates one on logging in' }]
      : [];
    return applyPlan(ctx, 'station', { found: slots(now).map(([slot, s]) => describe(slot, s)), targets, left }, (s) => describe('default', s), async ([station]) => {
      if (station) await ctx.writes.setDefaultStation(ctx.userId, station.id);
    });
  },
};

function slots(stations: StationAssignment): [Slot, Ref][] {
  return [
    ...(stations.associated ? [['associated', stations.associated] as [Slot, Ref]] : []),
    ...(stations.default ? [['default', stations.default] as [Slot, Ref]] : []),
  ];
}

function describe(slot: Slot, station: Ref): { id: string; name: string } {
  return { id: station.id, name: `${slot}: ${station.name ?? station.id}` };
}
