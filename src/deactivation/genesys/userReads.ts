import type { CallOptions } from '../../directory/genesys/genesysClient';
import { GenesysError } from '../../directory/genesys/errors';
import type { GenesysCaller } from '../../directory/lookup/userLookup';
import { mapUser, type UserEntity } from '../../directory/lookup/mapUser';
import type { ExternalId, PresenceState, ProficiencyAssignment, QueueMembership, Ref, RoleGrant, SnapshotUser, StationAssignment } from '../snapshot';
import { allPages, MAX_PAGES, type Page } from './paging';

/** Largest page of `GET /api/v2/routing/queues/{queueId}/members` (the SDK: "Max value is 100"). */
export const QUEUE_MEMBER_PAGE_SIZE = 100;

/** A single-user look-up (genesys-api.md: plain GET, then `state=deleted` on 404). */
export type UserRead =
  | { readonly status: 'found'; readonly user: SnapshotUser }
  | { readonly status: 'deleted'; readonly user: SnapshotUser }
  | { readonly status: 'not_found' };

/** A system presence definition. */
export interface PresenceDefinition {
  readonly id: string;
  readonly systemPresence: string;
}

/**
 * The reads a run makes, each one SDK call (or one per page) through the
 * client, mapped to the plain types of ../snapshot. Operation names all start
 * with `get`: tests and logs tell reads from changes by that. Failures reject
 * with the client's GenesysError.
 */
export class UserReads {
  /** Groups that came with the last `user(id)` read, by user id, until `groups(id)` takes them. */
  readonly #groupsRead = new Map<string, Ref[] | undefined>();

  constructor(
    private readonly client: GenesysCaller,
    private readonly call: CallOptions,
    /** Entities per page for listings, 1..500. */
    private readonly pageSize: number,
  ) {}

  async user(id: string): Promise<UserRead> {
    const found = await this.#userInState(id, undefined);
    if (found) return { status: 'found', user: found };
    const deleted = await this.#userInState(id, 'deleted');
    return deleted ? { status: 'deleted', user: deleted } : { status: 'not_found' };
  }

  /**
   * Joined and unjoined memberships, each classified. `GET /users/{id}/queues`
   * (two listings, each paged) finds the queues; its `UserQueue` has no
   * `memberBy`, so each queue's member listing (`memberBy=user`, paged until
   * an empty page) tells whether the membership is the user's own. One that
   * is not comes through a group; one that is may also come through a group
   * the user belongs to (`userGroups`): that is listed as a second entry.
   * SDK 262 cannot send the listing's `id` filter, so the user is looked for
   * in the pages, stopping at the page that has them.
   */
  async queues(id: string, userGroups?: readonly Ref[]): Promise<QueueMembership[]> {
    const list = (joined: boolean) =>
      allPages<QueueEntity>((pageNumber) =>
        this.client.call('getUserQueues', (apis) => apis.users.getUserQueues(id, { joined, pageSize: this.pageSize, pageNumber }), this.call) as Promise<Page<QueueEntity>>,
      );
    const [joined, unjoined] = [await list(true), await list(false)];
    const memberships: QueueMembership[] = [];
    for (const queue of [...joined, ...unjoined]) {
      if (typeof queue.id !== 'string') continue;
      const own = await this.isDirectMember(queue.id, id);
      memberships.push(...classify(queue, own, userGroups));
    }
    return memberships;
  }

