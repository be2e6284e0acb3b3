// BitMoD groups (formats.md 9.1): elements on a FP3/FP4 grid whose -0 code carries one extra
// value; per group the variant (ER+, ER-, EA+, EA-) with the least squared error is chosen.
import { stickyQuotient } from './binary.js';
import { decode } from './decode.js';
import { encode, type EncodeInput, toExact } from './encode.js';
import { fail } from './errors.js';
import { add, compare, type Exact, type FiniteExact, mul, POS_ZERO, sub } from './exact.js';
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
