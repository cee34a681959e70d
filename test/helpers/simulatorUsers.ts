import type { UserState } from '../../src/directory/types';
import type { RunningSimulator } from '../../src/simulator/types';
import { mulberry32, randomUserId } from './otlpFixtures';

export interface AddUsersOptions {
  /** Seeds the ids, so a run adds the same users every time. */
  readonly seed: number;
  /** Names them `<label> <i>`, logins `<label, dotted>.<i>@example.com`. */
  readonly label: string;
  /** Each user's state; default every one active. */
  readonly stateOf?: (i: number) => UserState;
}

/** Adds `n` users to the simulator's org (division "Bench"); returns their ids. */
export function addUsers(sim: RunningSimulator, n: number, options: AddUsersOptions): string[] {
  const rng = mulberry32(options.seed);
  const login = options.label.toLowerCase().replace(/\s+/g, '.');
  return Array.from({ length: n }, (_, i) => {
    const id = randomUserId(rng);
    const address = `${login}.${i}@example.com`;
    sim.putUser({ id, name: `${options.label} ${i}`, username: address, email: address, state: options.stateOf?.(i) ?? 'active', division: { id: 'bench-division', name: 'Bench' } });
    return id;
  });
}