  /** Whether the user is a direct (`memberBy: user`) member of the queue. */
  async isDirectMember(queueId: string, userId: string): Promise<boolean> {
    for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
      const page = (await this.client.call(
        'getRoutingQueueMembers',
        (apis) => apis.routing.getRoutingQueueMembers(queueId, { memberBy: 'user', pageSize: QUEUE_MEMBER_PAGE_SIZE, pageNumber }),
        this.call,
      )) as Page<QueueMemberEntity>;
      const entities = Array.isArray(page?.entities) ? page.entities : [];
      if (entities.length === 0) return false;
      if (entities.some((m) => (m.id ?? m.user?.id)?.toLowerCase() === userId)) return true;
    }
    throw new GenesysError({ status: 200, code: 'too_many_pages', retryable: false, operation: 'getRoutingQueueMembers', detail: `more than ${MAX_PAGES} pages` });
  }

  /** The user's stations. */
  async stations(id: string): Promise<StationAssignment> {
    const body = (await this.client.call('getUserStation', (apis) => apis.users.getUserStation(id), this.call)) as {
      associatedStation?: StationEntity;
      defaultStation?: StationEntity;
    };
    const associated = toRef(body?.associatedStation);
    const byDefault = toRef(body?.defaultStation);
    return { ...(associated ? { associated } : {}), ...(byDefault ? { default: byDefault } : {}) };
  }

  /**
   * The groups the user is a member of (`GET /api/v2/users/{id}?expand=groups`,
   * the only way the API offers): taken from the last `user(id)` read of this
   * UserReads, which asks for them, else read now. Undefined when Genesys did
   * not return them: the SDK documents expansions as best effort.
   */
  async groups(id: string): Promise<Ref[] | undefined> {
    if (this.#groupsRead.has(id)) {
      const seen = this.#groupsRead.get(id);
      this.#groupsRead.delete(id);
      return seen;
    }
    const entity = (await this.client.call('getUser', (apis) => apis.users.getUser(id, { expand: ['groups'] }), this.call)) as UserEntity & { groups?: StationEntity[] };
    return groupsOf(entity);
  }

  /** The user's workforce management unit, or null when in none (404). */
  async managementUnit(id: string): Promise<Ref | null> {
    try {
      const body = (await this.client.call(
        'getWorkforcemanagementAgentManagementunit',
        (apis) => apis.workforceManagement.getWorkforcemanagementAgentManagementunit(id),
        this.call,
      )) as { managementUnit?: StationEntity };
      return toRef(body?.managementUnit) ?? null;
    } catch (err) {
      if (err instanceof GenesysError && err.status === 404) return null;
      throw err;
    }
  }

  /** The user an outside system's key names (`GET /api/v2/users/externalid/{authority}/{key}`), or undefined (404). */
  async byExternalId(authorityName: string, externalKey: string): Promise<SnapshotUser | undefined> {
    try {
      const entity = await this.client.call(
        'getUsersExternalidAuthorityNameExternalKey',
        (apis) => apis.users.getUsersExternalidAuthorityNameExternalKey(authorityName, externalKey),
        this.call,
      );
      return checkedUser(entity as UserEntity, 'getUsersExternalidAuthorityNameExternalKey');
    } catch (err) {
      if (err instanceof GenesysError && err.status === 404) return undefined;
      throw err;
    }
  }

  /**
   * Users whose email is exactly `email` (`POST /api/v2/users/search`, EXACT
   * on `email`). Search is eventually consistent: a change of the last
   * minutes may not show yet. At most 25 matches.
   */
  async byEmail(email: string): Promise<SnapshotUser[]> {
    const body = (await this.client.call(
      'postUsersSearch',
      (apis) => apis.users.postUsersSearch({ pageSize: 25, pageNumber: 1, query: [{ type: 'EXACT', fields: ['email'], value: email }] }),
      this.call,
    )) as { results?: UserEntity[] };
    return (body?.results ?? []).flatMap((e) => {
      const user = mapUser(e);
      return user && typeof user.version === 'number' ? [user as SnapshotUser] : [];
    });
  }

  async skills(id: string): Promise<ProficiencyAssignment[]> {
    const entities = await allPages<ProficiencyEntity>((pageNumber) =>
      this.client.call('getUserRoutingskills', (apis) => apis.users.getUserRoutingskills(id, { pageSize: this.pageSize, pageNumber }), this.call) as Promise<Page<ProficiencyEntity>>,
    );
    return entities.flatMap(toProficiency);
  }

  async languages(id: string): Promise<ProficiencyAssignment[]> {
    const entities = await allPages<ProficiencyEntity>((pageNumber) =>
      this.client.call('getUserRoutinglanguages', (apis) => apis.users.getUserRoutinglanguages(id, { pageSize: this.pageSize, pageNumber }), this.call) as Promise<Page<ProficiencyEntity>>,
    );
    return entities.flatMap(toProficiency);
  }

  /** Own and inherited grants; `includeDuplicates` so a grant held both ways is seen both ways. */
  async grants(id: string): Promise<RoleGrant[]> {
    const subject = (await this.client.call(
      'getAuthorizationSubject',
      (apis) => apis.authorization.getAuthorizationSubject(id, { includeDuplicates: true }),
      this.call,
    )) as { grants?: GrantEntity[] };
    return (subject.grants ?? []).flatMap((g) => {
      const roleId = g.role?.id;
      const divisionId = g.division?.id;
      if (typeof roleId !== 'string' || typeof divisionId !== 'string') return [];
      return [{ roleId, roleName: g.role?.name, divisionId, divisionName: g.division?.name, subjectId: (g.subjectId ?? id).toLowerCase() }];
    });
  }

  async routingStatus(id: string): Promise<string | undefined> {
    const body = (await this.client.call('getUserRoutingstatus', (apis) => apis.users.getUserRoutingstatus(id), this.call)) as { status?: string };
    return typeof body?.status === 'string' ? body.status : undefined;
  }

  async presence(id: string): Promise<PresenceState> {
    const body = (await this.client.call('getUserPresencesPurecloud', (apis) => apis.presence.getUserPresencesPurecloud(id), this.call)) as {
      presenceDefinition?: { id?: string; systemPresence?: string };
    };
    const ref = body?.presenceDefinition;
    return { definitionId: ref?.id, systemPresence: ref?.systemPresence };
  }

  async externalIds(id: string): Promise<ExternalId[]> {
    const body = await this.client.call('getUserExternalid', (apis) => apis.users.getUserExternalid(id), this.call);
    return (Array.isArray(body) ? body : []).map((e) => ({ authorityName: e.authorityName, externalKey: e.externalKey }));
  }

  /** The org's presence definitions that are not deactivated. */
  async presenceDefinitions(): Promise<PresenceDefinition[]> {
    const body = (await this.client.call('getPresenceDefinitions0', (apis) => apis.presence.getPresenceDefinitions0(), this.call)) as {
      entities?: { id?: string; systemPresence?: string; deactivated?: boolean }[];
    };
    return (body?.entities ?? []).flatMap((d) =>
      typeof d.id === 'string' && typeof d.systemPresence === 'string' && d.deactivated !== true ? [{ id: d.id, systemPresence: d.systemPresence }] : [],
    );
  }

  async #userInState(id: string, state: 'deleted' | undefined): Promise<SnapshotUser | undefined> {
    let entity: UserEntity & { groups?: StationEntity[] };
    try {
      // The groups come along (one call less per snapshot); a deleted user has none.
      const options = state ? { state } : { expand: ['groups'] };
      entity = (await this.client.call('getUser', (apis) => apis.users.getUser(id, options), this.call)) as UserEntity & { groups?: StationEntity[] };
    } catch (err) {
      if (err instanceof GenesysError && err.status === 404) return undefined;
      throw err;
    }
    const user = checkedUser(entity, 'getUser');
    if (!state) this.#groupsRead.set(user.id, groupsOf(entity));
    return user;
  }
}

