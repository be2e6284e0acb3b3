// Stimulus for olive-encoder: values y·σ with y near the grid (integers, halves, the normal /
// outlier midpoint, outlier midpoints: exact ties), σ = 2^e over the whole s8 range, plus zeros,
// subnormals, huge values, NaN and ±Inf.
import type { Rng } from '../random.js';
import type { Beat } from '../registry.js';
import { packWords } from '../mx-scale/index.js';
import type { OliveEncoderConfig } from './encoder-config.js';

const TIES4 = [9.5, 14, 20, 28, 40, 56, 80, 96, 112, 7.5, 0.5, 2.5];
const TIES8 = [129.5, 130, 134, 262, 1008, 2016, 2032, 126.5, 0.5];

/** binary32 bits of (±n / 2^f)·2^e, n < 2^24, when representable as a normal; else 0. */
function bitsOf(neg: boolean, n: number, f: number, e: number): number {
  if (n === 0) return neg ? 0x80000000 : 0;
  const p = Math.floor(Math.log2(n));
  const exp = p - f + e + 127;
  if (exp < 1 || exp > 254) return 0;
  const frac = Math.round((n / 2 ** p - 1) * 2 ** 23) & 0x7fffff;
  return ((neg ? 0x80000000 : 0) | (exp << 23) | frac) >>> 0;
}

function value(rng: Rng, variant: OliveEncoderConfig['variant'], e: number): number {
  const r = rng.int(20);
  const neg = rng.chance(0.5);
  if (r === 0) return rng.chance(0.5) ? 0x7fc00000 : 0x7f800000 | (neg ? 0x80000000 : 0);
  if (r === 1) return (rng.u32() & 0x807fffff) >>> 0; // subnormal or zero
  if (r === 2) return (rng.u32() & 0xffffffff) >>> 0; // any pattern
  const ties = variant === 'olive4' ? TIES4 : TIES8;
  if (r < 8) {
    const t = ties[rng.int(ties.length)] as number;
    return bitsOf(neg, t * 2, 1, e);
  }
  const top = variant === 'olive4' ? 128 : 2048;
  // y = n / 2^f with random n: integers, halves, quarters and finer.
  const f = rng.int(6);
  return bitsOf(neg, rng.int(top * 2 ** f), f, e);
}

export function randomOliveEncoderBeat(cfg: OliveEncoderConfig, rng: Rng): Beat {
  const e = rng.chance(0.8) ? rng.int(21) - 10 : rng.int(256) - 128;
  const vals = Array.from({ length: 2 * cfg.pairs }, () => value(rng, cfg.variant, e));
  return { values: packWords(vals, 32), sigma_exp: BigInt.asUintN(8, BigInt(e)) };
}
