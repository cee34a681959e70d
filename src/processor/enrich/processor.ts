import type { IdentityResolver, Resolution } from '../../directory/types';
import type { Logger } from '../../telemetry/logger';
import type { TraceBatch, TracesConsumer } from '../../pipeline/consumer';
import type { EnrichmentSite, StringAttribute, TraceCodec } from '../codec/types';
import { AttributeEncoder } from './attributes';
import { EnrichmentStats } from './stats';
import { withinBudget } from './waitFor';

export interface EnrichmentProcessorOptions {
  /** Finds the sites and splices attributes in (the wire codec in production). */
  codec: TraceCodec;
  resolver: IdentityResolver;
  /** Turns a raw attribute value into a Genesys user id, or undefined if it cannot be one. */
  normalizeId: (raw: string) => string | undefined;
  next: TracesConsumer;
  /** Longest a batch waits for directory misses, ms. */
  lookupBudgetMs: number;
  logger: Logger;
}

/**
 * The enrichment stage: stamps each span (or resource) that carries a Genesys
 * user id with who that person is, then hands the batch on. It never fails a
 * batch because of the directory: an unanswered look-up is marked
 * `genesys.user.lookup=failed` once the budget is spent, and the batch moves on.
 */
export class EnrichmentProcessor implements TracesConsumer {
  readonly stats = new EnrichmentStats();
  private readonly attrs = new AttributeEncoder();

  constructor(private readonly options: EnrichmentProcessorOptions) {}

  async consumeTraces(batch: TraceBatch): Promise<void> {
    const { codec, next } = this.options;
    const scanned = codec.scan(batch.bytes); // throws invalid_argument on malformed input
    if (scanned.sites.length === 0) {
      this.stats.passedThrough += scanned.spanCount;
      return next.consumeTraces({ bytes: batch.bytes, spanCount: scanned.spanCount });
    }
    const ids = this.siteIds(scanned.sites);
    const resolved = await this.resolveAll(ids);
    const additions = scanned.sites.map((site, i) => this.additionsFor(site, ids[i], resolved));
    const bytes = codec.apply(batch.bytes, scanned, additions);
    return next.consumeTraces({ bytes, spanCount: scanned.spanCount });
  }

  /** Normalised id per site (undefined: no usable id). */
  private siteIds(sites: readonly EnrichmentSite[]): (string | undefined)[] {
    const { normalizeId } = this.options;
    return sites.map((s) => (s.sourceValue === undefined ? undefined : normalizeId(s.sourceValue)));
  }

  /** Cached answers at once; misses within the budget; the rest stay undefined (failed). */
  private async resolveAll(ids: readonly (string | undefined)[]): Promise<Map<string, Resolution>> {
    const { resolver, lookupBudgetMs } = this.options;
    const found = new Map<string, Resolution>();
    const misses: string[] = [];
    for (const id of ids) {
      if (id === undefined || found.has(id) || misses.includes(id)) continue;
      const hit = resolver.peek(id);
      if (hit) found.set(id, hit);
      else misses.push(id);
    }
    if (misses.length > 0) {
      this.stats.batchesWaited++;
      const answered = await withinBudget(resolver.resolve(misses), lookupBudgetMs);
      if (answered) for (const [id, r] of answered) found.set(id, r);
      else this.stats.budgetExpired++;
    }
    return found;
  }

  private additionsFor(
    site: EnrichmentSite,
    id: string | undefined,
    resolved: ReadonlyMap<string, Resolution>,
  ): readonly StringAttribute[] | undefined {
    // A value that can never be a Genesys user id is "no such user" without asking Genesys.
    const attrs = id === undefined ? this.attrs.notFound : this.attrs.forResolution(resolved.get(id));
    this.stats.count(attrs === this.attrs.notFound ? 'not_found' : attrs === this.attrs.failed ? 'failed' : 'enriched');
    // Attributes the sender already set are never overwritten. The common case
    // (none set) hands on the shared array, so the splicer can reuse its bytes.
    if (!attrs.some((a) => site.has(a.key))) return attrs;
    const kept = attrs.filter((a) => !site.has(a.key));
    return kept.length > 0 ? kept : undefined;
  }
}
