import cluster from 'node:cluster';
import { isStopWorker, type WorkerReady } from './messages';

/** True in a process forked by the cluster primary (ENRICHER_WORKERS > 1). */
export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** This worker's id (1, 2, ...), for log lines; undefined outside a cluster. */
export function clusterWorkerId(): number | undefined {
  return cluster.worker?.id;
}

/** Tells the primary this worker serves, and on which ports. */
export function reportWorkerReady(ports: Omit<WorkerReady, 'type'>): void {
  process.send?.({ type: 'enricher:ready', ...ports } satisfies WorkerReady);
}

/**
 * Resolves with what asked this worker to stop: the primary (`primary`, the
 * usual way), the primary's disappearance (`disconnect`), or a signal sent
 * to the worker itself (a terminal's Ctrl-C reaches the whole process group).
 * After that, a signal forces exit 1, as for a single process.
 */
export function untilWorkerStop(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (why: string) => {
      process.off('message', onMessage);
      process.off('disconnect', onDisconnect);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      process.once('SIGTERM', () => process.exit(1));
      process.once('SIGINT', () => process.exit(1));
      resolve(why);
    };
    const onMessage = (m: unknown) => {
      if (isStopWorker(m)) stop('primary');
    };
    const onDisconnect = () => stop('disconnect');
    const onSignal = (signal: NodeJS.Signals) => stop(signal);
    process.on('message', onMessage);
    process.once('disconnect', onDisconnect);
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
}

/** Closes the IPC channel once the service has stopped, so the worker's event loop can end. */
export function leaveCluster(): void {
  if (cluster.worker && process.connected) cluster.worker.disconnect();
}
