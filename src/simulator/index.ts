export { startSimulator } from './server';
export type { Simulator } from './server';
export { describeSimulator } from './describe';
export type { UserInspection } from './inspect';
export { CONTROL_PREFIX } from './control';
export { DEMO_COUNTS, DEMO_SEED, demoAgents } from './org/seed';
export { EXTERNAL_AUTHORITY, EMAIL_DOMAIN } from './org/names';
export type {
  DemoOrg,
  FaultSwitches,
  RunningSimulator,
  SimulatedUser,
  SimulatorOptions,
  SimulatorStats,
} from './types';
