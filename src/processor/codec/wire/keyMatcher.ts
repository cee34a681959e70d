/**
 * Compares attribute keys as bytes against the source key and the watched
 * keys, so the walker never decodes a key.
 */
export class KeyMatcher {
  private readonly source: Buffer;
  private readonly watched: readonly Buffer[];
  /** lengthHasWatched[n] is 1 when some watched key is n bytes long: most keys are rejected by length alone. */
  private readonly lengthHasWatched: Uint8Array;
  /**
   * keyLengths[n] is 1 when the source key or a watched key is n bytes long.
   * The walker checks it before calling isSource or watchedMask: most keys are
   * ruled out by their length, without a call.
   */
  readonly keyLengths: Uint8Array;

  constructor(sourceKey: string, watchedKeys: readonly string[]) {
    this.source = Buffer.from(sourceKey, 'utf8');
    this.watched = watchedKeys.map((k) => Buffer.from(k, 'utf8'));
    const longest = this.watched.reduce((max, k) => Math.max(max, k.length), 0);
    this.lengthHasWatched = new Uint8Array(longest + 1);
    for (const k of this.watched) this.lengthHasWatched[k.length] = 1;
    this.keyLengths = new Uint8Array(Math.max(longest, this.source.length) + 1);
    for (const k of [this.source, ...this.watched]) this.keyLengths[k.length] = 1;
  }

  /** True when buf[start, end) is the source key. */
  isSource(buf: Buffer, start: number, end: number): boolean {
    return sameBytes(this.source, buf, start, end);
  }

  /** Bit i set when buf[start, end) is watched key i (0 when none). */
  watchedMask(buf: Buffer, start: number, end: number): number {
    const len = end - start;
    if (len >= this.lengthHasWatched.length || this.lengthHasWatched[len] === 0) return 0;
    const watched = this.watched;
    for (let i = 0; i < watched.length; i++) {
      if (sameBytes(watched[i], buf, start, end)) return 1 << i;
    }
    return 0;
  }
}

function sameBytes(key: Buffer, buf: Buffer, start: number, end: number): boolean {
  const len = key.length;
  if (end - start !== len) return false;
  for (let i = 0; i < len; i++) {
    if (buf[start + i] !== key[i]) return false;
  }
  return true;
}
