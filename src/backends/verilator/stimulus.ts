// Seeded random stimulus for co-simulation: per design and vector set an independent stream
// (so a design's vectors do not depend on which batch it is built in), mixing uniform bits with
// corner values (0, 1, all ones, only the top bit) that uniform bits almost never hit.
import { contentHash } from '../cache.js';

/** mulberry32: a small, fast, well-mixed 32-bit PRNG; same seed, same stream. */
export class Rng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** Seeds from any strings (hashed), e.g. [seed, design name, vector set]. */
  static from(...parts: readonly (string | number)[]): Rng {
    const h = contentHash(parts.map(String));
    return new Rng(Number.parseInt(h.slice(0, 8), 16));
  }

  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.u32() / 0x100000000) * n);
  }

  /** Uniform bit pattern of `width` bits. */
  bits(width: number): bigint {
    let v = 0n;
    for (let done = 0; done < width; done += 32) v = (v << 32n) | BigInt(this.u32());
    return BigInt.asUintN(width, v);
  }

  /** A value of `width` bits: one time in four a corner value, else uniform. */
  value(width: number): bigint {
    const all = (1n << BigInt(width)) - 1n;
    if (this.below(4) !== 0) return this.bits(width);
    switch (this.below(6)) {
      case 0:
        return 0n;
      case 1:
        return 1n;
      case 2:
        return all;
      case 3:
        return 1n << BigInt(width - 1);
      case 4:
        return all >> 1n; // largest positive signed value
      default:
        return BigInt(this.below(16)) & all; // small values: shift amounts, addresses
    }
  }
}

/** `cycles` rows of random values for ports of the given widths. */
export function randomRows(rng: Rng, widths: readonly number[], cycles: number): bigint[][] {
  const rows: bigint[][] = [];
  for (let t = 0; t < cycles; t++) rows.push(widths.map((w) => rng.value(w)));
  return rows;
}
