// Channel- and group-mixed precision inside one tensor (Atom, MixLLM, SliM-LLM; docs/numerics.md):
// a format map splits the channel (reduction) axis into ranges, each with its integer width and
// group size; every group has its own binary32 scale σ = RNE32(amax/qmax) and symmetric codes
// q = clamp(RNE(x/σ), -qmax, qmax), qmax = 2^(b-1) - 1 (σ never below 2^-149).
import { fromBinary32Bits, stickyQuotient, toBinary32Bits } from './binary.js';
import { fail } from './errors.js';
import {
  abs,
  add,
  compare,
  type Exact,
  type FiniteExact,
  fromInt,
  mul,
  POS_ZERO,
} from './exact.js';
import { roundMag } from './rounding.js';

/** Channels [start, end) quantized to `bits`-bit signed integers in groups of `groupSize`. */
export interface FormatRange {
  readonly start: number;
  readonly end: number;
  readonly bits: number;
  readonly groupSize: number;
}
export type FormatMap = readonly FormatRange[];

export interface MixedGroup {
  readonly start: number;
  readonly bits: number;
  /** binary32 bit pattern of σ (0 for an all-zero group). */
  readonly scale: number;
  readonly codes: readonly number[];
}

/**
 * Checks that `map` covers channels 0..channels-1 exactly once, in order; every error names the
 * field (`field[i].start` …).
 */
export function checkFormatMap(map: FormatMap, channels: number, field = 'map'): void {
  if (map.length === 0) fail(`${field} is empty: it must cover channels 0..${channels - 1}`);
  let next = 0;
  map.forEach((r, i) => {
    const f = `${field}[${i}]`;
    if (!Number.isInteger(r.bits) || r.bits < 2 || r.bits > 8)
      fail(`${f}.bits ${r.bits} must be an integer 2..8`);
    if (!Number.isInteger(r.groupSize) || r.groupSize < 1)
      fail(`${f}.groupSize ${r.groupSize} must be a positive integer`);
    if (r.start !== next)
      fail(
        next === 0 && i === 0
          ? `${f}.start is ${r.start}: the map must start at channel 0`
          : `${f}.start is ${r.start}: the map leaves a gap or overlap at channel ${next}`,
      );
    if (!Number.isInteger(r.end) || r.end <= r.start)
      fail(`${f}.end ${r.end} must be an integer above start ${r.start}`);
    next = r.end;
  });
  if (next !== channels)
    fail(`${field} covers channels 0..${next - 1} but the tensor has ${channels} channels`);
}

/** Atom's map: channels [0, C-outliers) INT4 in groups of groupSize, the last `outliers` INT8. */
export function atomFormatMap(channels: number, outliers: number, groupSize = 128): FormatMap {
  if (!Number.isInteger(outliers) || outliers < 0 || outliers > channels)
    fail(`outliers ${outliers} must be an integer 0..${channels}`);
  const m: FormatRange[] = [];
  if (channels - outliers > 0) m.push({ start: 0, end: channels - outliers, bits: 4, groupSize });
  if (outliers > 0)
    m.push({ start: channels - outliers, end: channels, bits: 8, groupSize: outliers });
  return m;
}

/**
 * Atom's reordering: a permutation that keeps the other channels in order and moves the
 * `outliers` channels of largest score (ties: the higher index counts as the larger) to the end,
 * in increasing order of score.
 */
export function outlierPermutation(scores: readonly number[], outliers: number): number[] {
  const byScore = scores.map((s, i) => ({ s, i })).sort((a, b) => a.s - b.s || a.i - b.i);
  const out = new Set(byScore.slice(byScore.length - outliers).map((e) => e.i));
  return [
    ...scores.map((_, i) => i).filter((i) => !out.has(i)),
    ...byScore.slice(byScore.length - outliers).map((e) => e.i),
  ];
}

function rneInt(x: FiniteExact): bigint {
  const m = x.exp >= 0 ? x.sig << BigInt(x.exp) : roundMag(x.sig, -x.exp);
  return x.neg ? -m : m;
}

