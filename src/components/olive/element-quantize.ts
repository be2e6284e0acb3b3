// One OliVe element quantizer (formats.md 6.4) as logic: y = x / 2^e from a binary32 x; a ≤ 9.5
// (olive8 129.5) → normal min(RNE(a), max normal); otherwise the nearest outlier (RNE on the
// abfloat mantissa, at least the smallest outlier, saturating at the largest). Hardware choices
// (the golden encoder rejects these inputs): NaN → 0, ±Inf → ± the largest outlier.
import { cat, type Expr, lit, mux, s, u } from '../../hdl/index.js';
import type { OliveVariant } from '../../numerics/index.js';
import { normalizeBinary32 } from '../mx-scale/index.js';
import { oliveBits } from './pair-decoder.js';
import { oliveMax } from './pe-config.js';

export interface OliveQExpr {
  readonly sign: Expr;
  /** u1: the element is an outlier. */
  readonly outlier: Expr;
  /** u(bits): the normal slot code (two's complement, never the identifier). */
  readonly normalCode: Expr;
  /** u(M+2): the outlier magnitude code E·2^M + m (1 .. 2^(M+2)-1), monotone in |q|. */
  readonly outlierMag: Expr;
}

/** RNE of t >> drop with an extra sticky input; drop (u4) ≥ 1. */
function rne(t: Expr, drop: Expr, stickyIn: Expr): Expr {
  const dm1 = drop.subWrap(lit(1, u(4)));
  const y = t.shrBy(dm1);
  const lost = y.shlBy(dm1).trunc(t.width).ne(t).or(stickyIn);
  const k = y.shr(1);
  const up = y.bit(0).and(lost.or(k.bit(0)));
  return k.add(up.extend(k.width));
}

export function quantizeOliveElement(v: OliveVariant, x: Expr, sigmaExp: Expr): OliveQExpr {
  const { bits: B, manBits: M } = oliveBits(v);
  const mx = oliveMax(v);
  const K = v === 'olive4' ? 7 : 11; // 2^K > largest outlier: a ≥ 2^K saturates
  const sign = x.bit(31);
  const mag = x.bits(30, 0);
  const special = mag.bits(30, 23).andR();
  const nan = special.and(mag.bits(22, 0).orR());
  const inf = special.and(nan.not());
  const zero = mag.eq(0).or(nan);
  const { exp, sig } = normalizeBinary32(mag);
  const ua = exp.extend(11).subWrap(sigmaExp.extend(11)); // floor(log2 a)
  const sat = inf.or(ua.ge(lit(K, s(11))));
  // T = floor(2a) = sig >> (22 - ua), K+1 bits, plus a sticky bit.
  const rsRaw = lit(22, s(11)).subWrap(ua);
  const rs = mux(rsRaw.gt(lit(25, s(11))), lit(25, s(11)), rsRaw)
    .trunc(5)
    .asUnsigned();
  const tWide = sig.shrBy(rs);
  const sticky = tWide.shlBy(rs).trunc(24).ne(sig);
  const t = mux(sat.or(zero), lit(0, u(K + 1)), tWide.trunc(K + 1));
  // Normal: RNE(a) = RNE(T >> 1), at most the largest normal.
  const qn = rne(t, lit(1, u(4)), sticky);
  const nMag = mux(qn.gt(mx.normal), lit(mx.normal, u(B - 1)), qn.trunc(B - 1));
  const nNeg = nMag.toSigned().neg().trunc(B).asUnsigned();
  const normalCode = mux(sign.and(nMag.ne(0)), nNeg, nMag.extend(B));
  // Outlier iff 2a > max normal + smallest outlier (6.4: ties go to the normal).
  const thrT = mx.normal + (2 ** M + 1) * 4; // max normal + smallest outlier (2^M + 1)·4
  const outlier = sat.or(t.gt(thrT).or(t.eq(thrT).and(sticky)));
  // Outlier binade E = ua - (M + 2) ∈ 0..3; quantum 2^(E+2) = 2^(E+3) in T units.
  const eRaw = ua.subWrap(lit(M + 2, s(11)));
  const e = mux(eRaw.lt(lit(0, s(11))), lit(0, s(11)), eRaw)
    .trunc(2)
    .asUnsigned();
  const r = rne(t, e.add(3).extend(4), sticky).trunc(M + 2); // 2^M .. 2^(M+1)
  const codeRaw = e
    .extend(M + 3)
    .shl(M)
    .trunc(M + 3)
    .addWrap(r.extend(M + 3))
    .subWrap(lit(2 ** M, u(M + 3)));
  const maxMag = 2 ** (M + 2) - 1;
  const clamped = mux(
    codeRaw.gt(maxMag),
    lit(maxMag, u(M + 3)),
    mux(codeRaw.eq(0), lit(1, u(M + 3)), codeRaw),
  );
  const outlierMag = mux(sat, lit(maxMag, u(M + 2)), clamped.trunc(M + 2));
  return {
    sign,
    outlier: outlier.and(zero.not()),
    normalCode: mux(zero, lit(0, u(B)), normalCode),
    outlierMag,
  };
}

/** The two codes of a pair (6.4): two outliers keep the larger magnitude (tie: element 2j). */
export function encodeOlivePair(v: OliveVariant, q0: OliveQExpr, q1: OliveQExpr): [Expr, Expr] {
  const { bits: B } = oliveBits(v);
  const id = lit(1 << (B - 1), u(B));
  const out0 = cat(q0.sign, q0.outlierMag);
  const out1 = cat(q1.sign, q1.outlierMag);
  const keep0 = q0.outlier.and(q1.outlier.not().or(q0.outlierMag.ge(q1.outlierMag)));
  const keep1 = q1.outlier.and(keep0.not());
  return [
    mux(keep0, out0, mux(keep1, id, q0.normalCode)),
    mux(keep0, id, mux(keep1, out1, q1.normalCode)),
  ];
}
