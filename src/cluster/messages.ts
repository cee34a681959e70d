/** Messages between the cluster primary and its workers (node:cluster IPC). */
import type { FamilySnapshot } from '../telemetry/metricsRegistry';

/** Worker -> primary: the service is started and listening. */
export interface WorkerReady {
  readonly type: 'enricher:ready';
  readonly grpcPort: number;
  readonly adminPort: number;
}

/** Primary -> worker: stop accepting, drain, exit 0. */
export interface StopWorker {
  readonly type: 'enricher:stop';
}

export function isWorkerReady(m: unknown): m is WorkerReady {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'enricher:ready';
}

export function isStopWorker(m: unknown): m is StopWorker {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'enricher:stop';
}

/** Worker -> primary: a scrape reached this worker; answer with every worker's figures. */
export interface MetricsRequest {
  readonly type: 'enricher:metrics-request';
  readonly id: number;
}

/** Primary -> worker: report your figures for collection `id`. */
export interface MetricsCollect {
  readonly type: 'enricher:metrics-collect';
  readonly id: number;
}

/** Worker -> primary: this worker's figures for collection `id` (MetricsRegistry.snapshot()). */
export interface MetricsReport {
  readonly type: 'enricher:metrics-report';
  readonly id: number;
  readonly families: readonly FamilySnapshot[];
}

/** Primary -> worker: the aggregated scrape for request `id`, Prometheus text. */
export interface MetricsResponse {
  readonly type: 'enricher:metrics-response';
  readonly id: number;
  readonly text: string;
}

export function isMessage<T extends { type: string }>(m: unknown, type: T['type']): m is T {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === type;
}
