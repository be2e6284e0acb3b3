// Integer Hadamard transform (QuaRot / SpinQuant online rotation, docs/numerics.md): y = H_n·x with
// the ±1 Sylvester matrix H_n[i][j] = (-1)^popcount(i & j), n = 2^k, computed exactly by the fast
// Walsh–Hadamard butterflies. Inputs of w signed bits give outputs of exactly w + k signed bits;
// the orthonormal factor n^(-1/2) = 2^(-k/2) is not applied here but folded into the scale that
// follows (hadamardFoldScale).
import { fromBinary32Bits, toBinary32Bits } from './binary.js';
import { fail } from './errors.js';
import { finite, type FiniteExact } from './exact.js';
import { fitSigned, roundShiftSigned } from './rounding.js';

/** log2 of a Hadamard size; a size that is not a power of two (≥ 1) is an error naming `field`. */
export function hadamardLog2(n: number, field = 'size'): number {
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0 || n > 2 ** 30)
    fail(`hadamard ${field} ${n} is not a power of two (1, 2, 4, … 2^30)`);
  return Math.round(Math.log2(n));
}

/** Output width of an n-point transform of w-bit signed inputs: w + log2 n (exact, tight). */
export function hadamardOutBits(n: number, w: number): number {
  return w + hadamardLog2(n);
}

/** Fast Walsh–Hadamard transform in natural (Sylvester) order; the length must be 2^k. */
export function fwht(x: readonly bigint[]): bigint[] {
  hadamardLog2(x.length, 'size (input length)');
  const y = [...x];
  for (let h = 1; h < y.length; h *= 2)
    for (let i = 0; i < y.length; i += 2 * h)
      for (let j = i; j < i + h; j++) {
        const a = y[j] ?? 0n;
        const b = y[j + h] ?? 0n;
        y[j] = a + b;
        y[j + h] = a - b;
      }
  return y;
}

/** The entry H_n[i][j] = (-1)^popcount(i & j). */
export function hadamardEntry(i: number, j: number): 1 | -1 {
  let v = i & j;
  let p = 0;
  while (v) {
    p ^= v & 1;
    v >>>= 1;
  }
  return p ? -1 : 1;
}

/**
 * The binary32 scale that follows the transform: `scale · 2^(-k/2)` rounded once (RNE). For even k
 * this is an exact exponent shift; for odd k the factor is 2^(-(k+1)/2)·√2, irrational, so the
 * product is never a tie and is rounded from floor(sig·√2·2^p) with p guard bits.
 */
export function hadamardFoldScale(scaleBits: number, n: number): number {
  const k = hadamardLog2(n);
  const s = fromBinary32Bits(scaleBits);
  if (s.kind !== 'finite' || s.neg || s.sig === 0n)
    fail(`hadamard scale must be a positive finite binary32`);
  if (k % 2 === 0) return toBinary32Bits(finite(false, s.sig, s.exp - k / 2));
  // sig·√2 = sqrt(2·sig²); take 64 extra bits then a sticky 1 (√2·sig is never a dyadic rational)
  const p = 64n;
  const r = isqrt((2n * s.sig * s.sig) << (2n * p));
  const v: FiniteExact = finite(false, (r << 1n) | 1n, s.exp - Number(p) - 1 - (k + 1) / 2);
  return toBinary32Bits(v);
}

/** floor(sqrt(v)) of a non-negative bigint. */
export function isqrtBig(v: bigint): bigint {
  return isqrt(v);
}

function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  // Newton's iteration from a power of two above the root decreases monotonically to floor(√v)
  let x = 1n << BigInt(Math.ceil(v.toString(2).length / 2) + 1);
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** The exponent of the folded normalisation: ν = ceil(k/2) for n = 2^k (H·x·2^-ν is Q·x for even k). */
export function hadamardNormExp(n: number): number {
  return Math.ceil(hadamardLog2(n) / 2);
}

/**
 * The rotated row as codes of an `outBits` signed int (the IR's `hadamard` op): integer inputs x
 * at 2^inExp, output codes y at 2^outExp with value H·x·2^(inExp - ν):
 * y = sat(RNE(fwht(x) · 2^-(outExp - inExp + ν)), outBits) (a left shift when the count ≤ 0).
 */
export function hadamardRequantize(
  x: readonly bigint[],
  inExp: number,
  outExp: number,
  outBits: number,
): bigint[] {
  const k = outExp - inExp + hadamardNormExp(x.length);
  return fwht(x).map((v) => fitSigned(roundShiftSigned(v, k, 'rne'), outBits, 'saturate'));
}
