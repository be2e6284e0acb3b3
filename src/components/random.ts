// Deterministic random numbers for stimulus (splitmix32/mulberry-style; same seed, same beats).

export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  u32(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Uniform n-bit pattern as a bigint. */
  bits(n: number): bigint;
  /** true with probability p. */
  chance(p: number): boolean;
}

export function makeRng(seed: number): Rng {
  let s = seed >>> 0 || 0x9e3779b9;
  const u32 = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return {
    u32,
    int: (n) => Math.floor((u32() / 2 ** 32) * n),
    bits: (n) => {
      let v = 0n;
      for (let got = 0; got < n; got += 32) v = (v << 32n) | BigInt(u32());
      const extra = Math.ceil(n / 32) * 32 - n;
      return v >> BigInt(extra);
    },
    chance: (p) => u32() / 2 ** 32 < p,
  };
}
