// Seeded random binary32 blocks for MX stimulus: values around a per-block magnitude (so
// quantization keeps information), with zeros, signed zeros, subnormals, short mantissas (exact
// ties after scaling), the largest finite magnitude, all-zero blocks and occasional NaN/±Inf.
import type { Rng } from '../random.js';

const NAN = 0x7fc00000;
const INF = 0x7f800000;
const MAX = 0x7f7fffff;

/** One binary32 pattern near 2^base (base a biased exponent 1..254). */
function valueNear(rng: Rng, base: number): number {
  const sign = rng.chance(0.5) ? 0x80000000 : 0;
  const r = rng.int(100);
  let mag: number;
  if (r < 6) mag = 0;
  else if (r < 12)
    mag = rng.u32() & 0x007fffff; // subnormal (or zero)
  else if (r < 14) mag = MAX;
  else {
    const e = Math.min(254, Math.max(1, base - rng.int(12)));
    let f = rng.u32() & 0x007fffff;
    // Short mantissas land exactly on element grid points and midpoints (ties).
    if (rng.chance(0.5)) f &= ~((1 << (23 - rng.int(6))) - 1) & 0x007fffff;
    mag = ((e << 23) | f) >>> 0;
  }
  return (sign | mag) >>> 0;
}

/** k binary32 patterns of one random block. */
export function randomBinary32Block(rng: Rng, k: number): number[] {
  const style = rng.int(100);
  if (style < 3) return Array.from({ length: k }, () => (rng.chance(0.5) ? 0x80000000 : 0));
  // Mostly moderate magnitudes; sometimes tiny (subnormal range) or huge blocks.
  const base = style < 10 ? 1 + rng.int(12) : style < 16 ? 240 + rng.int(15) : 100 + rng.int(60);
  const out = Array.from({ length: k }, () => valueNear(rng, base));
  if (style >= 16 && style < 22) {
    const special = [NAN, INF, (INF | 0x80000000) >>> 0, (NAN | 0x80000000) >>> 0, 0x7f800001];
    out[rng.int(k)] = special[rng.int(special.length)] as number;
  }
  return out;
}

/** Values (u32 each) packed into one field and back, element 0 in the low bits (arith/codes.ts). */
export { packCodes as packWords, unpackCodes as unpackWords } from '../arith/index.js';
