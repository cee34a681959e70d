import type { GenesysUser, UserState } from '../types';
import { normalizeUserId } from '../userId';

const STATES: ReadonlySet<string> = new Set<UserState>(['active', 'inactive', 'deleted']);

/** The fields of a Genesys user entity this service reads (a subset of the SDK's Models.User). */
export interface UserEntity {
  readonly id?: string;
  readonly name?: string;
  readonly username?: string;
  readonly email?: string;
  readonly state?: string;
  readonly division?: { readonly id?: string; readonly name?: string };
  readonly version?: number;
}

/**
 * A GenesysUser from an API entity, with a lowercase id; undefined when the
 * entity lacks a well-formed id or a known state (we would rather report the
 * look-up as failed than guess).
 */
export function mapUser(entity: UserEntity): GenesysUser | undefined {
  const id = typeof entity.id === 'string' ? normalizeUserId(entity.id) : undefined;
  if (!id || typeof entity.state !== 'string' || !STATES.has(entity.state)) return undefined;
  return Object.freeze({
    id,
    state: entity.state as UserState,
    ...optionalString('name', entity.name),
    ...optionalString('username', entity.username),
    ...optionalString('email', entity.email),
    ...(entity.division && typeof entity.division === 'object'
      ? {
          division: Object.freeze({
            ...optionalString('id', entity.division.id),
            ...optionalString('name', entity.division.name),
          }),
        }
      : {}),
    ...(typeof entity.version === 'number' ? { version: entity.version } : {}),
  });
}

function optionalString<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return (typeof value === 'string' ? { [key]: value } : {}) as { [P in K]?: string };
}
