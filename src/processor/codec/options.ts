import { MAX_WATCHED_KEYS, type CodecOptions } from './types';

/** Codec options after validation: watched keys de-duplicated, order kept. */
export interface ResolvedCodecOptions {
  readonly sourceKey: string;
  readonly watchedKeys: readonly string[];
}

/**
 * Checks codec options once, at construction, and reports every problem in
 * one RangeError (a wiring bug, not a data problem, hence not a PipelineError).
 */
export function resolveCodecOptions(options: CodecOptions): ResolvedCodecOptions {
  const problems: string[] = [];
  if (typeof options.sourceKey !== 'string' || options.sourceKey.length === 0) {
    problems.push('sourceKey must be a non-empty string');
  }
  const watchedKeys = [...new Set(options.watchedKeys)];
  if (watchedKeys.some((k) => typeof k !== 'string' || k.length === 0)) {
    problems.push('watchedKeys must be non-empty strings');
  }
  if (watchedKeys.length > MAX_WATCHED_KEYS) {
    problems.push(`watchedKeys holds ${watchedKeys.length} keys; at most ${MAX_WATCHED_KEYS} are supported`);
  }
  if (problems.length > 0) throw new RangeError(`invalid codec options: ${problems.join('; ')}`);
  return Object.freeze({ sourceKey: options.sourceKey, watchedKeys: Object.freeze(watchedKeys) });
}
