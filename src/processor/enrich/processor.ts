import type { IdentityResolver } from '../../directory/types';
import type { Logger } from '../../telemetry/logger';
import type { BufferPool } from '../../pipeline/bufferPool';
import type { TraceBatch, TracesConsumer } from '../../pipeline/consumer';
import type { EnrichmentSite, ScannedBatch, StringAttribute, TraceCodec } from '../codec/types';
import { AttributeEncoder } from './attributes';
import { EnrichmentStats } from './stats';
import { withinBudget } from './waitFor';
import { HeldEnrichment, type HoldContext } from './heldEnrichment';
import type { UnresolvedCause } from './stats';
import { UnresolvedLog } from './unresolvedLog';
import type { Resolution } from '../../directory/types';
import type { Observer } from '../../telemetry/metricsHistogram';

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
  /**
   * How long a batch whose look-ups did not all answer within the budget is
   * held for them (handed on as a pending batch, not forwarded), ms. 0: no hold,
   * unresolved spans leave marked failed once the budget is spent. Default 0.
   */
  lookupHoldMs?: number;
  /** True while Genesys is known to be unreachable (the circuit breaker is open): batches are not held then. Default never. */
  genesysDown?: () => boolean;
  /** Observes how long held batches were held, seconds. */
  holdDuration?: Observer;
  /**
   * Most distinct ids of one request looked up at a time. A request with more
   * cache misses has the rest looked up later, the next slice once the first is
   * answered, while it is held; so one request with 100,000 new ids takes at
   * most this many of the look-up queue's places and never gets ahead of other
   * requests' users. Default {@link DEFAULT_LOOKUPS_PER_REQUEST}.
   */
  maxLookupsPerRequest?: number;
}

