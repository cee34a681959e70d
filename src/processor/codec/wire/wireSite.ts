import type { EnrichmentSite } from '../types';

/**
 * A site as the wire codec reports it: four fields and a bit mask. Where it
 * sits in the buffer is kept apart, in the scan's SiteLayout.
 */
export class WireSite implements EnrichmentSite {
  constructor(
    readonly kind: 'span' | 'resource',
    readonly sourceValue: string | undefined,
    readonly sourceNonString: boolean,
    /** Bit i set when watched key i is present. */
    private readonly watchedMask: number,
    /** Watched key -> its bit, shared by every site of a codec. */
    private readonly keyBits: ReadonlyMap<string, number>,
  ) {}

  get anyWatched(): boolean {
    return this.watchedMask !== 0;
  }

  has(key: string): boolean {
    const bit = this.keyBits.get(key);
    return bit !== undefined && (this.watchedMask & bit) !== 0;
  }
}
