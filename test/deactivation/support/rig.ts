/**
 * Shared fixtures for the deactivation specs: a Genesys simulator on port 0
 * behind the real SDK and GenesysClient, a journal in a fresh temporary data
 * directory, and Deactivators built on them.
 */
import type { GenesysClient } from '../../../src/directory/genesys/genesysClient';
import type { GenesysCaller } from '../../../src/directory/lookup/userLookup';
import { Deactivator, type DeactivatorOptions } from '../../../src/deactivation/deactivator';
import { FileRunJournal, type FileRunJournalOptions } from '../../../src/deactivation/journal/fileRunJournal';
import { startSimulator, type Simulator, type SimulatorOptions, type UserInspection } from '../../../src/simulator/index';
import { silentLogger } from '../../../src/telemetry/logger';
import { clientFor } from '../../directory/support/directoryFixtures';
import { tempDataDir } from './dataDir';


export interface Rig {
  readonly sim: Simulator;
  readonly client: GenesysClient;
  readonly dataDir: string;
  /** A Deactivator on this rig's simulator and data directory; `client` wraps or replaces the real one. */
  deactivator(options?: Partial<DeactivatorOptions> & { wrap?: (client: GenesysClient) => GenesysCaller; journal?: Partial<FileRunJournalOptions> }): Deactivator;
  journal(options?: Partial<FileRunJournalOptions>): FileRunJournal;
  close(): Promise<void>;
}

export async function startRig(options: { sim?: SimulatorOptions } = {}): Promise<Rig> {
  const sim = await startSimulator({ port: 0, ...options.sim });
  const client = clientFor(sim);
  const data = await tempDataDir();
  const journal = (o: Partial<FileRunJournalOptions> = {}) => new FileRunJournal({ dataDir: data.dir, ...o });
  return {
    sim,
    client,
    dataDir: data.dir,
    journal,
    deactivator: ({ wrap, journal: journalOptions, ...o } = {}) =>
      new Deactivator({ client: wrap ? wrap(client) : client, journal: journal(journalOptions), logger: silentLogger(), ...o }),
    close: async () => {
      client.close();
      await sim.close();
      await data.remove();
    },
  };
}

/** Actor used by the specs. */
export const ACTOR = 'test:spec';

/** Routes of requests that change something (anything but GETs and the token request). */
export function changingRoutes(sim: Simulator): string[] {
  return Object.keys(sim.stats().byRoute).filter((route) => !route.startsWith('GET ') && route !== 'POST /oauth/token');
}

/** A user's inspection in a form two simulators can be compared by (lists sorted, order-free). */
export function comparable(inspection: UserInspection | undefined): unknown {
  if (!inspection) return undefined;
  const byId = <T extends { id: string }>(items: readonly T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));
  return {
    ...inspection,
    queues: byId(inspection.queues),
    skills: byId(inspection.skills),
    languages: byId(inspection.languages),
    grants: [...inspection.grants].sort((a, b) => `${a.roleId}${a.divisionId}${a.subjectId}`.localeCompare(`${b.roleId}${b.divisionId}${b.subjectId}`)),
    groups: byId(inspection.groups),
  };
}

/** The seeded users the specs lean on (same seed, same ids in every simulator). */
export function subjects(sim: Simulator): {
  /** Oliver Mensah: own joined and unjoined queues, a group queue, skills, a language, own and group grants, INTERACTING, Busy. */
  full: string;
  /** Julia Okafor: Support Tier 2 both directly and through a group. */
  directAndGroup: string;
} {
  return { full: sim.org.active[2]!, directAndGroup: sim.org.active[4]! };
}
