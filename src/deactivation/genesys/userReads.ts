import type { CallOptions } from '../../directory/genesys/genesysClient';
import { GenesysError } from '../../directory/genesys/errors';
import type { GenesysCaller } from '../../directory/lookup/userLookup';
import { mapUser, type UserEntity } from '../../directory/lookup/mapUser';
import type { ExternalId, PresenceState, ProficiencyAssignment, QueueMembership, RoleGrant, SnapshotUser } from '../snapshot';
import { allPages, type Page } from './paging';

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

  /** Joined and unjoined memberships (two listings, each paged). */
  async queues(id: string): Promise<QueueMembership[]> {
    const list = (joined: boolean) =>
      allPages<QueueEntity>((pageNumber) =>
        this.client.call('getUserQueues', (apis) => apis.users.getUserQueues(id, { joined, pageSize: this.pageSize, pageNumber }), this.call) as Promise<Page<QueueEntity>>,
      );
    const [joined, unjoined] = [await list(true), await list(false)];
    return [...joined, ...unjoined].filter((q) => typeof q.id === 'string').map(toMembership);
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
    let entity: UserEntity;
    try {
      entity = (await this.client.call('getUser', (apis) => apis.users.getUser(id, state ? { state } : {}), this.call)) as UserEntity;
    } catch (err) {
      if (err instanceof GenesysError && err.status === 404) return undefined;
      throw err;
    }
    const user = mapUser(entity);
    if (!user || typeof user.version !== 'number') {
      throw new GenesysError({ status: 200, code: 'malformed_response', retryable: false, operation: 'getUser', detail: 'user without id, state or version' });
    }
    return user as SnapshotUser;
  }
}

interface QueueEntity {
  id?: string;
  name?: string;
  joined?: boolean;
  memberBy?: string;
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

function toMembership(q: QueueEntity): QueueMembership {
  const groups = (q.memberGroups ?? []).flatMap((g) => (typeof g.id === 'string' ? [{ id: g.id, name: g.name }] : []));
  return {
    id: q.id as string,
    name: q.name,
    joined: q.joined === true,
    // The SDK's UserQueue model has no memberBy; without it the membership is taken as the user's own,
    // and the read-back reports it if removing it did not take.
    memberBy: q.memberBy === 'group' ? 'group' : 'user',
    ...(groups.length > 0 ? { groups } : {}),
  };
}

function toProficiency(e: ProficiencyEntity): ProficiencyAssignment[] {
  return typeof e.id === 'string' ? [{ id: e.id, name: e.name, proficiency: typeof e.proficiency === 'number' ? e.proficiency : 0 }] : [];
}
