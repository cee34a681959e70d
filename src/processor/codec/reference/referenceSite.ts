import type { EnrichmentSite } from '../types';
import type { DecodedKeyValue } from './decodedRequest';

/** A site found in a decoded request; `attributes` is the list additions are pushed to. */
export class ReferenceSite implements EnrichmentSite {
  readonly sourceValue: string | undefined;
  readonly sourceNonString: boolean;
  private readonly present: ReadonlySet<string>;

  constructor(
    readonly kind: 'span' | 'resource',
    readonly attributes: DecodedKeyValue[],
    source: DecodedKeyValue,
    watchedKeys: readonly string[],
  ) {
    // protobufjs's oneof getter names the member that is set; `stringValue`
    // alone is not enough, the prototype defaults it to "".
    const value = source.value;
    this.sourceValue = value && value.value === 'stringValue' ? value.stringValue : undefined;
    this.sourceNonString = this.sourceValue === undefined;
    this.present = new Set(watchedKeys.filter((k) => attributes.some((kv) => kv.key === k)));
  }

  get anyWatched(): boolean {
    return this.present.size > 0;
  }

  has(key: string): boolean {
    return this.present.has(key);
  }
}

/** The first attribute with `key` (the first occurrence decides), or undefined. */
export function findAttribute(attributes: readonly DecodedKeyValue[], key: string): DecodedKeyValue | undefined {
  for (const kv of attributes) if (kv.key === key) return kv;
  return undefined;
}
