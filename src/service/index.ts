export { startService } from './service';
export type { RunningService, ServiceDeps } from './service';
