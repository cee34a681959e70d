import type { GenesysUser, Resolution } from '../directory/types';

/** A definite answer as the fleet shares it in Redis (a `failed` one is never shared). */
export type SharedAnswer = Exclude<Resolution, { status: 'failed' }>;

/** Redis key of one user's shared answer. */
export function userKey(id: string): string {
  return `user:${id}`;
}

/** Redis key of the lock a replica holds while it asks Genesys about `id`. */
export function lockKey(id: string): string {
  return `lock:user:${id}`;
}

/** The channel on which changed users are announced to every replica. */
export const CHANGES_CHANNEL = 'changes';

export function encodeAnswer(answer: SharedAnswer): string {
  return JSON.stringify(answer.status === 'found' ? { s: 'f', u: answer.user } : { s: 'n' });
}

/** The answer stored at a user key, or undefined when it is not one (another version wrote it, or garbage). */
export function decodeAnswer(text: string | null | undefined): SharedAnswer | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as { s?: unknown; u?: unknown };
    if (v.s === 'n') return NOT_FOUND;
    if (v.s === 'f' && isUser(v.u)) return Object.freeze({ status: 'found', user: Object.freeze(v.u) });
  } catch {
    // not ours
  }
  return undefined;
}

/** A change announced on CHANGES_CHANNEL: the user as it is now, from the replica `origin`. */
export interface ChangeMessage {
  readonly origin: string;
  readonly user: GenesysUser;
}

export function encodeChange(change: ChangeMessage): string {
  return JSON.stringify({ o: change.origin, u: change.user });
}

export function decodeChange(text: string): ChangeMessage | undefined {
  try {
    const v = JSON.parse(text) as { o?: unknown; u?: unknown };
    if (typeof v.o === 'string' && isUser(v.u)) return { origin: v.o, user: v.u };
  } catch {
    // not ours
  }
  return undefined;
}

const NOT_FOUND: SharedAnswer = Object.freeze({ status: 'not_found' });
const STATES = new Set(['active', 'inactive', 'deleted']);

function isUser(u: unknown): u is GenesysUser {
  if (u === null || typeof u !== 'object') return false;
  const user = u as Record<string, unknown>;
  return typeof user.id === 'string' && typeof user.state === 'string' && STATES.has(user.state);
}
