/**
 * Shared pieces of the codec specs: both implementations under one name
 * each, the options the fixtures are made for, and assertion helpers.
 */
import assert from 'node:assert/strict';
import { PipelineError } from '../../../src/errors';
import { ReferenceTraceCodec, WireTraceCodec, type CodecOptions, type EnrichmentSite, type TraceCodec } from '../../../src/processor/codec';
import { SOURCE_KEY, WATCHED_KEYS } from '../../helpers/otlpFixtures';

export const CODEC_OPTIONS: CodecOptions = { sourceKey: SOURCE_KEY, watchedKeys: WATCHED_KEYS };

export interface CodecCase {
  readonly name: string;
  create(options?: CodecOptions): TraceCodec;
  /** Mutated requests the fuzz spec feeds it (the reference is slower, it gets fewer). */
  readonly mutationCases: number;
}

/** Every TraceCodec implementation; contract specs run once per entry. */
export const CODECS: readonly CodecCase[] = [
  { name: 'WireTraceCodec', create: (o = CODEC_OPTIONS) => new WireTraceCodec(o), mutationCases: 3000 },
  { name: 'ReferenceTraceCodec', create: (o = CODEC_OPTIONS) => new ReferenceTraceCodec(o), mutationCases: 1000 },
];

/** A site as plain data, `has()` asked for every watched key and one unwatched key, and `anyWatched`. */
export function describeSite(site: EnrichmentSite, watchedKeys: readonly string[] = WATCHED_KEYS) {
  return {
    kind: site.kind,
    sourceValue: site.sourceValue,
    sourceNonString: site.sourceNonString,
    has: Object.fromEntries([...watchedKeys, 'not.watched'].map((k) => [k, site.has(k)])),
    anyWatched: site.anyWatched,
  };
}

/** Asserts that `fn` throws a PipelineError with code invalid_argument (and nothing else). */
export function assertInvalidArgument(fn: () => unknown, messagePattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof PipelineError, `expected a PipelineError, got ${String(err)}`);
    assert.equal(err.code, 'invalid_argument');
    if (messagePattern) assert.match(err.message, messagePattern);
    return true;
  });
}

/** Runs `fn`; passes when it returns or throws a PipelineError invalid_argument, fails on anything else. */
export function assertOnlyInvalidArgument(fn: () => unknown, label: string): 'ok' | 'rejected' {
  try {
    fn();
    return 'ok';
  } catch (err) {
    if (err instanceof PipelineError && err.code === 'invalid_argument') return 'rejected';
    assert.fail(`${label}: threw something other than PipelineError(invalid_argument): ${err instanceof Error ? err.stack : String(err)}`);
  }
}
