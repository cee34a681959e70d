import type protobuf from 'protobufjs';
import { PipelineError } from '../../../errors';
import { exportRequestType } from '../../../otlp/protos';
import { resolveCodecOptions } from '../options';
import { MAX_ANY_VALUE_DEPTH, type CodecOptions, type ScannedBatch, type StringAttribute, type TraceCodec } from '../types';
import { attributesTooDeep } from './anyValueDepth';
import type { DecodedKeyValue, DecodedRequest } from './decodedRequest';
import { ReferenceSite, findAttribute } from './referenceSite';

/** What ReferenceTraceCodec.scan returns: the sites plus the decoded request they point into. */
class ReferenceScannedBatch implements ScannedBatch {
  constructor(
    readonly bytes: Buffer,
    readonly spanCount: number,
    readonly sites: readonly ReferenceSite[],
    readonly request: protobuf.Message,
  ) {}
}

/**
 * The decoding reference: protobufjs decodes the request, additions are
 * pushed onto the decoded attribute lists, protobufjs encodes the result. It
 * is the specification WireTraceCodec is tested against, and its baseline in
 * benchmarks; it is not meant for the hot path.
 *
 * Sites, in order: for each ResourceSpans, its resource (when its attributes
 * hold the source key) first, then its spans that hold it, in order. Like
 * protobufjs itself it drops unknown fields and, when a ResourceSpans repeats
 * its Resource field, keeps only the last one.
 */
export class ReferenceTraceCodec implements TraceCodec {
  private readonly sourceKey: string;
  private readonly watchedKeys: readonly string[];
  private readonly type: protobuf.Type;

  /** Throws RangeError on bad options (see CodecOptions). */
  constructor(options: CodecOptions) {
    ({ sourceKey: this.sourceKey, watchedKeys: this.watchedKeys } = resolveCodecOptions(options));
    this.type = exportRequestType();
  }

  scan(bytes: Buffer): ScannedBatch {
    const message = this.decode(bytes);
    const request = message as unknown as DecodedRequest;
    const sites: ReferenceSite[] = [];
    let spanCount = 0;
    for (const rs of request.resourceSpans) {
      const resource = rs.resource;
      if (resource) this.visit('resource', resource.attributes, sites);
      for (const ss of rs.scopeSpans) {
        checkDepth(ss.scope?.attributes);
        for (const span of ss.spans) {
          spanCount++;
          for (const event of span.events) checkDepth(event.attributes);
          for (const link of span.links) checkDepth(link.attributes);
          this.visit('span', span.attributes, sites);
        }
      }
    }
    return new ReferenceScannedBatch(bytes, spanCount, sites, message);
  }

  /** Always re-encodes, even without additions. */
  apply(bytes: Buffer, scanned: ScannedBatch, additions: ReadonlyArray<readonly StringAttribute[] | undefined>): Buffer {
    if (!(scanned instanceof ReferenceScannedBatch) || scanned.bytes !== bytes) {
      throw new PipelineError('internal', 'ReferenceTraceCodec.apply needs the ScannedBatch its scan() returned for the same buffer');
    }
    if (additions.length !== scanned.sites.length) {
      throw new PipelineError('internal', `apply got ${additions.length} additions for ${scanned.sites.length} sites`);
    }
    // Push, encode, then restore the lists so the scanned batch stays as scanned.
    const lengths = scanned.sites.map((site) => site.attributes.length);
    try {
      scanned.sites.forEach((site, i) => {
        for (const a of additions[i] ?? []) site.attributes.push({ key: a.key, value: { stringValue: a.value } } as DecodedKeyValue);
      });
      const out = this.type.encode(scanned.request).finish();
      return Buffer.isBuffer(out) ? out : Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    } finally {
      scanned.sites.forEach((site, i) => (site.attributes.length = lengths[i]));
    }
  }

  private decode(bytes: Buffer): protobuf.Message {
    if (!Buffer.isBuffer(bytes)) throw new PipelineError('invalid_argument', 'OTLP trace request must be a Buffer');
    try {
      return this.type.decode(bytes);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new PipelineError('invalid_argument', `malformed OTLP trace request: ${reason}`);
    }
  }

  /** Checks one span's or resource's attributes and records it as a site when it holds the source key. */
  private visit(kind: 'span' | 'resource', attributes: DecodedKeyValue[], sites: ReferenceSite[]): void {
    checkDepth(attributes);
    const source = findAttribute(attributes, this.sourceKey);
    if (source) sites.push(new ReferenceSite(kind, attributes, source, this.watchedKeys));
  }
}

function checkDepth(attributes: readonly DecodedKeyValue[] | null | undefined): void {
  if (attributesTooDeep(attributes, MAX_ANY_VALUE_DEPTH)) {
    throw new PipelineError('invalid_argument', `malformed OTLP trace request: AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  }
}
