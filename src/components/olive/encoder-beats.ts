// Stimulus for olive-encoder, drawn per pair so every reachable pair code occurs (formats.md
// 6.4 / 6.6): two normals with targets uniform over [-max, max] (olive4 all 225 combinations);
// one outlier with a target uniform over the outlier magnitudes and signs, its partner anything
// (the victim); two outliers, often with equal |q| (the tie keeps element 2j). Each target value
// y is hit exactly, on a tie with its neighbour (normals: q ± 0.5; the normal/outlier midpoint
// 9.5 / 129.5; outlier midpoints 14, 20, 28, 40, 56, 80 …), one step beside a tie, or randomly
// inside its rounding interval; saturation (y above the largest outlier, up to huge); zeros, -0,
// values that round to 0, subnormal x; NaN, ±Inf and arbitrary patterns. x = y·2^e with
// σ = 2^e in [-10, 10] mostly and anywhere in s8 otherwise (x rounded to binary32 where y·σ is
// not representable, so ties are exact whenever x is).
import { finite, toBinary32Bits } from '../../numerics/index.js';
import type { Rng } from '../random.js';
import type { Beat } from '../registry.js';
import { packWords } from '../mx-scale/index.js';
import type { OliveEncoderConfig } from './encoder-config.js';
import { oliveBits } from './pair-decoder.js';

type Variant = OliveEncoderConfig['variant'];

/** A target |y| as n / 2^FRAC (exact). */
const FRAC = 20;
const ONE = 1 << FRAC;

interface Grid {
  readonly maxNormal: number;
  /** Outlier magnitudes, ascending (olive4 12 … 96, olive8 132 … 2016). */
  readonly outliers: readonly number[];
}

const GRIDS = new Map<Variant, Grid>();
function gridOf(v: Variant): Grid {
  const hit = GRIDS.get(v);
  if (hit) return hit;
  const { bits, manBits: M } = oliveBits(v);
  const outliers: number[] = [];
  for (let e = 0; e < 4; e++)
    for (let m = e === 0 ? 1 : 0; m < 1 << M; m++) outliers.push(((1 << M) + m) << (e + 2));
  const g = { maxNormal: (1 << (bits - 1)) - 1, outliers };
  GRIDS.set(v, g);
  return g;
}

/** |y|·2^FRAC for a point of [lo, hi] (exact grid values, ties, one step off, or random). */
function near(rng: Rng, at: number, lo: number, hi: number): number {
  const r = rng.int(10);
  const step = rng.chance(0.5) ? 1 : 1 << rng.int(FRAC);
  if (r < 4) return at * ONE;
  if (r < 6) return (rng.chance(0.5) ? lo : hi) * ONE; // a tie (lo, hi are midpoints)
  if (r < 8)
    return Math.max(0, (rng.chance(0.5) ? lo : hi) * ONE + (rng.chance(0.5) ? step : -step));
  return Math.floor((lo + (rng.int(1 << 16) / (1 << 16)) * (hi - lo)) * ONE);
}

/** A normal target q ∈ 0..maxNormal: |y| near q (ties q ± 0.5). */
const normalY = (rng: Rng, q: number): number => near(rng, q, Math.max(q - 0.5, 0), q + 0.5);

/** An outlier target O[i]: |y| between the midpoints to its neighbours (the first: to maxNormal). */
function outlierY(rng: Rng, g: Grid, i: number): number {
  const o = g.outliers;
  const v = o[i] as number;
  const lo = ((i === 0 ? g.maxNormal : (o[i - 1] as number)) + v) / 2;
  const top = o[o.length - 1] as number;
  if (i === o.length - 1 && rng.chance(0.3))
    // Saturation: anything above the largest outlier, up to 2^40 times it.
    return rng.chance(0.5)
      ? top * ONE + 1 + rng.int(top * ONE)
      : top * 2 ** (rng.int(40) + 1) * ONE;
  const hi = i === o.length - 1 ? top + (top - lo) : (v + (o[i + 1] as number)) / 2;
  return near(rng, v, lo, hi);
}

/** |y| that quantizes to 0: 0, up to 0.5 (the tie at 0.5 goes to 0), or tiny. */
function zeroY(rng: Rng): number {
  const r = rng.int(4);
  if (r === 0) return 0;
  if (r === 1) return ONE / 2;
  return rng.int(ONE / 2);
}

interface Target {
  readonly y: number; // |y|·2^FRAC, or -1 for a raw binary32 pattern in `raw`
  readonly neg: boolean;
  readonly raw?: number;
}

function rawPattern(rng: Rng): number {
  const r = rng.int(5);
  if (r === 0) return rng.chance(0.5) ? 0x7fc00000 : 0xffc00001; // NaN
  if (r === 1) return rng.chance(0.5) ? 0x7f800000 : 0xff800000; // ±Inf
  if (r === 2) return (rng.u32() & 0x807fffff) >>> 0; // subnormal or ±0
  return rng.u32() >>> 0; // anything
}

/** The two element targets of one pair. */
function pairTargets(rng: Rng, g: Grid): [Target, Target] {
  const n = g.outliers.length;
  const sign = (): boolean => rng.chance(0.5);
  const normal = (): Target => ({ y: normalY(rng, rng.int(g.maxNormal + 1)), neg: sign() });
  const outlier = (i = rng.int(n)): Target => ({ y: outlierY(rng, g, i), neg: sign() });
  // olive8 has 255² normal pairs: give them a larger share (61.5 % instead of 45 %).
  const moreNormals = g.maxNormal > 7 && rng.chance(0.3);
  const r = rng.int(100);
  let t: [Target, Target];
  if (moreNormals || r < 45) t = [normal(), normal()];
  else if (r < 70) {
    const p = rng.int(4);
    const partner = p === 0 ? { y: zeroY(rng), neg: sign() } : p === 1 ? outlier(0) : normal();
    t = [outlier(), partner];
  } else if (r < 82) {
    const i = rng.int(n);
    t = [outlier(i), rng.chance(0.5) ? outlier(i) : outlier()]; // equal |q|: element 2j wins
  } else if (r < 92) t = [{ y: zeroY(rng), neg: sign() }, rng.chance(0.5) ? normal() : outlier()];
  else t = [{ y: -1, neg: false, raw: rawPattern(rng) }, rng.chance(0.5) ? normal() : outlier()];
  return rng.chance(0.5) ? t : [t[1], t[0]];
}

/** binary32 bits of ±y·2^e (RNE; beyond the range: ±Inf or a subnormal/zero). */
function bitsOf(t: Target, e: number): number {
  if (t.y < 0) return t.raw ?? 0;
  if (t.y === 0) return t.neg ? 0x80000000 : 0;
  return toBinary32Bits(finite(t.neg, BigInt(t.y), e - FRAC)) >>> 0;
}

export function randomOliveEncoderBeat(cfg: OliveEncoderConfig, rng: Rng): Beat {
  const g = gridOf(cfg.variant);
  const e = rng.chance(0.85) ? rng.int(21) - 10 : rng.int(256) - 128;
  const vals: number[] = [];
  for (let j = 0; j < cfg.pairs; j++) for (const t of pairTargets(rng, g)) vals.push(bitsOf(t, e));
  return { values: packWords(vals, 32), sigma_exp: BigInt.asUintN(8, BigInt(e)) };
}
