import { grantKey, ownGrants, type RoleGrant, type UserSnapshot } from '../snapshot';
import type { LeftItem } from '../types';
import { applyPlan } from './plan';
import type { Step } from './types';

/** Deactivate: the user's own grants removed in bulk; grants inherited from groups reported with the group. */
export const removeRoleGrants: Step = {
  name: 'role_grants',
  run: (ctx) => {
    const snapshot = ctx.snapshot;
    const left = snapshot.grants.filter((g) => g.subjectId !== snapshot.user.id).map((g) => inherited(g, snapshot));
    const plan = { found: snapshot.grants.map(describe), targets: ownGrants(snapshot), left };
    return applyPlan(ctx, 'role_grants', plan, describe, (targets) => ctx.writes.removeGrants(ctx.userId, targets));
  },
};

/** Reactivate: the source snapshot's own grants added back in bulk. */
export const restoreRoleGrants: Step = {
  name: 'role_grants',
  run: (ctx) => {
    const current = new Set(ownGrants(ctx.snapshot).map(grantKey));
    const targets = ownGrants(ctx.source ?? ctx.snapshot).filter((g) => !current.has(grantKey(g)));
    return applyPlan(ctx, 'role_grants', { found: ctx.snapshot.grants.map(describe), targets }, describe, (grants) => ctx.writes.addGrants(ctx.userId, grants));
  },
};

function describe(grant: RoleGrant): { id: string; name: string } {
  return { id: grantKey(grant), name: `${grant.roleName ?? grant.roleId} in ${grant.divisionName ?? grant.divisionId}` };
}

function inherited(grant: RoleGrant, snapshot: UserSnapshot): LeftItem {
  // Subjects list the group's id only; a queue the group belongs to may name it.
  const groupName = snapshot.queues.flatMap((q) => q.groups ?? []).find((g) => g.id === grant.subjectId)?.name;
  return {
    ...describe(grant),
    kind: 'role_grant',
    why: `inherited from group ${groupName ? `${groupName} (${grant.subjectId})` : grant.subjectId}: it is the group's to remove`,
  };
}
