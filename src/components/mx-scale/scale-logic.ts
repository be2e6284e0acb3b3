// The shared-scale datapath of formats.md section 4 for k binary32 values, as combinational
// logic reused by mx-quantize: block max |V| (integer compare of the 31 magnitude bits), the
// non-finite and all-zero flags, E = floor(log2 amax) exactly, the policy's s and the E8M0 code.
import { cat, type Expr, lit, mux, s, u } from '../../hdl/index.js';
import { leadingZeros } from '../arith/index.js';
import type { MxFormat, ScalePolicy } from '../../numerics/index.js';

export interface SharedScale {
  /** u8 E8M0 code X: 0xFF for a non-finite block, 0x00 for an all-zero block. */
  readonly scale: Expr;
  /** s(10): the clamped shared exponent s = X - 127 (meaningless for special blocks). */
  readonly shared: Expr;
  /** u1 flags. */
  readonly nonFinite: Expr;
  readonly allZero: Expr;
}

/** Exponent and 24-bit normalized significand (msb at bit 23) of a nonzero finite magnitude. */
export function normalizeBinary32(mag: Expr): { exp: Expr; sig: Expr } {
  const e32 = mag.bits(30, 23);
  const f = mag.bits(22, 0);
  const normal = e32.orR();
  const lz = leadingZeros(f); // u5, 0..23
  // Subnormal: msb of F at 22 - lz; shifting by lz + 1 puts it at bit 23; E = -127 - lz.
  const subSig = f.shlBy(lz.add(1)).trunc(24);
  const sig = mux(normal, cat(lit(1, u(1)), f), subSig);
  const expNormal = e32
    .toSigned()
    .extend(10)
    .subWrap(lit(127, s(10)));
  const expSub = lit(-127, s(10)).subWrap(lz.toSigned().extend(10));
  return { exp: mux(normal, expNormal, expSub), sig };
}

/** The largest magnitude (31 bits, compared as unsigned integers, formats.md 4 step 2) of a
 * block of binary32 bit patterns, and whether any of them is NaN or ±Inf. */
export function blockMax(values: readonly Expr[]): { amax: Expr; nonFinite: Expr } {
  let amax: Expr = lit(0, u(31));
  let nonFinite: Expr = lit(0, u(1));
  for (const v of values) {
    const mag = v.bits(30, 0);
    amax = mux(mag.gt(amax), mag, amax);
    nonFinite = nonFinite.or(v.bits(30, 23).andR());
  }
  return { amax, nonFinite };
}

/** Shared scale of `values` (each u32, binary32 bits) under `policy`. */
export function sharedScale(
  f: MxFormat,
  policy: ScalePolicy,
  values: readonly Expr[],
): SharedScale {
  const { amax, nonFinite } = blockMax(values);
  const allZero = amax.eq(0);
  const { exp, sig } = normalizeBinary32(amax);
  const emax = lit(f.emaxElem, s(10));
  let bump: Expr;
  switch (policy) {
    case 'floor':
      bump = lit(0, u(1));
      break;
    case 'ceil': // ceil(log2 A) = E unless A is not a power of two
      bump = sig.bits(22, 0).orR();
      break;
    case 'even': {
      // RNA to M+1 significant bits carries into the next binade iff the M+1 bits below the
      // leading one are all ones (docs/numerics.md scale policies).
      const m = f.manBits;
      bump = sig.bits(22, 22 - m).andR();
      break;
    }
    case 'rceil': {
      // A·2^-(E-emax) = (sig/2^23)·2^emax > max  ⟺  sig > maxSig·2^(lsb - emax + 23).
      const sh = f.element.lsbExp - f.emaxElem + 23; // E5M2: 7·2^29 · 2^-8, exact either way
      const c = sh >= 0 ? f.element.maxSig << BigInt(sh) : f.element.maxSig >> BigInt(-sh);
      bump = sig.gt(lit(c, u(24)));
      break;
    }
  }
  const raw = exp.subWrap(emax).addWrap(bump.toSigned().extend(10));
  const lo = lit(-127, s(10));
  const hi = lit(127, s(10));
  const shared = mux(raw.lt(lo), lo, mux(raw.gt(hi), hi, raw));
  const x = shared
    .addWrap(lit(127, s(10)))
    .asUnsigned()
    .trunc(8);
  const scale = mux(nonFinite, lit(0xff, u(8)), mux(allZero, lit(0, u(8)), x));
  return { scale, shared, nonFinite, allZero };
}
