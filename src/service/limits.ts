import { totalmem } from 'node:os';
import type { LimitsConfig } from '../config/types';
import { type HandoffTap, MemoryLimiter, type RequestGuardOptions, containerMemoryLimitBytes } from '../receiver/limits/index';
import type { Logger } from '../telemetry/logger';

const MIB = 1024 * 1024;

/**
 * The memory limiter, or undefined when off: ENRICHER_MEMORY_LIMIT_MIB=0, or
 * unset outside a memory-limited container.
 */
export function buildMemoryLimiter(config: LimitsConfig['memory'], logger: Logger, readMemory?: () => number): MemoryLimiter | undefined {
  const constrained = process.constrainedMemory?.();
  const limitBytes = config.limitBytes ?? containerMemoryLimitBytes(constrained, totalmem());
  if (!limitBytes) {
    logger.info('memory limiter off (ENRICHER_MEMORY_LIMIT_MIB unset outside a memory-limited container, or 0)');
    return undefined;
  }
  if (config.spikeBytes !== undefined && config.spikeBytes >= limitBytes) {
    throw new Error(`ENRICHER_MEMORY_SPIKE_MIB (${config.spikeBytes / MIB}) must be below the memory limit (${Math.floor(limitBytes / MIB)} MiB)`);
  }
  const rssLimitBytes = config.rssLimitBytes ?? containerRssBackstopBytes(constrained, totalmem());
  const limiter = new MemoryLimiter({ limitBytes, spikeBytes: config.spikeBytes, checkIntervalMs: config.checkIntervalMs, rssLimitBytes, readMemory, logger });
  const { softLimitBytes } = limiter.stats();
  logger.info(
    {
      limitMiB: Math.floor(limitBytes / MIB),
      softLimitMiB: Math.floor(softLimitBytes / MIB),
      rssLimitMiB: Math.floor(rssLimitBytes / MIB),
      from: config.limitBytes === undefined ? 'container' : 'ENRICHER_MEMORY_LIMIT_MIB',
    },
    'memory limiter on',
  );
  return limiter;
}

/**
 * The RSS backstop when none is configured: 95% of the container's memory
 * limit (the kernel's OOM killer acts at 100%), 0 (off) outside a container.
 */
export function containerRssBackstopBytes(constrainedBytes: number | undefined, totalBytes: number): number {
  if (constrainedBytes === undefined || !(constrainedBytes > 0) || constrainedBytes >= totalBytes) return 0;
  return Math.floor(constrainedBytes * 0.95);
}

/** What each receiver's RequestGuard applies: the configured cap and deadline, the memory limiter, its hand-off tap. */
export function guardOptions(limits: LimitsConfig, memory: MemoryLimiter | undefined, handoffs: HandoffTap): RequestGuardOptions {
  return {
    maxConcurrentRequests: limits.maxConcurrentRequests,
    requestTimeoutMs: limits.requestTimeoutMs,
    admissions: memory ? [memory] : [],
    handoffs,
  };
}
