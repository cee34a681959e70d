/** What every receiver applies around the pipeline, whatever its transport: memory limit, concurrency cap, deadline, span counting. */
export { MemoryLimiter } from './memoryLimiter';
export type { MemoryLimiterOptions, MemoryLimiterStats } from './memoryLimiter';
export { RequestGuard, REQUEST_GUARD_DEFAULTS } from './requestGuard';
export type { Admission, HandoffWatch, RequestGuardOptions, RequestGuardStats, Slot } from './requestGuard';
export { HandoffTap } from './handoffTap';
export type { HandoffStats } from './handoffTap';
export { containerMemoryLimitBytes, reclaimableMemory } from './memoryLimiter';
