// Integer helpers shared by the transformer ops (docs/numerics.md "Integer transformer ops"):
// round-to-nearest-even shifts, saturation, exact integer square roots and parameter checks.
import { fail } from '../errors.js';
import { roundShiftSigned } from '../rounding.js';

/** `v · 2^-k` rounded to nearest, ties to even (formats.md 7.2); `k ≤ 0` is an exact left shift. */
export function rneShift(v: bigint, k: number): bigint {
  return roundShiftSigned(v, k, 'rne');
}

/** Clamps to the two's complement range of `bits` bits. */
export function satSigned(v: bigint, bits: number): bigint {
  const hi = (1n << BigInt(bits - 1)) - 1n;
  const lo = -(1n << BigInt(bits - 1));
  return v > hi ? hi : v < lo ? lo : v;
}

/** Clamps to `[0, 2^bits - 1]`. */
export function satUnsigned(v: bigint, bits: number): bigint {
  const hi = (1n << BigInt(bits)) - 1n;
  return v > hi ? hi : v < 0n ? 0n : v;
}

/** floor(sqrt(v)) for v ≥ 0, exact (Newton on integers, then a final correction). */
export function isqrt(v: bigint): bigint {
  if (v < 0n) fail(`isqrt of a negative value ${v}`);
  if (v < 2n) return v;
  let x = 1n << BigInt(Math.ceil(v.toString(2).length / 2));
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > v) x--;
  while ((x + 1n) * (x + 1n) <= v) x++;
  return x;
}

/** Number of bits of a non-negative integer (0 for 0). */
export function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

export function checkIntParam(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi)
    fail(`${name} must be an integer in ${lo}..${hi}; got ${v}`);
}

/** Checks that every code fits a signed `bits`-bit integer. */
export function checkSignedCodes(what: string, codes: readonly number[], bits: number): void {
  const lo = -(2 ** (bits - 1));
  const hi = 2 ** (bits - 1) - 1;
  codes.forEach((c, i) => {
    if (!Number.isInteger(c) || c < lo || c > hi)
      fail(`${what}[${i}] = ${c} is not a signed ${bits}-bit code (${lo}..${hi})`);
  });
}
