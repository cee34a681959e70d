import { encodeRequest, makeRequest, mulberry32, randomUserId } from '../test/helpers/otlpFixtures';
import { countSpans } from './spanCount';

/** Spans in the benchmark request. */
export const SPANS_PER_REQUEST = 512;

/** Ids a benchmark request's spans carry in external.user.id, by directory state. */
export interface UserIdPool {
  active: readonly string[];
  inactive: readonly string[];
  deleted: readonly string[];
}

export interface BenchRequest {
  readonly bytes: Buffer;
  readonly spans: number;
  /** Distinct user ids the request refers to. */
  readonly distinctUsers: number;
}

/**
 * The request every variant is sent: the shared fixture's realistic shape
 * (4 resources x 2 scopes, 8 attributes of mixed types and an event per span,
 * about 300 KB at 512 spans), half the spans carrying a user id. The ids come
 * from the simulator's org, interleaved active / inactive / deleted so that
 * every kind of answer is on the hot path.
 */
export function buildBenchRequest(pool: UserIdPool): BenchRequest {
  const userIds = interleave([pool.active, pool.inactive, pool.deleted]);
  if (userIds.length === 0) throw new Error('the user id pool is empty');
  const bytes = encodeRequest(
    makeRequest({ spans: SPANS_PER_REQUEST, withUserIdRatio: 0.5, userIds, resources: 4, scopesPerResource: 2, attributesPerSpan: 8, seed: 0xbe7c }),
  );
  const spans = countSpans(bytes);
  if (spans !== SPANS_PER_REQUEST) throw new Error(`benchmark request holds ${spans} spans, expected ${SPANS_PER_REQUEST}`);
  return { bytes, spans, distinctUsers: new Set(userIds.slice(0, SPANS_PER_REQUEST / 2)).size };
}

/** Ids that exist nowhere, for runs without a simulator (the passthrough never looks them up). */
export function syntheticPool(count = 64): UserIdPool {
  const rng = mulberry32(0xbe7c);
  return { active: Array.from({ length: count }, () => randomUserId(rng)), inactive: [], deleted: [] };
}

function interleave(lists: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (let i = 0; out.length < lists.reduce((n, l) => n + l.length, 0); i++) {
    for (const l of lists) if (i < l.length) out.push(l[i]!);
  }
  return out;
}
