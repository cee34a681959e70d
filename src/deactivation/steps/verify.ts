import { takeSnapshot } from '../genesys/takeSnapshot';
import { CHANGING_STEPS } from '../journal/history';
import { grantKey, ownGrants, ownQueues, summarize, type UserSnapshot } from '../snapshot';
import { DeactivationError, type LeftItem } from '../types';
import { isOffline } from './routing';
import type { Step, StepContext } from './types';

/**
 * Reads everything back and reports, in `left`, whatever did not take (the
 * run's status is then `partial`). A run that changed nothing needs no
 * read-back: its snapshot is the current state. Genesys applies queue changes
 * asynchronously, so a queue may show up here and be gone a moment later: a
 * re-run checks again.
 */
export const verify: Step = {
  name: 'verify',
  run: async (ctx) => {
    if (ctx.dryRun) return { step: 'verify', outcome: 'planned', found: {} };
    const changed = ctx.earlier.some((s) => CHANGING_STEPS.has(s.step) && s.outcome === 'done');
    if (!changed) return { step: 'verify', outcome: 'already', found: summarize(ctx.snapshot) };
    const readBack = await readBackOf(ctx);
    ctx.scratch.readBack = readBack;
    ctx.scratch.user = readBack.user;
    const left = ctx.action === 'deactivate' ? deactivationMisses(ctx.snapshot, readBack) : reactivationMisses(ctx.source ?? ctx.snapshot, readBack);
    return { step: 'verify', outcome: 'done', found: summarize(readBack), ...(left.length > 0 ? { left } : {}) };
  },
};

async function readBackOf(ctx: StepContext): Promise<UserSnapshot> {
  const read = await ctx.reads.user(ctx.userId);
  if (read.status !== 'found') {
    throw new DeactivationError(read.status === 'deleted' ? 'user_deleted' : 'user_not_found', `user ${ctx.userId} is ${read.status.replace('_', ' ')} at read-back`);
  }
  const plan = ctx.action === 'deactivate' ? ctx.snapshot.offboarding : (ctx.source ?? ctx.snapshot).offboarding;
  return takeSnapshot(ctx.reads, read.user, new Date(ctx.now()).toISOString(), plan);
}

/** What the optional steps and the stations should show after a deactivation, and do not. */
function offboardingMisses(before: UserSnapshot, after: UserSnapshot, miss: (kind: string, id: string, why: string, name?: string) => LeftItem): LeftItem[] {
  const steps = before.offboarding?.steps ?? [];
  const division = before.offboarding?.divisionId;
  const stations = after.stations ?? {};
  return [
    ...(stations.associated ? [miss('station', stations.associated.id, 'still the associated station', stations.associated.name)] : []),
    ...(stations.default ? [miss('station', stations.default.id, 'still the default station', stations.default.name)] : []),
    ...(steps.includes('groups') ? (after.groups ?? []).map((g) => miss('group', g.id, 'still a member', g.name)) : []),
    ...(steps.includes('division') && division && after.user.division?.id?.toLowerCase() !== division.toLowerCase()
      ? [miss('division', after.user.division?.id ?? 'unknown', `not in the offboarding division ${division}`)]
      : []),
    ...(steps.includes('management_unit') && after.managementUnit ? [miss('management_unit', after.managementUnit.id, 'still in the management unit')] : []),
  ];
}

/** What the optional steps and the default station should show after a reactivation, and do not. */
function restoreMisses(source: UserSnapshot, after: UserSnapshot, miss: (kind: string, id: string, why: string, name?: string) => LeftItem): LeftItem[] {
  const steps = source.offboarding?.steps ?? [];
  const groups = new Set((after.groups ?? []).map((g) => g.id));
  const station = source.stations?.default;
  return [
    ...(station && after.stations?.default?.id !== station.id ? [miss('station', station.id, 'not the default station again', station.name)] : []),
    ...(steps.includes('groups') ? (source.groups ?? []).filter((g) => !groups.has(g.id)).map((g) => miss('group', g.id, 'not a member again', g.name)) : []),
    ...(steps.includes('division') && source.user.division?.id && after.user.division?.id !== source.user.division.id
      ? [miss('division', source.user.division.id, 'not back in the division', source.user.division.name)]
      : []),
    ...(steps.includes('management_unit') && source.managementUnit && after.managementUnit?.id !== source.managementUnit.id
      ? [miss('management_unit', source.managementUnit.id, 'not back in the management unit')]
      : []),
  ];
}

