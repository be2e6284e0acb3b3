// Stimulus for fp32-acc: values drawn so that short sums hit the adder's hard cases (a narrow
// exponent window for cancellation and carries, few low fraction bits for ties, the subnormal
// boundary, values near the largest finite for overflow, a small set of exact opposites for
// x + (-x) = +0, ±0, ±Inf, NaN with payloads), and every ordered pair of chosen values as a
// two-value sum.
import type { Rng } from '../random.js';
import type { Beat } from '../registry.js';
import type { Fp32AccConfig } from './config.js';

const bits = (sign: number, exp: number, frac: number): number =>
  ((sign << 31) | (exp << 23) | (frac & 0x7fffff)) >>> 0;

/** ±0, ±Inf and NaN patterns (quiet, signalling, negative, with payloads). */
export const FP32_SPECIALS: readonly number[] = [
  0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xffffffff,
];
/** Values whose short sums cancel exactly or tie: ±1, ±3, ±0.5, ±2^-24, ±ulp(1), ±max, ±2^104. */
const SMALL_SET: readonly number[] = [
  0x3f800000, 0x40400000, 0x3f000000, 0x33800000, 0x34000000, 0x7f7fffff, 0x73800000, 0x00000001,
];

function randomValue(rng: Rng): number {
  const sign = rng.int(2);
  const r = rng.int(100);
  if (r < 25) return rng.u32();
  if (r < 50) return bits(sign, 125 + rng.int(5), rng.int(1 << 23));
  if (r < 62) {
    const t = rng.int(24);
    return bits(sign, 110 + rng.int(40), (rng.int(1 << 23) >>> t) << t);
  }
  if (r < 74) return bits(sign, rng.int(4), rng.int(1 << 23));
  if (r < 82)
    return bits(
      sign,
      250 + rng.int(5),
      rng.chance(0.5) ? 0x7fffff - rng.int(16) : rng.int(1 << 23),
    );
  if (r < 95) return ((sign << 31) | (SMALL_SET[rng.int(SMALL_SET.length)] ?? 0)) >>> 0;
  return FP32_SPECIALS[rng.int(FP32_SPECIALS.length)] ?? 0;
}

export function randomFp32AccBeat(_cfg: Fp32AccConfig, rng: Rng): Beat {
  return { value: BigInt(randomValue(rng)), last: rng.chance(0.25) ? 1n : 0n };
}

/** Chosen values: specials and every sign of boundary exponents × boundary fractions. */
export function fp32AccChosenValues(): number[] {
  const exps = [0, 1, 2, 24, 25, 26, 27, 126, 127, 128, 151, 152, 253, 254];
  const fracs = [0, 1, 0x400000, 0x7fffff, 0x400001];
  const v = new Set<number>(FP32_SPECIALS);
  for (const e of exps) for (const f of fracs) for (const s of [0, 1]) v.add(bits(s, e, f));
  return [...v];
}

/** Every ordered pair (x, y) of the chosen values as the sum x + y (two beats, y is last). */
export function* exhaustiveFp32AccBeats(_cfg: Fp32AccConfig): Iterable<Beat> {
  const vals = fp32AccChosenValues();
  for (const x of vals)
    for (const y of vals) {
      yield { value: BigInt(x), last: 0n };
      yield { value: BigInt(y), last: 1n };
    }
}
