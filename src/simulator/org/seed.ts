import type { DemoOrg } from '../types';
import { seededRandom, type Random } from '../prng';
import {
  DEPARTMENTS, DIVISION_NAMES, EMAIL_DOMAIN, EXTERNAL_AUTHORITY, FIRST_NAMES, GROUP_NAMES, LANGUAGE_NAMES,
  LAST_NAMES, QUEUE_NAMES, ROLE_NAMES, SKILL_NAMES, SYSTEM_PRESENCES, TITLES,
} from './names';
import { OrgStore, type RoutingStatusValue, type UserRecord } from './store';

/** Seed of the demo org; the same seed gives the same ids, names and assignments. */
export const DEMO_SEED = 'genesys-otel-enricher demo org v1';

/** How many users of each kind the demo org has. */
export const DEMO_COUNTS = { active: 30, inactive: 8, deleted: 5, unknown: 3 } as const;

/** Timestamps in the seeded data count back from here, so they never depend on the clock. */
const SEED_EPOCH = Date.parse('2025-06-02T08:00:00.000Z');

/**
 * Builds the org: always a home division and the system presences; with
 * `demo`, the demo contact center (divisions, queues, groups, skills,
 * languages, roles and grants, users in every state, external ids).
 */
export function buildOrg(options: { seed: string; demo: boolean }): { store: OrgStore; org: DemoOrg } {
  const random = seededRandom(options.seed);
  const store = new OrgStore();
  const divisionNames = options.demo ? DIVISION_NAMES : DIVISION_NAMES.slice(0, 1);
  divisionNames.forEach((name, i) => store.divisions.set(...entry({ id: random.uuid(), name, homeDivision: i === 0 })));
  for (const systemPresence of SYSTEM_PRESENCES) {
    store.presenceDefinitions.push({ id: random.uuid(), systemPresence, label: systemPresence });
  }
  const org: DemoOrg = options.demo ? seedDemo(store, random) : { active: [], inactive: [], deleted: [], unknown: [] };
  while (org.unknown.length < DEMO_COUNTS.unknown) {
    const id = random.uuid();
    if (!store.users.has(id)) org.unknown.push(id);
  }
  return { store, org };
}

function entry<T extends { id: string }>(value: T): [string, T] {
  return [value.id, value];
}

function seedDemo(store: OrgStore, random: Random): DemoOrg {
  const ids = (names: readonly string[]) => names.map((name) => ({ id: random.uuid(), name }));
  for (const skill of ids(SKILL_NAMES)) store.skills.set(...entry(skill));
  for (const language of ids(LANGUAGE_NAMES)) store.languages.set(...entry(language));
  for (const role of ids(ROLE_NAMES)) store.roles.set(...entry(role));
  for (const group of ids(GROUP_NAMES)) store.groups.set(...entry({ ...group, memberIds: new Set<string>() }));
  const [home, emea, americas] = [...store.divisions.values()];
  const [tier2Group, leadsGroup, nightGroup] = [...store.groups.values()];
  const queueDivisions = [emea, emea, home, americas, americas, home];
  const queueGroups = [[nightGroup.id], [tier2Group.id], [], [], [], [leadsGroup.id]];
  ids(QUEUE_NAMES).forEach((queue, i) =>
    store.queues.set(...entry({ ...queue, divisionId: queueDivisions[i].id, memberGroupIds: queueGroups[i], members: new Map() })),
  );

  const users = createUsers(store, random);
  const byState = (state: string) => users.filter((u) => u.state === state).map((u) => u.id);
  const active = byState('active');
  const inactive = byState('inactive');
  assignAccess(store, random, active, inactive);
  users.forEach((user, i) =>
    store.externalIds.push({ userId: user.id, authorityName: EXTERNAL_AUTHORITY, externalKey: `E${10001 + i}` }),
  );
  seedStationsAndUnits(store, active);
  return { active, inactive, deleted: byState('deleted'), unknown: [] };
}

/**
 * Stations and workforce management units, from a random source of their own
 * so the ids seeded before them stay what they were. The first ten active
 * users have a default station; the first five are also logged in on it.
 * Every active user is an agent of one of two management units.
 */
function seedStationsAndUnits(store: OrgStore, active: readonly string[]): void {
  const random = seededRandom(`${DEMO_SEED} stations`);
  const units = ['EMEA Agents', 'Americas Agents'].map((name) => ({ id: random.uuid(), name }));
  for (const unit of units) store.managementUnits.set(unit.id, unit);
  for (let i = 0; i < 14; i++) {
    const station = { id: random.uuid(), name: `WebRTC Phone ${String(i + 1).padStart(2, '0')}`, type: 'inin_webrtc_softphone' };
    store.stations.set(station.id, station);
  }
  const stations = [...store.stations.keys()];
  active.forEach((id, i) => {
    const user = store.users.get(id)!;
    user.managementUnitId = units[i % 2]!.id;
    if (i < 10) user.defaultStationId = stations[i];
    if (i < 5) user.associatedStationId = stations[i];
  });
}

