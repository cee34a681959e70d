import type { RunAction } from '../journal/records';
import { refreshCache } from './cache';
import { moveToOffboardingDivision, removeFromManagementUnit, removeGroups, restoreDivision, restoreGroups, restoreManagementUnit } from './offboarding';
import { removeLanguages, removeSkills, restoreLanguages, restoreSkills } from './proficiencies';
import { removeQueues, restoreQueues } from './queues';
import { removeRoleGrants, restoreRoleGrants } from './roleGrants';
import { presenceNotRestored, presenceOffline, routingNotRestored, routingOffQueue } from './routing';
import { revokeSessions, sessionsNotApplicable } from './sessions';
import { stateActive, stateInactive } from './state';
import { clearStations, restoreDefaultStation } from './stations';
import type { Step } from './types';
import { verify } from './verify';

/**
 * The steps after the snapshot. Deactivation takes access away first and
 * turns the state inactive last but one (sessions are revoked after it, or
 * single sign-on logs the user straight back in).
 *
 * Reactivation puts everything but the role grants back while the user is
 * still inactive (a run cut short there leaves a user who cannot log in),
 * then turns the state active, then re-applies the user's own grants: Genesys
 * may strip a user's own roles at a state change and does not restore them,
 * so grants added before it could be lost. The verify step reads them back.
 */
export const STEPS: Readonly<Record<RunAction, readonly Step[]>> = Object.freeze({
  deactivate: [
    routingOffQueue, presenceOffline, clearStations, removeQueues, removeSkills, removeLanguages, removeGroups, removeRoleGrants,
    moveToOffboardingDivision, removeFromManagementUnit, stateInactive, revokeSessions, verify, refreshCache,
  ],
  reactivate: [
    routingNotRestored, presenceNotRestored, restoreDefaultStation, restoreQueues, restoreSkills, restoreLanguages, restoreGroups,
    restoreDivision, restoreManagementUnit, stateActive, restoreRoleGrants, sessionsNotApplicable, verify, refreshCache,
  ],
});
