// Rounding on bit patterns (formats.md section 7): dropping low bits of a magnitude (7.1) and
// arithmetic right shifts of two's complement values (7.2).
import { fail } from './errors.js';

/** Magnitude rounding modes of 7.1. `rna` = ties away from zero (microxcaling "nearest"). */
export type Rounding = 'rne' | 'rtz' | 'rna' | 'stochastic';

export interface RoundingSpec {
  readonly mode: Rounding;
  /** Stochastic only: the caller's r-bit random integer `Rnd` (0 ≤ Rnd < 2^r). */
  readonly random?: number | bigint;
  /** Stochastic only: r, the number of random bits (default 8). */
  readonly randomBits?: number;
}

export const RNE: RoundingSpec = { mode: 'rne' };

/** Every rounding mode name (the CLI's choices). */
export const ROUNDINGS: readonly Rounding[] = ['rne', 'rtz', 'rna', 'stochastic'];

/** Checks a rounding spec once at the API boundary. */
export function checkRounding(r: RoundingSpec): void {
  if (!ROUNDINGS.includes(r.mode))
    fail(`rounding '${String(r.mode)}' is unknown; use rne, rtz, rna or stochastic`);
  if (r.mode !== 'stochastic') return;
  const bits = r.randomBits ?? 8;
  if (!Number.isInteger(bits) || bits < 1 || bits > 64)
    fail(`randomBits ${bits} must be an integer in 1..64`);
  if (r.random === undefined)
    fail(`stochastic rounding needs the caller's random bits: pass random (0..2^${bits}-1)`);
  const rnd = BigInt(r.random);
  if (rnd < 0n || rnd >= 1n << BigInt(bits))
    fail(`random ${r.random} is out of range for randomBits ${bits}: use 0..2^${bits}-1`);
}

/**
 * Drops `k` low bits of the non-negative integer `n` with the given mode (7.1); `k ≤ 0` shifts
 * left exactly. The caller applies the sign afterwards.
 */
export function roundMag(n: bigint, k: number, r: RoundingSpec = RNE): bigint {
  if (k <= 0) return n << BigInt(-k);
  const bk = BigInt(k);
  const kept = n >> bk;
  const dropped = n - (kept << bk);
  const half = 1n << (bk - 1n);
  switch (r.mode) {
    case 'rtz':
      return kept;
    case 'rna':
      return kept + (dropped >= half ? 1n : 0n);
    case 'rne': {
      const up = dropped > half || (dropped === half && (kept & 1n) === 1n);
      return kept + (up ? 1n : 0n);
    }
    case 'stochastic': {
      const rb = BigInt(r.randomBits ?? 8);
      const d = k >= Number(rb) ? dropped >> (bk - rb) : dropped << (rb - bk);
      return kept + (d + BigInt(r.random ?? 0) >= 1n << rb ? 1n : 0n);
    }
  }
}

/** Two's complement shift modes of 7.2. */
export type ShiftRounding = 'rne' | 'rtz' | 'floor' | 'rna';

/** Arithmetic right shift of a two's complement value by `k ≥ 1` bits with rounding (7.2). */
export function roundShiftSigned(v: bigint, k: number, mode: ShiftRounding = 'rne'): bigint {
  if (k <= 0) return v << BigInt(-k);
  const bk = BigInt(k);
  const q = v >> bk; // BigInt >> is floor division by 2^k
  const rem = v - (q << bk);
  const h = 1n << (bk - 1n);
  switch (mode) {
    case 'floor':
      return q;
    case 'rtz':
      return q + (v < 0n && rem !== 0n ? 1n : 0n);
    case 'rne':
      return q + (rem > h || (rem === h && (q & 1n) === 1n) ? 1n : 0n);
    case 'rna':
      return q + (rem > h || (rem === h && v >= 0n) ? 1n : 0n);
  }
}

/** Saturate (clamp) or wrap a signed integer to `w`-bit two's complement (section 1.3). */
export function fitSigned(v: bigint, w: number, overflow: 'saturate' | 'wrap'): bigint {
  const lo = -(1n << BigInt(w - 1));
  const hi = -lo - 1n;
  if (overflow === 'saturate') return v < lo ? lo : v > hi ? hi : v;
  const m = 1n << BigInt(w);
  return ((((v - lo) % m) + m) % m) + lo;
}
