/** Messages between the cluster primary and its workers (node:cluster IPC). */

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
