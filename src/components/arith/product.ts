// The exact product of two decoded elements as a signed fixed-point value in units of
// 2^(lsbA + lsbB) (formats.md 5.2): a small significand multiplier, then one left shift by
// shiftA + shiftB; fp8 special products (NaN, ±Inf) as flags beside it, following numerics.mxDot.
import { type Expr, lit, type ModuleBuilder, u } from '../../hdl/index.js';
import type { Decoded } from './element.js';
import { productWidth } from './formats.js';

export interface Product {
  /** Exact signed product, `productWidth(a, b)` bits, value · 2^lsb. */
  readonly value: Expr;
  readonly lsb: number;
  /** u1 flags, present when either format has specials: the product is NaN / +Inf / -Inf. */
  readonly isNaN?: Expr;
  readonly posInf?: Expr;
  readonly negInf?: Expr;
}

/** `x` as a signed value of exactly `w` bits (the caller guarantees that the value fits). */
export function fitSigned(x: Expr, w: number): Expr {
  const v = x.signed ? x : x.toSigned();
  if (v.width === w) return v;
  return v.width > w ? v.trunc(w) : v.extend(w);
}

/** The exact product `a · b`. */
export function multiplyDecoded(m: ModuleBuilder, a: Decoded, b: Decoded): Product {
  void m;
  const w = productWidth(a.format, b.format);
  const raw = a.sig.mul(b.sig).named('prod');
  let value: Expr;
  if (a.maxShift === 0 && b.maxShift === 0) value = fitSigned(raw, w);
  else if (b.maxShift === 0) value = fitSigned(raw.shlBy(a.shift), w);
  else if (a.maxShift === 0) value = fitSigned(raw.shlBy(b.shift), w);
  else value = fitSigned(raw.shlBy(a.shift.add(b.shift)), w);
  const lsb = a.lsb + b.lsb;
  if (!a.isNaN && !b.isNaN && !a.isInf && !b.isInf) return { value, lsb };
  // IEEE: NaN operand or Inf × 0 → NaN; Inf × nonzero → Inf with the XOR of the signs, where a
  // finite operand's sign is that of its value (-0 is a zero, mxDot's rule).
  const zero = lit(0, u(1));
  const nanA = a.isNaN ?? zero;
  const nanB = b.isNaN ?? zero;
  const infA = a.isInf ?? zero;
  const infB = b.isInf ?? zero;
  const isZeroA = a.sig.eq(0).and(infA.not()).and(nanA.not());
  const isZeroB = b.sig.eq(0).and(infB.not()).and(nanB.not());
  const negA = a.isInf ? a.sign : a.sig.lt(0);
  const negB = b.isInf ? b.sign : b.sig.lt(0);
  const isNaN = nanA.or(nanB).or(infA.and(isZeroB)).or(infB.and(isZeroA));
  const isInf = infA.or(infB).and(isNaN.not());
  const neg = negA.xor(negB);
  return { value, lsb, isNaN, posInf: isInf.and(neg.not()), negInf: isInf.and(neg) };
}
