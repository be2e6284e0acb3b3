// BitMoD groups (formats.md 9.1): elements on a FP3/FP4 grid whose -0 code carries one extra
// value; per group the variant (ER+, ER-, EA+, EA-) with the least squared error is chosen.
import { fromBinary32Bits, stickyQuotient } from './binary.js';
import { decode } from './decode.js';
import { encode, type EncodeInput, toExact } from './encode.js';
import { fail } from './errors.js';
import {
  abs,
  add,
  compare,
  type Exact,
  type FiniteExact,
  finite,
  fromInt,
  ilog2,
  mul,
  POS_ZERO,
  scale2,
  sub,
} from './exact.js';
import { roundMag } from './rounding.js';
import { type BitModVariant, getFormat, type GridFormat } from './formats.js';

export const BITMOD_VARIANTS: readonly BitModVariant[] = ['er+', 'er-', 'ea+', 'ea-'];
/** 2-bit per-group metadata code of each variant (mxgen choice). */
export const BITMOD_VARIANT_CODE: Readonly<Record<BitModVariant, number>> = {
  'er+': 0,
  'er-': 1,
  'ea+': 2,
  'ea-': 3,
};

export interface BitModGroup {
  readonly variant: BitModVariant;
  readonly codes: readonly number[];
}

export function bitmodFormat(base: 'fp3' | 'fp4', variant: BitModVariant): GridFormat {
  return getFormat(`bitmod_${base}_${variant}`) as GridFormat;
}

/**
 * Quantizes a group with scale σ (positive, finite): each element is x/σ rounded to the nearest
 * grid value (ties to the smaller magnitude, saturating). With no variant given, the variant
 * with the least exact squared error Σ(x - σ·q)² is picked (ties: ER+, ER-, EA+, EA- order).
 */
export function bitmodQuantize(
  values: readonly EncodeInput[],
  base: 'fp3' | 'fp4',
  sigma: EncodeInput,
  variant?: BitModVariant,
): BitModGroup {
  const s = toExact(sigma);
  if (s.kind !== 'finite' || s.neg || s.sig === 0n)
    fail(`BitMoD scale σ must be positive and finite`);
  const xs = values.map(toExact);
  const ys = xs.map((x): Exact => {
    if (x.kind !== 'finite') return x; // NaN → encode error; Inf saturates
    return stickyQuotient(x.neg, x.sig, s.sig, x.exp - s.exp);
  });
  let best: { group: BitModGroup; err: Exact } | undefined;
  for (const v of variant ? [variant] : BITMOD_VARIANTS) {
    const f = bitmodFormat(base, v);
    const codes = ys.map((y) => encode(f, y));
    let err: Exact = POS_ZERO;
    xs.forEach((x, i) => {
      if (x.kind !== 'finite') return;
      const d = sub(x, mul(s, decode(f, codes[i] ?? 0)));
      err = add(err, mul(d, d));
    });
    if (!best || compare(err, best.err) === -1) best = { group: { variant: v, codes }, err };
  }
  return (best as { group: BitModGroup }).group;
}

/** Exact values σ·q of a group. */
export function bitmodDequantize(
  group: BitModGroup,
  base: 'fp3' | 'fp4',
  sigma: EncodeInput,
): Exact[] {
  const s = toExact(sigma) as FiniteExact;
  const f = bitmodFormat(base, group.variant);
  return group.codes.map((c) => mul(s, decode(f, c)));
}

/** One BitMoD weight group with its 8-bit scale code: σ = scaleCode · 2^t (t per channel). */
export interface BitModScaledGroup extends BitModGroup {
  readonly scaleCode: number;
}

export interface BitModChannel {
  /** The per-channel power-of-two second-level scale exponent t. */
  readonly t: number;
  readonly groups: readonly BitModScaledGroup[];
}