/** Quantizes one vector along the channel axis with a format map. NaN/Inf are errors. */
export function mixedQuantize(bits: readonly number[], map: FormatMap): MixedGroup[] {
  checkFormatMap(map, bits.length);
  const xs = bits.map((b, i) => {
    const x = fromBinary32Bits(b);
    if (x.kind !== 'finite') fail(`mixed-precision input ${i} is not finite`);
    return x;
  });
  const groups: MixedGroup[] = [];
  for (const r of map)
    for (let g = r.start; g < r.end; g += r.groupSize) {
      const vs = xs.slice(g, Math.min(r.end, g + r.groupSize));
      const amax = vs.reduce<FiniteExact>(
        (m, v) => (compare(abs(v), m) === 1 ? (abs(v) as FiniteExact) : m),
        POS_ZERO,
      );
      const qmax = (1n << BigInt(r.bits - 1)) - 1n;
      if (amax.sig === 0n) {
        groups.push({ start: g, bits: r.bits, scale: 0, codes: vs.map(() => 0) });
        continue;
      }
      // σ below the smallest binary32 subnormal would round to 0: keep 2^-149 instead
      const scale = toBinary32Bits(stickyQuotient(false, amax.sig, qmax, amax.exp)) || 1;
      const s = fromBinary32Bits(scale) as FiniteExact;
      const codes = vs.map((v) => {
        if (v.sig === 0n) return 0;
        const q = rneInt(stickyQuotient(v.neg, v.sig, s.sig, v.exp - s.exp));
        return Number(q > qmax ? qmax : q < -qmax ? -qmax : q);
      });
      groups.push({ start: g, bits: r.bits, scale, codes });
    }
  return groups;
}

/** Exact values σ·q in channel order. */
export function mixedDequantize(groups: readonly MixedGroup[]): Exact[] {
  return groups.flatMap((g) => {
    const s = fromBinary32Bits(g.scale);
    return g.codes.map((q) => mul(s, fromInt(BigInt(q))));
  });
}

/**
 * Exact dot product of two vectors quantized with the same map: Σ_g σa·σb·Σ qa·qb. The integer
 * partial sums per group are what the mixed-precision lane computes.
 */
export function mixedDot(a: readonly MixedGroup[], b: readonly MixedGroup[]): Exact {
  if (a.length !== b.length) fail(`mixed dot: operands have ${a.length} and ${b.length} groups`);
  let acc: Exact = POS_ZERO;
  a.forEach((ga, i) => {
    const gb = b[i] as MixedGroup;
    if (ga.start !== gb.start || ga.codes.length !== gb.codes.length)
      fail(`mixed dot: group ${i} differs between operands (different format maps)`);
    let s = 0n;
    ga.codes.forEach((q, j) => (s += BigInt(q) * BigInt(gb.codes[j] ?? 0)));
    const prod = mul(fromBinary32Bits(ga.scale), fromBinary32Bits(gb.scale));
    acc = add(acc, mul(prod, fromInt(s)));
  });
  return acc;
}

/** One group of a power-of-two-scaled mixed vector: its scale is 2^(base + d), 0 ≤ d ≤ dMax. */
export interface MixedPow2Group {
  readonly start: number;
  readonly bits: number;
  readonly d: number;
  /** Signed codes, |q| ≤ 2^(bits-1) - 1. */
  readonly codes: readonly number[];
}

/** RNE(x·2^-e) as a signed integer. */
function rneShift(x: FiniteExact, e: number): bigint {
  return rneInt({ ...x, exp: x.exp - e });
}

/**
 * Mixed precision with power-of-two group scales (the hardware form of docs/blockdialect.md,
 * decision 34): every group's scale is 2^(base + d) with d the smallest of 0..dMax such that
 * RNE(amax·2^-(base+d)) ≤ qmax (dMax if none is), and q = clamp(RNE(x·2^-(base+d)), ±qmax).
 * An all-zero group has d = 0. A product of two such groups is an integer sum shifted by
 * d_a + d_b: the per-group combination is exact shift-and-add.
 */
export function mixedQuantizePow2(
  values: readonly Exact[],
  map: FormatMap,
  base: number,
  dMax: number,
): MixedPow2Group[] {
  checkFormatMap(map, values.length);
  const xs = values.map((x, i) => {
    if (x.kind !== 'finite') fail(`mixed-precision input ${i} is not finite`);
    return x;
  });
  const groups: MixedPow2Group[] = [];
  for (const r of map)
    for (let g = r.start; g < r.end; g += r.groupSize) {
      const vs = xs.slice(g, Math.min(r.end, g + r.groupSize));
      const qmax = (1n << BigInt(r.bits - 1)) - 1n;
      const amax = vs.reduce<FiniteExact>(
        (m, v) => (compare(abs(v), m) === 1 ? (abs(v) as FiniteExact) : m),
        POS_ZERO,
      );
      let d = 0;
      if (amax.sig !== 0n) while (d < dMax && rneShift(amax, base + d) > qmax) d++;
      const codes = vs.map((v) => {
        const q = rneShift(v, base + d);
        return Number(q > qmax ? qmax : q < -qmax ? -qmax : q) + 0;
      });
      groups.push({ start: g, bits: r.bits, d, codes });
    }
  return groups;
}
