import type { IdentityResolver } from '../../directory/types';
import type { Logger } from '../../telemetry/logger';
import type { BufferPool } from '../../pipeline/bufferPool';
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
  /**
   * Where enriched requests are written: pooled memory the sending queue
   * gives back once a batch is sent or dropped (TraceBatch.release). Default
   * none: a fresh buffer per request.
   */
  outputPool?: BufferPool;
}

type Attributes = readonly StringAttribute[];

/** Distinct source values whose normalised id is remembered; the table starts over when full. */
const MAX_REMEMBERED_VALUES = 4096;
/** Remembered for a value that is not a user id ('' never is one). */
const NOT_AN_ID = '';

/**
 * What one request's distinct source values come to. Spans of one user
 * repeat the same value, so the id is normalised and looked up once per
 * value, not once per span. A value maps to its attributes, or to undefined
 * while its id waits for the directory (`missValues[i]` has id `missIds[i]`).
 */
interface RequestPlan {
  readonly byValue: Map<string, Attributes | undefined>;
  readonly missValues: string[];
  readonly missIds: string[];
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
  /** normalizeId per source value: the same few values come back request after request. */
  private readonly normalized = new Map<string, string>();

  constructor(private readonly options: EnrichmentProcessorOptions) {}

  async consumeTraces(batch: TraceBatch): Promise<void> {
    const { codec, next } = this.options;
    const scanned = codec.scan(batch.bytes); // throws invalid_argument on malformed input
    const sites = scanned.sites;
    if (sites.length === 0) {
      this.stats.passedThrough += scanned.spanCount;
      return next.consumeTraces({ bytes: batch.bytes, spanCount: scanned.spanCount });
    }
    const plan = this.plan(sites);
    if (plan.missIds.length > 0) await this.waitForMisses(plan);
    const pool = this.options.outputPool;
    const bytes = codec.apply(batch.bytes, scanned, this.additions(sites, plan.byValue), pool ? this.acquire : undefined);
    if (!pool || bytes === batch.bytes) return next.consumeTraces({ bytes, spanCount: scanned.spanCount });
    const release = () => pool.release(bytes);
    try {
      await next.consumeTraces({ bytes, spanCount: scanned.spanCount, release });
    } catch (err) {
      release(); // refused: the batch never left this stage
      throw err;
    }
  }

  private readonly acquire = (size: number): Buffer => this.options.outputPool!.acquire(size);

  /** Cached answers at once, one probe per distinct value; the rest are misses. */
  private plan(sites: readonly EnrichmentSite[]): RequestPlan {
    const { resolver } = this.options;
    const plan: RequestPlan = { byValue: new Map(), missValues: [], missIds: [] };
    for (let i = 0; i < sites.length; i++) {
      const value = sites[i]!.sourceValue;
      if (value === undefined || plan.byValue.has(value)) continue;
      const id = this.normalize(value);
      // A value that can never be a Genesys user id is "no such user" without asking Genesys.
      const hit = id === undefined ? undefined : resolver.peek(id);
      if (id === undefined || hit !== undefined) {
        plan.byValue.set(value, id === undefined ? this.attrs.notFound : this.attrs.forResolution(hit));
      } else {
        plan.byValue.set(value, undefined);
        plan.missValues.push(value);
        plan.missIds.push(id);
      }
    }
    return plan;
  }

  /** The option normalizeId, remembered (it is a pure function of the value). */
  private normalize(value: string): string | undefined {
    let id = this.normalized.get(value);
    if (id === undefined) {
      id = this.options.normalizeId(value) ?? NOT_AN_ID;
      if (this.normalized.size >= MAX_REMEMBERED_VALUES) this.normalized.clear();
      this.normalized.set(value, id);
    }
    return id === NOT_AN_ID ? undefined : id;
  }

  /** Waits for the misses within the budget; those still unanswered become `failed`. */
  private async waitForMisses(plan: RequestPlan): Promise<void> {
    const { resolver, lookupBudgetMs } = this.options;
    this.stats.batchesWaited++;
    const answered = await withinBudget(resolver.resolve(plan.missIds), lookupBudgetMs);
    if (!answered) this.stats.budgetExpired++;
    for (let i = 0; i < plan.missIds.length; i++) {
      plan.byValue.set(plan.missValues[i]!, this.attrs.forResolution(answered?.get(plan.missIds[i]!)));
    }
  }

  /** The attributes to add per site, leaving out keys the sender already set; counts the outcomes. */
  private additions(sites: readonly EnrichmentSite[], byValue: ReadonlyMap<string, Attributes | undefined>): (Attributes | undefined)[] {
    const { notFound, failed } = this.attrs;
    const additions = new Array<Attributes | undefined>(sites.length);
    let notFoundCount = 0;
    let failedCount = 0;
    for (let i = 0; i < sites.length; i++) {
      const site = sites[i]!;
      const attrs = site.sourceValue === undefined ? notFound : byValue.get(site.sourceValue) ?? failed;
      if (attrs === notFound) notFoundCount++;
      else if (attrs === failed) failedCount++;
      // Attributes the sender already set are never overwritten. The common case
      // (none set) hands on the shared array, so the splicer can reuse its bytes.
      additions[i] = site.anyWatched ? withoutPresent(site, attrs) : attrs;
    }
    this.stats.notFound += notFoundCount;
    this.stats.failed += failedCount;
    this.stats.enriched += sites.length - notFoundCount - failedCount;
    return additions;
  }
}

function withoutPresent(site: EnrichmentSite, attrs: Attributes): Attributes | undefined {
  if (!attrs.some((a) => site.has(a.key))) return attrs;
  const kept = attrs.filter((a) => !site.has(a.key));
  return kept.length > 0 ? kept : undefined;
}
