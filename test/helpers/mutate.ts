/** Mutations of valid protobuf bytes for fuzzing: flipped, cut, duplicated, dropped, high-bit-set. */
import type { Rng } from './otlpFixtures';

/** A copy of `bytes` with one random kind of damage. */
export function mutate(rng: Rng, bytes: Buffer): Buffer {
  const at = () => Math.floor(rng() * bytes.length);
  const copy = Buffer.from(bytes);
  switch (Math.floor(rng() * 5)) {
    case 0: // flip a few bytes
      for (let i = 0; i < 1 + Math.floor(rng() * 3); i++) copy[at()] = Math.floor(rng() * 256);
      return copy;
    case 1: // cut
      return copy.subarray(0, at());
    case 2: // duplicate a slice in place
    {
      const a = at();
      const b = Math.min(bytes.length, a + Math.floor(rng() * 40));
      return Buffer.concat([copy.subarray(0, b), copy.subarray(a, b), copy.subarray(b)]);
    }
    case 3: // drop a slice
    {
      const a = at();
      return Buffer.concat([copy.subarray(0, a), copy.subarray(a + 1 + Math.floor(rng() * 8))]);
    }
    default: // set a high bit (turns one-byte varints into longer ones)
      copy[at()] |= 0x80;
      return copy;
  }
}
