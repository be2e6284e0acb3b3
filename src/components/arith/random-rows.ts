// Random rows of signed codes for the transformer-op units: an offset with a spread drawn from
// {0, 1, 3, 15, 63, full range}, clamped, plus rows of extreme codes (all min, all max, min/max
// alternating) 10 % of the time: ties, constant rows and saturation all occur.
import type { Rng } from '../random.js';

export function randomCodeRow(rng: Rng, n: number, bits: number): number[] {
  const lo = -(2 ** (bits - 1));
  const hi = 2 ** (bits - 1) - 1;
  if (rng.chance(0.1)) {
    const k = rng.int(3);
    return Array.from({ length: n }, (_, i) => (k === 0 ? lo : k === 1 ? hi : i % 2 ? lo : hi));
  }
  const spreads = [0, 1, 3, 15, 63, 2 ** bits];
  const spread = spreads[rng.int(spreads.length)] as number;
  const off = lo + rng.int(2 ** bits);
  return Array.from({ length: n }, () =>
    Math.max(lo, Math.min(hi, off + rng.int(2 * spread + 1) - spread)),
  );
}

/** Uniform signed codes. */
export function randomCodes(rng: Rng, n: number, bits: number): number[] {
  return Array.from({ length: n }, () => rng.int(2 ** bits) - 2 ** (bits - 1));
}