function checkedUser(entity: UserEntity, operation: string): SnapshotUser {
  const user = mapUser(entity);
  if (!user || typeof user.version !== 'number') {
    throw new GenesysError({ status: 200, code: 'malformed_response', retryable: false, operation, detail: 'user without id, state or version' });
  }
  return user as SnapshotUser;
}

interface QueueMemberEntity {
  id?: string;
  user?: { id?: string };
  memberBy?: string;
}

interface StationEntity {
  id?: string;
  name?: string;
}

function groupsOf(entity: { groups?: StationEntity[] }): Ref[] | undefined {
  return Array.isArray(entity?.groups) ? entity.groups.flatMap((g) => toRef(g) ?? []) : undefined;
}

function toRef(entity: StationEntity | undefined): Ref | undefined {
  return typeof entity?.id === 'string' ? { id: entity.id, ...(typeof entity.name === 'string' ? { name: entity.name } : {}) } : undefined;
}

interface QueueEntity {
  id?: string;
  name?: string;
  joined?: boolean;
  memberGroups?: { id?: string; name?: string }[];
}

interface ProficiencyEntity {
  id?: string;
  name?: string;
  proficiency?: number;
}

interface GrantEntity {
  subjectId?: string;
  role?: { id?: string; name?: string };
  division?: { id?: string; name?: string };
}

/**
 * A queue of `GET /users/{id}/queues` as memberships: own (`memberBy: user`
 * in the queue's listing), group-derived, or both. The queue's `memberGroups`
 * are the queue's, not the user's: intersected with the user's groups when
 * those are known.
 */
function classify(q: QueueEntity, own: boolean, userGroups: readonly Ref[] | undefined): QueueMembership[] {
  const queueGroups = (q.memberGroups ?? []).flatMap((g) => (typeof g.id === 'string' ? [{ id: g.id, ...(g.name ? { name: g.name } : {}) }] : []));
  const mine = userGroups ? queueGroups.filter((g) => userGroups.some((u) => u.id.toLowerCase() === g.id.toLowerCase())) : [];
  const base = { id: q.id as string, ...(q.name ? { name: q.name } : {}), joined: q.joined === true };
  const viaGroup: QueueMembership = { ...base, memberBy: 'group', ...(mine.length > 0 ? { groups: mine } : queueGroups.length > 0 ? { groups: queueGroups } : {}) };
  if (!own) return [viaGroup];
  return mine.length > 0 ? [{ ...base, memberBy: 'user' }, viaGroup] : [{ ...base, memberBy: 'user' }];
}

function toProficiency(e: ProficiencyEntity): ProficiencyAssignment[] {
  return typeof e.id === 'string' ? [{ id: e.id, name: e.name, proficiency: typeof e.proficiency === 'number' ? e.proficiency : 0 }] : [];
}