function createUsers(store: OrgStore, random: Random): UserRecord[] {
  const total = DEMO_COUNTS.active + DEMO_COUNTS.inactive + DEMO_COUNTS.deleted;
  const others = FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => [first, last] as const)).filter(
    ([first, last]) => !(first === 'Amelia' && last === 'Hart'),
  );
  const names = [['Amelia', 'Hart'] as const, ...random.sample(others, total - 1)];
  const divisions = [...store.divisions.values()];
  return names.map(([first, last], i) => {
    const state = i < DEMO_COUNTS.active ? 'active' : i < DEMO_COUNTS.active + DEMO_COUNTS.inactive ? 'inactive' : 'deleted';
    const divisionId = state === 'deleted' ? divisions[0].id : random.pick(divisions).id;
    const user = newUser(store, { id: random.uuid(), name: `${first} ${last}`, divisionId });
    user.state = state;
    user.department = random.pick(DEPARTMENTS);
    user.title = i < 3 ? 'Team Lead' : random.pick(TITLES);
    user.version = random.int(1, 6);
    user.dateLastLogin = new Date(SEED_EPOCH - random.int(0, 30 * 24 * 60) * 60_000).toISOString();
    if (state === 'active') {
      const status: RoutingStatusValue = random.pick(['IDLE', 'OFF_QUEUE', 'INTERACTING'] as const);
      user.routingStatus = { status, startTime: new Date(SEED_EPOCH - random.int(1, 480) * 60_000).toISOString() };
      user.presence.definitionId = store.systemPresence(random.pick(['Available', 'On Queue', 'Away', 'Busy', 'Meal'])).id;
      user.activeSessions = random.int(1, 3);
    } else if (state === 'inactive') {
      user.stateChangeReason = random.pick(['Voluntary', 'Leave', 'Seasonal']);
      user.stateChangeDate = new Date(SEED_EPOCH - random.int(1, 90) * 86_400_000).toISOString();
      // A few deactivated agents still hold sessions: what revoking tokens is for.
      user.activeSessions = i < DEMO_COUNTS.active + 3 ? 1 : 0;
    } else {
      user.stateChangeDate = new Date(SEED_EPOCH - random.int(91, 400) * 86_400_000).toISOString();
    }
    if (state !== 'deleted') {
      for (const skill of random.sample([...store.skills.keys()], random.int(1, 3))) user.skills.set(skill, random.int(1, 5));
      const [english, ...otherLanguages] = [...store.languages.keys()];
      user.languages.set(english, 5);
      if (random.next() < 0.5) user.languages.set(random.pick(otherLanguages), random.int(2, 5));
    }
    store.users.set(user.id, user);
    return user;
  });
}

/** A new user with neutral defaults: active, version 1, off queue, Offline, no assignments. */
export function newUser(store: OrgStore, fields: { id: string; name: string; divisionId: string }): UserRecord {
  const local = fields.name.toLowerCase().replace(/[^a-z0-9]+/g, '.').replace(/^\.|\.$/g, '');
  const email = `${local}@${EMAIL_DOMAIN}`;
  const at = new Date(SEED_EPOCH).toISOString();
  return {
    id: fields.id,
    name: fields.name,
    username: email,
    email,
    state: 'active',
    title: '',
    department: '',
    divisionId: fields.divisionId,
    version: 1,
    routingStatus: { status: 'OFF_QUEUE', startTime: at },
    presence: { definitionId: store.systemPresence('Offline').id, message: '', modifiedDate: at },
    skills: new Map(),
    languages: new Map(),
    activeSessions: 0,
  };
}

/** Grants, group memberships, queue memberships and managers of the seeded users. */
function assignAccess(store: OrgStore, random: Random, active: string[], inactive: string[]): void {
  const [home, emea] = [...store.divisions.values()];
  const [employee, agent, supervisor, evaluator, admin] = [...store.roles.values()];
  const [tier2Group, leadsGroup, nightGroup] = [...store.groups.values()];
  const [tier1, tier2, billing, sales, retention] = [...store.queues.values()];
  const leads = active.slice(0, 3);
  for (const id of [...active, ...inactive]) {
    const user = store.users.get(id)!;
    store.addGrant(id, { roleId: employee.id, divisionId: home.id });
    store.addGrant(id, { roleId: agent.id, divisionId: user.divisionId });
    if (!leads.includes(id)) user.managerId = random.pick(leads);
    for (const queue of random.sample([tier1, billing, sales, retention], random.int(1, 3))) {
      store.setDirectMembership(queue.id, id, true);
      store.queues.get(queue.id)!.members.get(id)!.joined = random.next() < 0.75;
    }
  }
  for (const id of leads) store.addGrant(id, { roleId: supervisor.id, divisionId: store.users.get(id)!.divisionId });
  // Held both directly and through Team Leads: listed once unless includeDuplicates=true.
  store.addGrant(leads[0], { roleId: supervisor.id, divisionId: home.id });
  store.addGrant(active[3], { roleId: admin.id, divisionId: home.id });
  // Group-held grants: members inherit them, but they are the group's, not the user's, to remove.
  store.addGrant(leadsGroup.id, { roleId: supervisor.id, divisionId: home.id });
  store.addGrant(leadsGroup.id, { roleId: evaluator.id, divisionId: emea.id });
  store.addGrant(tier2Group.id, { roleId: agent.id, divisionId: emea.id });
  for (const id of [...leads, inactive[0]]) store.addToGroup(leadsGroup.id, id);
  for (const id of [...active.slice(4, 10), inactive[1]]) store.addToGroup(tier2Group.id, id);
  for (const id of active.slice(10, 14)) store.addToGroup(nightGroup.id, id);
  // Both direct and through a group: removing the direct membership leaves the group one.
  store.setDirectMembership(tier2.id, active[4], true);
}

/**
 * The ids of the demo org every default simulator serves (same seed, same
 * ids), without starting one: for traffic generators running elsewhere.
 */
export function demoAgents(): DemoOrg {
  return buildOrg({ seed: DEMO_SEED, demo: true }).org;
}
