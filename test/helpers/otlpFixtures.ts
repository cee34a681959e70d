/**
 * Seeded OTLP trace requests for codec and processor tests and benchmarks.
 * Objects use protobufjs's plain-object form (camelCase fields, Buffers for
 * bytes, 64-bit integers as decimal strings), so `encodeRequest` can turn
 * them into wire bytes and `decodeRequest` back into comparable objects.
 */
import { exportRequestType } from '../../src/otlp/protos';

/** The attribute holding the Genesys user id. */
export const SOURCE_KEY = 'external.user.id';
/** Enrichment keys the fixtures sometimes pre-set (so `has()` has something to find). */
export const WATCHED_KEYS: readonly string[] = ['enduser.name', 'enduser.email', 'genesys.user.state', 'genesys.division.name'];

/** A seeded source of floats in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny, fast, seedable PRNG (good enough for fixtures, not for crypto). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface AnyValueObject {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: AnyValueObject[] };
  kvlistValue?: { values: KeyValueObject[] };
  bytesValue?: Buffer;
}
export interface KeyValueObject {
  key: string;
  value?: AnyValueObject;
}
export interface EventObject {
  timeUnixNano?: string;
  name?: string;
  attributes?: KeyValueObject[];
  droppedAttributesCount?: number;
}
export interface LinkObject {
  traceId?: Buffer;
  spanId?: Buffer;
  traceState?: string;
  attributes?: KeyValueObject[];
  droppedAttributesCount?: number;
  flags?: number;
}
export interface SpanObject {
  traceId?: Buffer;
  spanId?: Buffer;
  traceState?: string;
  parentSpanId?: Buffer;
  flags?: number;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: KeyValueObject[];
  droppedAttributesCount?: number;
  events?: EventObject[];
  droppedEventsCount?: number;
  links?: LinkObject[];
  droppedLinksCount?: number;
  status?: { message?: string; code?: number };
}
export interface ScopeSpansObject {
  scope?: { name?: string; version?: string; attributes?: KeyValueObject[]; droppedAttributesCount?: number };
  spans?: SpanObject[];
  schemaUrl?: string;
}
export interface ResourceObject {
  attributes?: KeyValueObject[];
  droppedAttributesCount?: number;
  entityRefs?: { schemaUrl?: string; type?: string; idKeys?: string[]; descriptionKeys?: string[] }[];
}
export interface ResourceSpansObject {
  resource?: ResourceObject;
  scopeSpans?: ScopeSpansObject[];
  schemaUrl?: string;
}
export interface TraceRequestObject {
  resourceSpans?: ResourceSpansObject[];
}

/** Encodes a request object (plain-object form) into wire bytes. */
export function encodeRequest(request: TraceRequestObject): Buffer {
  const type = exportRequestType();
  const bytes = type.encode(type.fromObject(request)).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes wire bytes into a plain object fit for deepStrictEqual: 64-bit
 * integers and bytes as strings, fields at their default left out.
 */
export function decodeRequest(bytes: Uint8Array): Record<string, unknown> {
  const type = exportRequestType();
  return type.toObject(type.decode(bytes), { longs: String, bytes: String, defaults: false });
}

/** A Genesys-style user id (a UUID) drawn from `rng`. */
export function randomUserId(rng: Rng): string {
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(rng() * 4)]}${hex(3)}-${hex(12)}`;
}

/** Knobs of `randomTraceRequest`; every probability is per span (or per resource). */
export interface RandomRequestOptions {
  /** Most ResourceSpans per request. Default 3 (0..3). */
  maxResources?: number;
  /** Most ScopeSpans per ResourceSpans. Default 3. */
  maxScopes?: number;
  /** Most spans per ScopeSpans. Default 6. */
  maxSpans?: number;
  /** Chance a span carries the source key. Default 0.4. */
  userIdRatio?: number;
  /** Chance a carried source value is not a string. Default 0.15. */
  nonStringRatio?: number;
  /** Chance a Resource carries the source key. Default 0.15. */
  resourceUserIdRatio?: number;
  /** Ids to draw from; default: 5 random ones. */
  userIds?: readonly string[];
}

/**
 * A random but valid request exercising every part of the schema: nested
 * attribute values of every type, events, links, status, scopes, schema URLs,
 * dropped counts, flags, entity refs, missing and empty messages, and the
 * source key as string, as other types, repeated, and on resources.
 */
export function randomTraceRequest(rng: Rng, options: RandomRequestOptions = {}): TraceRequestObject {
  const g = new RandomRequestBuilder(rng, options);
  return g.request();
}

class RandomRequestBuilder {
  private readonly userIds: readonly string[];

  constructor(
    private readonly rng: Rng,
    private readonly o: RandomRequestOptions,
  ) {
    this.userIds = o.userIds ?? Array.from({ length: 5 }, () => randomUserId(rng));
  }

  request(): TraceRequestObject {
    // Mostly non-empty: an empty request is one case, not a quarter of them.
    const count = this.chance(0.05) ? 0 : 1 + this.int(this.o.maxResources ?? 3);
    return { resourceSpans: Array.from({ length: count }, () => this.resourceSpans()) };
  }

  private resourceSpans(): ResourceSpansObject {
    const rs: ResourceSpansObject = { scopeSpans: this.times(this.o.maxScopes ?? 3, () => this.scopeSpans()) };
    if (this.chance(0.85)) rs.resource = this.resource();
    if (this.chance(0.3)) rs.schemaUrl = 'https://opentelemetry.io/schemas/1.26.0';
    return rs;
  }

  private resource(): ResourceObject {
    const attributes = [
      kv('service.name', { stringValue: this.pick(['agent-desktop', 'routing-api', 'ivr-flows', 'wfm-sync']) }),
      kv('service.instance.id', { stringValue: randomUserId(this.rng) }),
      ...this.times(3, () => this.attribute(2)),
    ];
    if (this.chance(this.o.resourceUserIdRatio ?? 0.15)) this.insertSource(attributes);
    const resource: ResourceObject = { attributes };
    if (this.chance(0.2)) resource.droppedAttributesCount = this.int(5) + 1;
    if (this.chance(0.2)) {
      resource.entityRefs = [{ schemaUrl: 'https://opentelemetry.io/schemas/1.26.0', type: 'service', idKeys: ['service.name'], descriptionKeys: ['service.instance.id'] }];
    }
    return resource;
  }

  private scopeSpans(): ScopeSpansObject {
    const ss: ScopeSpansObject = { spans: this.times(this.o.maxSpans ?? 6, () => this.span()) };
    if (this.chance(0.8)) {
      ss.scope = { name: this.pick(['@opentelemetry/instrumentation-http', 'genesys-softphone', 'io.opentelemetry.grpc-1.6']), version: '1.2.3' };
      if (this.chance(0.3)) ss.scope.attributes = [this.attribute(2)];
      if (this.chance(0.1)) ss.scope.droppedAttributesCount = 1;
    }
    if (this.chance(0.3)) ss.schemaUrl = 'https://opentelemetry.io/schemas/1.21.0';
    return ss;
  }

  private span(): SpanObject {
    const start = 1_700_000_000_000_000_000n + BigInt(this.int(1e9)) * 1000n;
    const span: SpanObject = {
      traceId: this.bytes(16),
      spanId: this.bytes(8),
      name: this.pick(['GET /api/v2/users/{id}', 'conversation.transfer', 'SELECT users', 'queue.wait', 'Ünïcødé span ✓']),
      kind: this.int(6),
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + BigInt(this.int(5e9))),
      attributes: this.times(6, () => this.attribute(3)),
    };
    if (this.chance(0.6)) span.parentSpanId = this.bytes(8);
    if (this.chance(0.3)) span.traceState = 'vendor=abc,other=1';
    if (this.chance(0.7)) span.flags = this.pick([0x1, 0x101, 0x301, 0xffffffff]);
    if (this.chance(0.2)) span.droppedAttributesCount = this.int(10) + 1;
    if (this.chance(0.5)) span.events = this.times(3, () => this.event());
    if (this.chance(0.1)) span.droppedEventsCount = 2;
    if (this.chance(0.3)) span.links = this.times(2, () => this.link());
    if (this.chance(0.1)) span.droppedLinksCount = 1;
    if (this.chance(0.5)) span.status = { code: this.int(3), ...(this.chance(0.5) ? { message: 'upstream said no' } : {}) };
    if (this.chance(this.o.userIdRatio ?? 0.4)) this.insertSource(span.attributes!);
    if (this.chance(0.15)) span.attributes!.push(kv(this.pick(WATCHED_KEYS), { stringValue: 'pre-set' }));
    return span;
  }

  private event(): EventObject {
    const e: EventObject = { timeUnixNano: String(1_700_000_000_000_000_000n + BigInt(this.int(1e9))), name: this.pick(['exception', 'hold', 'wrap-up']) };
    if (this.chance(0.7)) e.attributes = this.times(3, () => this.attribute(3));
    if (this.chance(0.1)) e.droppedAttributesCount = 3;
    return e;
  }

  private link(): LinkObject {
    const l: LinkObject = { traceId: this.bytes(16), spanId: this.bytes(8) };
    if (this.chance(0.3)) l.traceState = 'k=v';
    if (this.chance(0.5)) l.attributes = [this.attribute(2)];
    if (this.chance(0.1)) l.droppedAttributesCount = 1;
    if (this.chance(0.5)) l.flags = 0x100;
    return l;
  }

  /** Puts the source key somewhere in `attributes`: usually a string id, sometimes another type, sometimes twice. */
  private insertSource(attributes: KeyValueObject[]): void {
    const value = this.chance(this.o.nonStringRatio ?? 0.15) ? this.nonStringValue() : { stringValue: this.pick(this.userIds) };
    const entry: KeyValueObject = value === undefined ? { key: SOURCE_KEY } : kv(SOURCE_KEY, value);
    attributes.splice(this.int(attributes.length + 1), 0, entry);
    if (this.chance(0.05)) attributes.push(kv(SOURCE_KEY, { stringValue: 'a-later-duplicate' }));
  }

  private nonStringValue(): AnyValueObject | undefined {
    switch (this.int(7)) {
      case 0: return { intValue: String(this.int(1e6)) };
      case 1: return { boolValue: true };
      case 2: return { doubleValue: 42.5 };
      case 3: return { arrayValue: { values: [{ stringValue: this.pick(this.userIds) }] } };
      case 4: return { kvlistValue: { values: [kv('id', { stringValue: 'x' })] } };
      case 5: return { bytesValue: this.bytes(4) };
      default: return undefined; // the key with no value at all
    }
  }

  private attribute(depth: number): KeyValueObject {
    const key = this.pick(['http.method', 'http.route', 'url.full', 'net.peer.name', 'genesys.conversation.id', 'genesys.queue.id', 'db.statement', 'retry.count', 'sampling.ratio', 'payload', 'tags', 'details']);
    return kv(key, this.anyValue(depth));
  }

  private anyValue(depth: number): AnyValueObject {
    const kinds = depth > 1 ? 8 : 6;
    switch (this.int(kinds)) {
      case 0:
      case 1: return { stringValue: this.pick(['GET', '/api/v2/conversations/{id}', '', 'ünïcødé ✓ 😀', 'x'.repeat(200)]) };
      case 2: return { intValue: this.pick(['0', '7', '-1', '9007199254740993', '-9223372036854775808']) };
      case 3: return { doubleValue: this.pick([0.25, -1.5, 1e300]) };
      case 4: return { boolValue: this.chance(0.5) };
      case 5: return { bytesValue: this.bytes(this.int(12)) };
      case 6: return { arrayValue: { values: this.times(3, () => this.anyValue(depth - 1)) } };
      default: return { kvlistValue: { values: this.times(3, () => this.attribute(depth - 1)) } };
    }
  }

  private times<T>(max: number, make: () => T): T[] {
    return Array.from({ length: this.int(max + 1) }, make);
  }

  private bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }

  private int(n: number): number {
    return Math.floor(this.rng() * n);
  }

  private chance(p: number): boolean {
    return this.rng() < p;
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

function kv(key: string, value: AnyValueObject): KeyValueObject {
  return { key, value };
}

/** Shape of `makeRequest`'s regular requests. */
export interface MakeRequestOptions {
  /** Total spans, spread evenly over resources and scopes. */
  spans: number;
  /** Share of spans carrying the source key as a string; spans are picked evenly (every 1/ratio-th). Default 0.5. */
  withUserIdRatio?: number;
  /** Ids handed out round-robin. Default: one fixed id. */
  userIds?: readonly string[];
  /** ResourceSpans count. Default 1. */
  resources?: number;
  /** ScopeSpans per ResourceSpans. Default 1. */
  scopesPerResource?: number;
  /** Extra attributes per span besides the id. Default 8. */
  attributesPerSpan?: number;
  /** Seed of the random ids and timestamps. Default 1. */
  seed?: number;
}

/**
 * A regular request (deterministic for given options): realistic spans,
 * a chosen share of them carrying a string user id.
 */
export function makeRequest(options: MakeRequestOptions): TraceRequestObject {
  const rng = mulberry32(options.seed ?? 1);
  const resources = options.resources ?? 1;
  const scopes = options.scopesPerResource ?? 1;
  const ratio = options.withUserIdRatio ?? 0.5;
  const userIds = options.userIds ?? ['6f1d8f8c-3a43-4b5e-9c1a-0f0e2b7c5d11'];
  const attributeCount = options.attributesPerSpan ?? 8;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rng() * 256)));
  let next = 0;
  let carried = 0;
  const span = (): SpanObject => {
    const index = next++;
    const start = 1_700_000_000_000_000_000n + BigInt(index) * 1_000_000n;
    const attributes: KeyValueObject[] = [];
    for (let a = 0; a < attributeCount; a++) attributes.push(realisticAttribute(a, index));
    // Span i carries the id when the running share falls behind the target ratio.
    if (carried < Math.round((index + 1) * ratio)) {
      attributes.splice(attributes.length >> 1, 0, kv(SOURCE_KEY, { stringValue: userIds[carried % userIds.length] }));
      carried++;
    }
    return {
      traceId: bytes(16),
      spanId: bytes(8),
      parentSpanId: bytes(8),
      name: `conversation.step ${index % 17}`,
      kind: 2,
      flags: 0x101,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 250_000n),
      attributes,
      events: [{ timeUnixNano: String(start + 1000n), name: 'queue.enter', attributes: [kv('queue.name', { stringValue: 'Support EN' }), kv('position', { intValue: String(index % 9) })] }],
      status: { code: 1 },
    };
  };
  const perScope = Math.ceil(options.spans / (resources * scopes));
  const resourceSpans: ResourceSpansObject[] = [];
  for (let r = 0; r < resources; r++) {
    const scopeSpans: ScopeSpansObject[] = [];
    for (let s = 0; s < scopes; s++) {
      const spans: SpanObject[] = [];
      while (spans.length < perScope && next < options.spans) spans.push(span());
      scopeSpans.push({ scope: { name: '@opentelemetry/instrumentation-http', version: '0.52.0' }, spans });
    }
    resourceSpans.push({
      resource: { attributes: [kv('service.name', { stringValue: `svc-${r}` }), kv('telemetry.sdk.language', { stringValue: 'nodejs' })] },
      scopeSpans,
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    });
  }
  return { resourceSpans };
}

function realisticAttribute(a: number, index: number): KeyValueObject {
  switch (a % 8) {
    case 0: return kv('http.request.method', { stringValue: 'POST' });
    case 1: return kv('url.full', { stringValue: `https://api.mypurecloud.com/api/v2/conversations/calls/${index}/participants` });
    case 2: return kv('http.response.status_code', { intValue: '200' });
    case 3: return kv('server.address', { stringValue: 'api.mypurecloud.com' });
    case 4: return kv('genesys.conversation.id', { stringValue: `c0ffee00-0000-4000-8000-${String(index).padStart(12, '0')}` });
    case 5: return kv('network.peer.port', { intValue: '443' });
    case 6: return kv('genesys.queue.ids', { arrayValue: { values: [{ stringValue: 'q-support-en' }, { stringValue: 'q-billing' }] } });
    default: return kv('sampling.ratio', { doubleValue: 0.25 });
  }
}

/**
 * The benchmark request: `spanCount` spans (default 512) in 4 resources x 2
 * scopes, half carrying a user id out of 64; about 300 KB at 512 spans.
 */
export function benchRequest(spanCount = 512): Buffer {
  const rng = mulberry32(0xbe7c);
  const userIds = Array.from({ length: 64 }, () => randomUserId(rng));
  return encodeRequest(makeRequest({ spans: spanCount, withUserIdRatio: 0.5, userIds, resources: 4, scopesPerResource: 2, attributesPerSpan: 8, seed: 0xbe7c }));
}
