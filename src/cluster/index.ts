/** ENRICHER_WORKERS > 1: the service in several processes sharing its ports (node:cluster). */
export { runClusterPrimary } from './runPrimary';
export { ClusterSupervisor, type ClusterSupervisorOptions } from './supervisor';
export { clusterWorkerId, isClusterWorker, leaveCluster, reportWorkerReady, untilWorkerStop } from './worker';
export { clusterWorkerMetrics } from './workerMetrics';
export { aggregateWorkerMetrics, type WorkerFamilies } from './metricsAggregate';