/** 10 bulk calls' worth: a cold request from a whole contact centre fits; a flood of one request does not crowd others out. */
export const DEFAULT_LOOKUPS_PER_REQUEST = 1_000;

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
  /** Definite answers (found, not_found) for missed values, once known. */
  readonly answers: Map<string, Resolution>;
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
  private readonly holdMs: number;
  private readonly maxLookups: number;
  private readonly unresolvedLog: UnresolvedLog;
  /** What held batches call back into; one object for all of them. */
  private readonly holdContext: HoldContext;

  constructor(private readonly options: EnrichmentProcessorOptions) {
    this.holdMs = options.lookupHoldMs ?? 0;
    if (!Number.isSafeInteger(this.holdMs) || this.holdMs < 0) throw new RangeError(`EnrichmentProcessor: option "lookupHoldMs" must be an integer >= 0, got ${this.holdMs}`);
    this.unresolvedLog = new UnresolvedLog(options.logger);
    const genesysDown = options.genesysDown ?? (() => false);
    this.maxLookups = options.maxLookupsPerRequest ?? DEFAULT_LOOKUPS_PER_REQUEST;
    if (!Number.isSafeInteger(this.maxLookups) || this.maxLookups < 1) throw new RangeError(`EnrichmentProcessor: option "maxLookupsPerRequest" must be an integer >= 1, got ${this.maxLookups}`);
    this.holdContext = {
      resolve: (ids) => options.resolver.resolve(ids),
      maxLookups: this.maxLookups,
      genesysDown,
      complete: (bytes, answers, cause, heldMs) => this.completeHeld(bytes, answers, cause, heldMs),
      now: () => performance.now(),
    };
  }

  async consumeTraces(batch: TraceBatch): Promise<void> {
    const { codec, next } = this.options;
    const scanned = codec.scan(batch.bytes); // throws invalid_argument on malformed input
    const sites = scanned.sites;
    if (sites.length === 0) {
      this.stats.passedThrough += scanned.spanCount;
      return next.consumeTraces({ bytes: batch.bytes, spanCount: scanned.spanCount });
    }
    const plan = this.plan(sites);
    let cause: UnresolvedCause | undefined;
    if (plan.missIds.length > 0) {
      const lookups = this.options.resolver.resolve(this.firstSlice(plan.missIds));
      const unanswered = await this.waitForMisses(plan, lookups);
      if (unanswered > 0) {
        if (this.holdMs > 0 && !this.holdContext.genesysDown()) return this.hold(batch.bytes, scanned.spanCount, plan, lookups);
        cause = this.holdContext.genesysDown() ? 'breaker_open' : 'budget_expired';
      }
    }
    return this.emit(batch.bytes, scanned, plan.byValue, cause);
  }

  /**
   * The batch for a request that was held when the process stopped (read back
   * from the persistent queue): enriched now if every user is cached, else
   * held again while its look-ups are made again.
   */
  resume(bytes: Buffer): TraceBatch {
    const scanned = this.options.codec.scan(bytes);
    const plan = this.plan(scanned.sites);
    if (plan.missIds.length === 0 || this.holdMs === 0) return this.encode(bytes, scanned, plan.byValue, plan.missIds.length > 0 ? 'budget_expired' : undefined);
    return { bytes, spanCount: scanned.spanCount, pending: this.pendingFor(bytes, plan, this.options.resolver.resolve(this.firstSlice(plan.missIds))) };
  }

  /** The ids looked up first; the rest wait for them (maxLookupsPerRequest). */
  private firstSlice(ids: string[]): string[] {
    return ids.length <= this.maxLookups ? ids : ids.slice(0, this.maxLookups);
  }

  /** Hands the request on unenriched, with the rest of its enrichment pending. */
  private async hold(bytes: Buffer, spanCount: number, plan: RequestPlan, lookups: Promise<ReadonlyMap<string, Resolution>>): Promise<void> {
    const pending = this.pendingFor(bytes, plan, lookups);
    this.stats.held++;
    try {
      await this.options.next.consumeTraces({ bytes, spanCount, pending });
    } catch (err) {
      pending.abandon(); // refused: the client retries the request
      throw err;
    }
  }

  private pendingFor(bytes: Buffer, plan: RequestPlan, lookups: Promise<ReadonlyMap<string, Resolution>>): HeldEnrichment {
    const missing = new Map<string, string>();
    const answers = new Map<string, Resolution>();
    for (let i = 0; i < plan.missIds.length; i++) missing.set(plan.missValues[i]!, plan.missIds[i]!);
    for (const [value, answer] of plan.answers) {
      answers.set(value, answer);
      missing.delete(value);
    }
    return new HeldEnrichment({ context: this.holdContext, bytes, missing, answers, inFlight: lookups, holdMs: this.holdMs });
  }

  /** A held batch's end: scanned again (scan results are not kept while a batch waits), enriched, counted. */
  private completeHeld(bytes: Buffer, answers: ReadonlyMap<string, Resolution>, cause: UnresolvedCause | undefined, heldMs: number): TraceBatch {
    this.options.holdDuration?.observe(heldMs / 1000);
    const scanned = this.options.codec.scan(bytes);
    const plan = this.plan(scanned.sites);
    for (let i = 0; i < plan.missValues.length; i++) {
      const value = plan.missValues[i]!;
      plan.byValue.set(value, this.attrs.forResolution(answers.get(value)));
    }
    return this.encode(bytes, scanned, plan.byValue, cause);
  }

  /** Enriches and hands on; pooled output memory comes back if the next stage refuses the batch. */
  private async emit(bytes: Buffer, scanned: ScannedBatch, byValue: ReadonlyMap<string, Attributes | undefined>, cause: UnresolvedCause | undefined): Promise<void> {
    const out = this.encode(bytes, scanned, byValue, cause);
    try {
      await this.options.next.consumeTraces(out);
    } catch (err) {
      out.release?.(); // refused: the batch never left this stage
      throw err;
    }
  }

  private encode(bytes: Buffer, scanned: ScannedBatch, byValue: ReadonlyMap<string, Attributes | undefined>, cause: UnresolvedCause | undefined): TraceBatch {
    const pool = this.options.outputPool;
    const failed = this.additionsCounted(scanned.sites, byValue, cause);
    const out = this.options.codec.apply(bytes, scanned, failed.additions, pool ? this.acquire : undefined);
    if (failed.count > 0 && cause !== undefined && cause !== 'budget_expired') this.unresolvedLog.add(cause, failed.count);
    if (!pool || out === bytes) return { bytes: out, spanCount: scanned.spanCount };
    return { bytes: out, spanCount: scanned.spanCount, release: () => pool.release(out) };
  }

  private readonly acquire = (size: number): Buffer => this.options.outputPool!.acquire(size);

  /** Cached answers at once, one probe per distinct value; the rest are misses. */
  private plan(sites: readonly EnrichmentSite[]): RequestPlan {
    const { resolver } = this.options;
    const plan: RequestPlan = { byValue: new Map(), missValues: [], missIds: [], answers: new Map() };
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

  /** Waits for the misses within the budget; returns how many values are still unanswered (or answered failed). */
  private async waitForMisses(plan: RequestPlan, lookups: Promise<ReadonlyMap<string, Resolution>>): Promise<number> {
    this.stats.batchesWaited++;
    const answered = await withinBudget(lookups, this.options.lookupBudgetMs);
    if (!answered) this.stats.budgetExpired++;
    let unanswered = 0;
    for (let i = 0; i < plan.missIds.length; i++) {
      const answer = answered?.get(plan.missIds[i]!);
      if (answer === undefined || answer.status === 'failed') unanswered++;
      else plan.answers.set(plan.missValues[i]!, answer);
      plan.byValue.set(plan.missValues[i]!, this.attrs.forResolution(answer));
    }
    return unanswered;
  }

  /** The attributes to add per site, leaving out keys the sender already set; counts the outcomes. */
  private additionsCounted(sites: readonly EnrichmentSite[], byValue: ReadonlyMap<string, Attributes | undefined>, cause: UnresolvedCause | undefined): { additions: (Attributes | undefined)[]; count: number } {
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
    if (failedCount > 0) this.stats.countUnresolved(cause ?? 'budget_expired', failedCount);
    return { additions, count: failedCount };
  }
}

function withoutPresent(site: EnrichmentSite, attrs: Attributes): Attributes | undefined {
  if (!attrs.some((a) => site.has(a.key))) return attrs;
  const kept = attrs.filter((a) => !site.has(a.key));
  return kept.length > 0 ? kept : undefined;
}
