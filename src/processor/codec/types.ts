/**
 * The contract between the enrichment processor and an OTLP trace codec.
 *
 * A codec reads an encoded `ExportTraceServiceRequest` twice: `scan` validates
 * it and finds the spans and resources that carry the source attribute (the
 * "sites"); `apply` writes a new request with attributes appended to some of
 * those sites. Between the two calls the processor decides, per site, what to
 * add (usually after a directory look-up).
 *
 * Site order, shared by every implementation: request order of ResourceSpans;
 * within one ResourceSpans its resource site (if any) first, then its span
 * sites in the order of ScopeSpans and spans.
 */

/** A string attribute to add, pre-encoded once so the hot path only copies bytes. */
export interface StringAttribute {
  readonly key: string;
  readonly value: string;
  /** Encoded KeyValue message body (no tag/length). */
  readonly encoded: Buffer;
}

/** A span or resource that carries the source attribute. */
export interface EnrichmentSite {
  readonly kind: 'span' | 'resource';
  /**
   * The source attribute's value when it is a string (AnyValue.string_value),
   * else undefined. When the key occurs more than once in the same attribute
   * list, the FIRST occurrence decides (like the OpenTelemetry SDKs' attribute
   * look-up).
   */
  readonly sourceValue: string | undefined;
  /** True when the source attribute is present but its value is not a string (also: no value at all). */
  readonly sourceNonString: boolean;
  /**
   * True when the container already has an attribute with this key. Answers
   * only for the codec's watched keys (`CodecOptions.watchedKeys`); any other
   * key gives false.
   */
  has(key: string): boolean;
  /**
   * True when `has()` is true for at least one watched key. Lets a caller skip
   * the per-key questions for the usual span, which carries none of them.
   */
  readonly anyWatched: boolean;
}

/** What `scan` found in one request. */
export interface ScannedBatch {
  /** Number of spans in the request, carrying the source attribute or not. */
  readonly spanCount: number;
  /** Sites in the order described at the top of this file. */
  readonly sites: readonly EnrichmentSite[];
}

/** Reads and rewrites encoded OTLP trace export requests. */
export interface TraceCodec {
  /**
   * Validates the whole request and finds the sites. Throws
   * PipelineError('invalid_argument', clear message) on malformed input.
   * Never anything else.
   */
  scan(bytes: Buffer): ScannedBatch;
  /**
   * Returns a new encoded request where additions[i] (if any) are appended to
   * the attributes of scanned.sites[i]. Every other byte/field is preserved.
   * additions.length === sites.length. `scanned` must be what this codec's
   * `scan` returned for these very `bytes`; otherwise throws
   * PipelineError('internal'). `allocate`, when given, provides the output
   * buffer (of exactly the size asked; every byte is written) instead of a
   * new allocation, e.g. BufferPool.acquire; a codec may ignore it.
   */
  apply(
    bytes: Buffer,
    scanned: ScannedBatch,
    additions: ReadonlyArray<readonly StringAttribute[] | undefined>,
    allocate?: (size: number) => Buffer,
  ): Buffer;
}

/** Options shared by every codec implementation. */
export interface CodecOptions {
  /** Attribute holding the user id, e.g. 'external.user.id'. Must be non-empty. */
  sourceKey: string;
  /**
   * Keys `has()` must answer for (the enrichment keys). At most
   * {@link MAX_WATCHED_KEYS}; duplicates are ignored.
   */
  watchedKeys: readonly string[];
}

/** Upper bound of `CodecOptions.watchedKeys` (the wire codec keeps them in a 31-bit mask). */
export const MAX_WATCHED_KEYS = 31;

/**
 * Deepest AnyValue nesting a request may have (an attribute value counts as
 * level 1, an element of an array inside it as level 2, ...). Deeper requests
 * are rejected as invalid_argument so that walking them cannot exhaust the stack.
 */
export const MAX_ANY_VALUE_DEPTH = 64;