/** Largest magnitude of a variant's grid (FP3: 4 or 6, FP4: 6 or 8), exact. */
export function bitmodMaxMagnitude(base: 'fp3' | 'fp4', variant: BitModVariant): FiniteExact {
  const f = bitmodFormat(base, variant);
  let m = 0n;
  for (const v of f.table) if ((v < 0n ? -v : v) > m) m = v < 0n ? -v : v;
  return finite(false, m, f.lsbExp);
}

/**
 * Quantizes one weight channel (binary32 values) in groups of `groupSize` (docs/numerics.md,
 * "BitMoD per-group selection"): t is the smallest integer with 255·M_base·2^t ≥ amax of the
 * channel (M_base = 4 for FP3, 6 for FP4; t = 0 for an all-zero channel); per group and variant v
 * the scale code is clamp(RNE(amax_g / (M_v·2^t)), 1, 255) with M_v the variant's largest
 * magnitude, the elements are `bitmodQuantize` with σ = code·2^t, and the variant with the least
 * exact squared error wins (ties: ER+, ER-, EA+, EA-). A short last group is allowed.
 */
export function bitmodQuantizeChannel(
  bits: readonly number[],
  base: 'fp3' | 'fp4',
  groupSize: number,
): BitModChannel {
  if (!Number.isInteger(groupSize) || groupSize < 1)
    fail(`BitMoD groupSize ${groupSize} must be a positive integer`);
  const xs = bits.map((b) => fromBinary32Bits(b));
  xs.forEach((x, i) => {
    if (x.kind !== 'finite') fail(`BitMoD weight ${i} is not finite (NaN/Inf cannot be quantized)`);
  });
  const fx = xs as FiniteExact[];
  const amaxOf = (vs: readonly FiniteExact[]): FiniteExact =>
    vs.reduce<FiniteExact>(
      (m, v) => (compare(abs(v), m) === 1 ? (abs(v) as FiniteExact) : m),
      POS_ZERO,
    );
  const amaxC = amaxOf(fx);
  const mBase = bitmodMaxMagnitude(base, 'er+');
  let t = 0;
  if (amaxC.sig !== 0n) {
    const unit = mul(fromInt(255n), mBase) as FiniteExact;
    t = ilog2(amaxC) - ilog2(unit) - 1;
    while (compare(scale2(unit, t), amaxC) === -1) t++;
  }
  const groups: BitModScaledGroup[] = [];
  for (let g = 0; g < fx.length; g += groupSize) {
    const vs = fx.slice(g, g + groupSize);
    const amax = amaxOf(vs);
    let best: { group: BitModScaledGroup; err: Exact } | undefined;
    for (const v of BITMOD_VARIANTS) {
      const den = scale2(bitmodMaxMagnitude(base, v), t) as FiniteExact;
      const ratio =
        amax.sig === 0n ? POS_ZERO : stickyQuotient(false, amax.sig, den.sig, amax.exp - den.exp);
      const code = Number(clampBig(roundToInt(ratio), 1n, 255n));
      const sigma = fromInt(BigInt(code), t);
      const grp = bitmodQuantize(vs, base, sigma, v);
      let err: Exact = POS_ZERO;
      bitmodDequantize(grp, base, sigma).forEach((y, i) => {
        const d = sub(vs[i] as FiniteExact, y);
        err = add(err, mul(d, d));
      });
      if (!best || compare(err, best.err) === -1)
        best = { group: { ...grp, scaleCode: code }, err };
    }
    groups.push((best as { group: BitModScaledGroup }).group);
  }
  return { t, groups };
}

/** RNE of a non-negative exact value to an integer. */
function roundToInt(x: FiniteExact): bigint {
  return x.exp >= 0 ? x.sig << BigInt(x.exp) : roundMag(x.sig, -x.exp);
}

function clampBig(v: bigint, lo: bigint, hi: bigint): bigint {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Exact values of a quantized channel: scaleCode·2^t·q per element. */
export function bitmodDequantizeChannel(ch: BitModChannel, base: 'fp3' | 'fp4'): Exact[] {
  return ch.groups.flatMap((g) => bitmodDequantize(g, base, fromInt(BigInt(g.scaleCode), ch.t)));
}
