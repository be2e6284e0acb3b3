// Seeded NVFP4 stimulus with g = 2^G: most blocks are built around a target E4M3 scale code c
// (every code 1..0x7E reachable): the block max is exactly 6g·v_c (so s = c), exactly a scale
// midpoint 6g·(v_c + v_{c-1})/2 (a tie), or a random value near 6g·v_c; the other elements are
// g·v_c·r with r an E2M1 value, an E2M1 midpoint (exact element ties), a neighbour of one (one
// ulp off), or random; plus the generic MX blocks (zeros, signed zeros, subnormals, max
// magnitude, all-zero blocks, NaN/±Inf) and occasional NaN/±Inf in directed blocks.
import {
  add,
  decode,
  type FiniteExact,
  finite,
  mul,
  toBinary32Bits,
} from '../../numerics/index.js';
import type { Rng } from '../random.js';
import { randomBinary32Block } from '../mx-scale/index.js';
import { E2M1_MIDPOINTS_X4, E4M3_MAX_CODE } from './nvfp4-logic.js';

const MAX_FINITE = 0x7f7fffff;
/** 4 × the E2M1 magnitudes 0, 0.5, 1, 1.5, 2, 3, 4, 6. */
const E2M1_X4 = [0, 2, 4, 6, 8, 12, 16, 24] as const;

/** binary32 bits of a finite value, RNE (exact when representable), overflow clamped to max. */
function bits32(x: FiniteExact): number {
  const b = toBinary32Bits(x);
  return (b & 0x7fffffff) > MAX_FINITE ? ((b & 0x80000000) | MAX_FINITE) >>> 0 : b >>> 0;
}

const e4m3 = (c: number): FiniteExact => decode('fp8_e4m3', c) as FiniteExact;

/** A ratio r (exact, ≥ 0) of an element to g·d: on the E2M1 grid, its midpoints, or random. */
function ratio(rng: Rng): FiniteExact {
  const k = rng.int(10);
  if (k < 3) return finite(false, BigInt(E2M1_X4[rng.int(8)] as number), -2);
  if (k < 6) return finite(false, BigInt(E2M1_MIDPOINTS_X4[rng.int(7)] as number), -2);
  if (k < 8) {
    // One unit in the 22nd bit off a midpoint or grid value: just above / below a tie.
    const base = BigInt(rng.chance(0.5) ? E2M1_MIDPOINTS_X4[rng.int(7)]! : E2M1_X4[rng.int(8)]!);
    const off = rng.chance(0.5) ? 1n : -1n;
    return finite(false, (base << 20n) + off, -22);
  }
  if (k < 9) return finite(false, BigInt(rng.int(1 << 20)), -(22 + rng.int(8))); // tiny
  return finite(false, BigInt(rng.int(7 << 20)), -20); // random in [0, 7)
}

/** One NVFP4 block of k binary32 patterns for g = 2^G. */
export function randomNvfp4Block(rng: Rng, k: number, G: number): number[] {
  if (rng.chance(0.15)) return randomBinary32Block(rng, k);
  const c = rng.chance(0.1) ? [1, 2, 7, 8, 9, 0x7d, E4M3_MAX_CODE][rng.int(7)]! : 1 + rng.int(126);
  const g = finite(false, 1n, G);
  const gd = mul(g, e4m3(c)) as FiniteExact;
  const sign = (): boolean => rng.chance(0.5);
  const style = rng.int(10);
  let amax: FiniteExact;
  if (style < 5)
    amax = mul(gd, finite(false, 3n, 1)) as FiniteExact; // 6g·v_c: s = c
  else if (style < 7) {
    // 3g·(v_{c-1} + v_c) = 6g·midpoint: a scale tie (c = 1: the tie between 0 and 2^-9).
    amax = mul(mul(g, add(e4m3(c - 1), e4m3(c))), finite(false, 3n, 0)) as FiniteExact;
  } else if (style < 8) {
    // Beyond the largest scale: 6g·(448 + j·8), j = 0..7 (464 = j 2 is the SAT tie).
    amax = mul(g, finite(false, 3n * (448n + 8n * BigInt(rng.int(8))), 1)) as FiniteExact;
  } else {
    // Random within ±1/16 of 6g·v_c (24 random bits).
    const r = finite(false, (1n << 24n) + BigInt(rng.int(1 << 21)) - (1n << 20n), -24);
    amax = mul(mul(gd, finite(false, 3n, 1)), r) as FiniteExact;
  }
  const out = Array.from({ length: k }, () => {
    const x = mul(gd, ratio(rng)) as FiniteExact;
    const b = bits32(x);
    return sign() ? (b | 0x80000000) >>> 0 : b;
  });
  // The block max at a random position (it may be beaten by a random ratio in [6, 7)).
  const top = bits32(amax);
  out[rng.int(k)] = sign() ? (top | 0x80000000) >>> 0 : top;
  if (rng.chance(0.03)) {
    const special = [0x7fc00000, 0x7f800000, 0xff800000, 0xffc00000, 0x7f800001];
    out[rng.int(k)] = special[rng.int(special.length)] as number;
  }
  if (rng.chance(0.05)) out[rng.int(k)] = sign() ? 0x80000000 : 0; // explicit ±0
  return out;
}
