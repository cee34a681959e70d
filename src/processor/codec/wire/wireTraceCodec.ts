import { PipelineError } from '../../../errors';
import { resolveCodecOptions } from '../options';
import type { CodecOptions, EnrichmentSite, ScannedBatch, StringAttribute, TraceCodec } from '../types';
import { KeyMatcher } from './keyMatcher';
import { LayoutScratch, type LayoutScratches, type SiteLayout } from './layout';
import { walkRequest } from './requestWalk';
import { SiteCollector } from './siteCollector';
import { ValueInterner } from './valueInterner';
import { FramedLists, spliceAdditions } from './splicer';
import { WireReader } from './wireReader';

/** What WireTraceCodec.scan returns: the sites plus where they are in `bytes`. */
class WireScannedBatch implements ScannedBatch {
  constructor(
    readonly bytes: Buffer,
    readonly spanCount: number,
    readonly sites: readonly EnrichmentSite[],
    readonly layout: SiteLayout,
  ) {}
}

/**
 * The hot-path codec: validates and rewrites the protobuf wire bytes without
 * decoding them. `scan` walks every message of the request (strict wire types,
 * bounds, varints of at most 10 bytes, AnyValue depth up to
 * MAX_ANY_VALUE_DEPTH; no UTF-8 check) and decodes only the source
 * attribute's string values. `apply` splices pre-encoded attributes in and
 * copies everything else, unknown fields included.
 *
 * Differences from ReferenceTraceCodec, both on inputs protobufjs handles
 * loosely: unknown fields are kept (protobufjs drops them), and repeated
 * Resource fields are merged as the protobuf spec says (protobufjs keeps the
 * last one).
 */
export class WireTraceCodec implements TraceCodec {
  private readonly matcher: KeyMatcher;
  private readonly keyBits: ReadonlyMap<string, number>;
  private readonly framed = new FramedLists();
  private readonly values = new ValueInterner();
  private readonly scratch: LayoutScratches = { sites: new LayoutScratch(), scopeSpans: new LayoutScratch(), resourceSpans: new LayoutScratch() };

  /** Throws RangeError on bad options (see CodecOptions). */
  constructor(options: CodecOptions) {
    const { sourceKey, watchedKeys } = resolveCodecOptions(options);
    this.matcher = new KeyMatcher(sourceKey, watchedKeys);
    this.keyBits = new Map(watchedKeys.map((key, i) => [key, 1 << i]));
  }

  scan(bytes: Buffer): ScannedBatch {
    if (!Buffer.isBuffer(bytes)) throw new PipelineError('invalid_argument', 'OTLP trace request must be a Buffer');
    const collector = new SiteCollector(bytes, this.matcher, this.keyBits, this.values, this.scratch);
    walkRequest(new WireReader(bytes), collector);
    return new WireScannedBatch(bytes, collector.spanCount, collector.sites, collector.layout());
  }

  /** Returns `bytes` itself when no site gets an addition. */
  apply(bytes: Buffer, scanned: ScannedBatch, additions: ReadonlyArray<readonly StringAttribute[] | undefined>, allocate?: (size: number) => Buffer): Buffer {
    if (!(scanned instanceof WireScannedBatch) || scanned.bytes !== bytes) {
      throw new PipelineError('internal', 'WireTraceCodec.apply needs the ScannedBatch its scan() returned for the same buffer');
    }
    if (additions.length !== scanned.sites.length) {
      throw new PipelineError('internal', `apply got ${additions.length} additions for ${scanned.sites.length} sites`);
    }
    return spliceAdditions(bytes, scanned.layout, additions, this.framed, allocate);
  }
}
