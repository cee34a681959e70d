import type { SimulatorStats } from './types';

/** Counts requests for `GET /__sim/stats`; `/__sim` itself is never counted. */
export class StatsRecorder {
  private stats: SimulatorStats = emptyStats();

  /** One request to the API or OAuth, by `METHOD /route/pattern`. */
  request(routeKey: string): void {
    this.stats.total += 1;
    this.stats.byRoute[routeKey] = (this.stats.byRoute[routeKey] ?? 0) + 1;
  }

  /** The status one request was answered with. */
  status(status: number): void {
    this.stats.byStatus[status] = (this.stats.byStatus[status] ?? 0) + 1;
  }

  /** The ids of one bulk user request, in the order asked. */
  bulkIds(ids: string[]): void {
    this.stats.bulkIdBatches.push([...ids]);
  }

  /** A deep copy, safe to keep while requests go on. */
  snapshot(): SimulatorStats {
    return structuredClone(this.stats);
  }

  reset(): void {
    this.stats = emptyStats();
  }
}

function emptyStats(): SimulatorStats {
  return { total: 0, byRoute: {}, byStatus: {}, bulkIdBatches: [] };
}
