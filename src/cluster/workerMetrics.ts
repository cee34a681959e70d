import type { MetricsSource } from '../admin/metricsRoute';
import type { MetricsRegistry } from '../telemetry/metricsRegistry';
import { isMessage, type MetricsCollect, type MetricsReport, type MetricsRequest, type MetricsResponse } from './messages';

/** How long a scrape waits for the primary's aggregate before answering with this worker's figures alone, ms. */
const ANSWER_TIMEOUT_MS = 3000;

/**
 * A cluster worker's `/metrics`: the scrape that reaches this worker asks the
 * primary, which collects every worker's figures and sends back the
 * aggregate (cluster/metricsAggregate.ts). The worker also answers the
 * primary's collections. If the primary does not answer in time, the worker's
 * own figures go out, marked by a comment, rather than no answer at all.
 * Returns the source and a function that stops answering collections.
 */
export function clusterWorkerMetrics(local: MetricsRegistry): { source: MetricsSource; stop(): void } {
  let next = 0;
  const waiting = new Map<number, (text: string) => void>();
  const onMessage = (m: unknown) => {
    if (isMessage<MetricsCollect>(m, 'enricher:metrics-collect')) {
      process.send?.({ type: 'enricher:metrics-report', id: m.id, families: local.snapshot() } satisfies MetricsReport);
    } else if (isMessage<MetricsResponse>(m, 'enricher:metrics-response')) {
      waiting.get(m.id)?.(m.text);
    }
  };
  process.on('message', onMessage);
  const source: MetricsSource = {
    render: () =>
      new Promise<string>((resolve) => {
        if (!process.send) return resolve(local.render()); // not a cluster worker after all
        const id = ++next;
        const timer = setTimeout(() => {
          waiting.delete(id);
          resolve(`# this worker's figures only: the cluster primary did not answer within ${ANSWER_TIMEOUT_MS} ms\n${local.render()}`);
        }, ANSWER_TIMEOUT_MS);
        waiting.set(id, (text) => {
          clearTimeout(timer);
          waiting.delete(id);
          resolve(text);
        });
        process.send({ type: 'enricher:metrics-request', id } satisfies MetricsRequest);
      }),
  };
  return { source, stop: () => process.off('message', onMessage) };
}
