import type { DecodedAnyValue, DecodedKeyValue } from './decodedRequest';

/**
 * True when some attribute value in `attributes` nests AnyValues deeper than
 * `max` levels (an attribute value is level 1). Stops descending at `max + 1`,
 * so its own recursion is bounded.
 */
export function attributesTooDeep(attributes: readonly DecodedKeyValue[] | null | undefined, max: number): boolean {
  return keyValuesTooDeep(attributes, 1, max);
}

function keyValuesTooDeep(list: readonly DecodedKeyValue[] | null | undefined, depth: number, max: number): boolean {
  if (!list) return false;
  for (const kv of list) if (kv.value && valueTooDeep(kv.value, depth, max)) return true;
  return false;
}

function valueTooDeep(value: DecodedAnyValue, depth: number, max: number): boolean {
  if (depth > max) return true;
  const array = value.arrayValue?.values;
  if (array) for (const item of array) if (valueTooDeep(item, depth + 1, max)) return true;
  return keyValuesTooDeep(value.kvlistValue?.values, depth + 1, max);
}
