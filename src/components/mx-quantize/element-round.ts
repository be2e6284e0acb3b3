// binary32 → MX element, one rounding (formats.md 2.3 steps 3-5, 3.1): the scaled value
// sign · N · 2^(q - 23) (N the 24-bit normalized significand, q = floor(log2|V|) - s) rounded to
// nearest-even on the element grid, saturating at ±max; floats keep the sign of zero results,
// INT8 is clamp(RNE(64·y), -128, 127). Combinational. `fixedToElement`: the same rounding of an
// exact fixed-point value (the add unit's float outputs).
import { cat, type Expr, lit, mux, s, u } from '../../hdl/index.js';
import type { FloatFormat, IntFormat } from '../../numerics/index.js';
import { leadingZeros } from '../arith/index.js';

/** RNE of N >> drop (drop an s11 signal, already clamped to [1, 25]): u24 rounded magnitude. */
function rneShift(n: Expr, drop: Expr): Expr {
  const dm1 = drop
    .subWrap(lit(1, s(11)))
    .trunc(5)
    .asUnsigned(); // 0..24
  const y = n.shrBy(dm1); // bits from drop-1 up
  const lost = y.shlBy(dm1).trunc(24).ne(n); // sticky: nonzero bits below drop-1
  const k = y.shr(1); // u23
  const g = y.bit(0);
  const up = g.and(lost.or(k.bit(0)));
  return k.add(up.extend(23)); // u24
}

const clampS11 = (x: Expr, lo: number, hi: number): Expr =>
  mux(x.lt(lit(lo, s(11))), lit(lo, s(11)), mux(x.gt(lit(hi, s(11))), lit(hi, s(11)), x));

/** The element code of sign · N · 2^(q-23); `zero` forces the (signed) zero code. */
export function roundToElement(
  f: FloatFormat | IntFormat,
  sign: Expr,
  n: Expr,
  q: Expr,
  zero: Expr,
): Expr {
  if (f.kind === 'int') {
    // 64·|y| = N · 2^(q - 17): drop 17 - q bits; drop ≤ 0 means ≥ 2^23, far above the range.
    const drop = lit(17, s(11)).subWrap(q);
    const big = drop.lt(lit(1, s(11)));
    const mag = rneShift(n, clampS11(drop, 1, 25));
    const pos = mux(big.or(mag.gt(127)), lit(127, u(24)), mag).trunc(8);
    const negMag = mux(big.or(mag.gt(128)), lit(128, u(24)), mag).trunc(9);
    const neg = negMag.toSigned().neg().trunc(8).asUnsigned(); // -128..0 as a pattern
    return mux(zero, lit(0, u(8)), mux(sign, neg, pos));
  }
  const M = f.manBits;
  const magBits = f.bits - 1;
  // Quantum exponent max(q, emin) - M; drop = 23 - M + max(emin - q, 0) bits of N.
  const below = lit(f.emin, s(11)).subWrap(q);
  const sub = below.gt(lit(0, s(11)));
  const drop = clampS11(lit(23 - M, s(11)).addWrap(mux(sub, below, lit(0, s(11)))), 1, 25);
  const rounded = rneShift(n, drop).trunc(M + 2); // ≤ 2^(M+1)
  // Magnitude code = (max(q, emin) - emin) << M + n: the hidden bit and a rounding carry bump
  // the exponent field by themselves (subnormals: exponent part 0).
  const ePart = mux(sub, lit(0, s(11)), q.subWrap(lit(f.emin, s(11))))
    .trunc(10)
    .asUnsigned(); // 0..~300
  const wide = ePart
    .extend(12 + M)
    .shl(M)
    .addWrap(rounded.extend(12 + 2 * M));
  const maxCode =
    Number((1n << BigInt(magBits)) - 1n) -
    (f.specials === 'nan-only' ? 1 : 0) -
    (f.specials === 'ieee' ? 4 : 0);
  const mag = mux(wide.gt(maxCode), lit(maxCode, u(magBits)), wide.trunc(magBits));
  return cat(sign, mux(zero, lit(0, u(magBits)), mag));
}

/**
 * The float element code of the exact value `sum · 2^exp` at a tensor scale 2^scaleExp (y =
 * value / 2^scaleExp), rounded once to nearest-even, saturating: `sum` (signed) normalized to a
 * 24-bit significand whose last bit is jammed with every bit below it (round to odd), which the
 * element rounding (dropping ≥ 20 of the 24 bits for 8-bit and narrower floats) then rounds as if
 * it saw them all. An exact zero sum is +0, or -0 when `negZero` (IEEE: -0 + -0). Combinational.
 */
export function fixedToElement(
  f: FloatFormat,
  sum: Expr,
  exp: number | Expr,
  scaleExp: number,
  negZero: Expr = lit(0, u(1)),
): Expr {
  const w = sum.width;
  const neg = sum.bit(w - 1);
  const mag = mux(neg, sum.neg().trunc(w), sum).asUnsigned();
  const lz = leadingZeros(mag);
  const norm = mag.shlBy(lz).trunc(w); // msb at bit w-1 (0 when sum = 0)
  const n =
    w > 24
      ? cat(norm.bits(w - 1, w - 23), norm.bit(w - 24).or(norm.bits(w - 25, 0).orR()))
      : w === 24
        ? norm
        : cat(norm, lit(0, u(24 - w)));
  // q = floor(log2|value|) - scaleExp = (w - 1 - lz) + exp - scaleExp
  const q =
    typeof exp === 'number'
      ? lit(w - 1 + exp - scaleExp, s(11)).subWrap(lz.extend(10).toSigned())
      : lit(w - 1 - scaleExp, s(11))
          .addWrap(exp.signed && exp.width <= 11 ? exp.extend(11) : exp.trunc(11).asSigned())
          .subWrap(lz.extend(10).toSigned());
  const zero = mag.eq(0);
  return roundToElement(f, mux(zero, negZero, neg), n, q, zero);
}
