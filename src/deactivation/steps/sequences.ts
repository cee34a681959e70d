import type { RunAction } from '../journal/records';
import { refreshCache } from './cache';
import { removeLanguages, removeSkills, restoreLanguages, restoreSkills } from './proficiencies';
import { removeQueues, restoreQueues } from './queues';
import { removeRoleGrants, restoreRoleGrants } from './roleGrants';
import { presenceNotRestored, presenceOffline, routingNotRestored, routingOffQueue } from './routing';
import { revokeSessions, sessionsNotApplicable } from './sessions';
import { stateActive, stateInactive } from './state';
import type { Step } from './types';
import { verify } from './verify';

/**
 * The steps after the snapshot, in the StepName order of ../types. The same
 * order serves reactivation: access comes back first and the state turns
 * active last, so a run cut short leaves an inactive user who cannot log in.
 */
export const STEPS: Readonly<Record<RunAction, readonly Step[]>> = Object.freeze({
  deactivate: [routingOffQueue, presenceOffline, removeQueues, removeSkills, removeLanguages, removeRoleGrants, stateInactive, revokeSessions, verify, refreshCache],
  reactivate: [routingNotRestored, presenceNotRestored, restoreQueues, restoreSkills, restoreLanguages, restoreRoleGrants, stateActive, sessionsNotApplicable, verify, refreshCache],
});