/** What a finished deactivation should show, and does not. */
export function deactivationMisses(before: UserSnapshot, after: UserSnapshot): LeftItem[] {
  const miss = (kind: string, id: string, why: string, name?: string): LeftItem => ({ kind, id, ...(name ? { name } : {}), why: `did not take: ${why}` });
  return [
    ...(after.user.state === 'inactive' ? [] : [miss('state', after.user.id, `state is ${after.user.state}`)]),
    ...(after.routingStatus === 'OFF_QUEUE' ? [] : [miss('routing_status', after.routingStatus ?? 'unknown', 'routing status is not OFF_QUEUE')]),
    ...(isOffline(after.presence.systemPresence) ? [] : [miss('presence', after.presence.systemPresence ?? 'unknown', 'presence is not Offline')]),
    ...ownQueues(after).map((q) => miss('queue', q.id, 'still a direct member (queue changes apply asynchronously; re-run to check again)', q.name)),
    ...after.skills.map((s) => miss('skill', s.id, 'still assigned', s.name)),
    ...after.languages.map((l) => miss('language', l.id, 'still assigned', l.name)),
    ...ownGrants(after).map((g) => miss('role_grant', grantKey(g), 'still granted to the user', g.roleName)),
    ...offboardingMisses(before, after, miss),
    ...externalIdMisses(before, after),
  ];
}

/** What a finished reactivation should show, and does not. */
export function reactivationMisses(source: UserSnapshot, after: UserSnapshot): LeftItem[] {
  const miss = (kind: string, id: string, why: string, name?: string): LeftItem => ({ kind, id, ...(name ? { name } : {}), why: `did not take: ${why}` });
  const queues = new Map(ownQueues(after).map((q) => [q.id, q]));
  const skills = new Map(after.skills.map((s) => [s.id, s.proficiency]));
  const languages = new Map(after.languages.map((l) => [l.id, l.proficiency]));
  const grants = new Set(ownGrants(after).map(grantKey));
  return [
    ...(after.user.state === 'active' ? [] : [miss('state', after.user.id, `state is ${after.user.state}`)]),
    ...ownQueues(source).flatMap((q) => (queues.get(q.id)?.joined === q.joined ? [] : [miss('queue', q.id, queues.has(q.id) ? 'joined flag differs' : 'not a member', q.name)])),
    ...source.skills.flatMap((s) => (skills.get(s.id) === s.proficiency ? [] : [miss('skill', s.id, 'missing or other proficiency', s.name)])),
    ...source.languages.flatMap((l) => (languages.get(l.id) === l.proficiency ? [] : [miss('language', l.id, 'missing or other proficiency', l.name)])),
    ...ownGrants(source).flatMap((g) => (grants.has(grantKey(g)) ? [] : [miss('role_grant', grantKey(g), 'not granted', g.roleName)])),
    ...restoreMisses(source, after, miss),
    ...externalIdMisses(source, after),
  ];
}

function externalIdMisses(before: UserSnapshot, after: UserSnapshot): LeftItem[] {
  const key = (e: { authorityName: string; externalKey: string }) => `${e.authorityName}\u0000${e.externalKey}`;
  const was = new Set(before.externalIds.map(key));
  const is = new Set(after.externalIds.map(key));
  const same = was.size === is.size && [...was].every((k) => is.has(k));
  return same ? [] : [{ kind: 'external_id', id: after.user.id, why: 'external ids differ from the snapshot (runs never touch them: someone else changed them)' }];
}
