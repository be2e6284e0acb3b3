// OliVe pair decoder (formats.md 6.3 / 6.6) as combinational logic: two codes of a pair to the
// exponent-integer form (int, shift), value int << shift; the identifier marks the victim slot and
// turns the partner into an abfloat outlier (sign, 2-bit exponent, M mantissa bits, abias 2).
import { cat, type Expr, lit, mux, s, u } from '../../hdl/index.js';
import type { OliveVariant } from '../../numerics/index.js';

export interface OliveTermExpr {
  /** s(bits): normal int, ±(2^M + m) for an outlier, 0 for a victim. */
  readonly int: Expr;
  /** u3: 0 for normals and victims, E + 2 (2..5) for an outlier. */
  readonly shift: Expr;
}

export function oliveBits(v: OliveVariant): { bits: number; manBits: number } {
  return v === 'olive4' ? { bits: 4, manBits: 1 } : { bits: 8, manBits: 5 };
}

/** Decodes the pair (c0 = element 2j, c1 = element 2j+1), each u(bits). */
export function decodeOlivePair(
  v: OliveVariant,
  c0: Expr,
  c1: Expr,
): [OliveTermExpr, OliveTermExpr] {
  const { bits: B, manBits: M } = oliveBits(v);
  const id = 1 << (B - 1);
  const is0 = c0.eq(id);
  const is1 = c1.eq(id);
  const zero: OliveTermExpr = { int: lit(0, s(B)), shift: lit(0, u(3)) };
  const abfloat = (c: Expr): OliveTermExpr => {
    const mag = cat(lit(1, u(1)), c.bits(M - 1, 0))
      .toSigned()
      .extend(B); // 2^M + m
    const int = mux(c.bit(B - 1), mag.neg().trunc(B), mag);
    return {
      int,
      shift: c
        .bits(B - 2, M)
        .add(2)
        .extend(3),
    };
  };
  const normal = (c: Expr): OliveTermExpr => ({ int: c.asSigned(), shift: lit(0, u(3)) });
  const pick = (victim: Expr, outlier: Expr, c: Expr): OliveTermExpr => {
    const o = abfloat(c);
    const n = normal(c);
    return {
      int: mux(victim, zero.int, mux(outlier, o.int, n.int)),
      shift: mux(victim, zero.shift, mux(outlier, o.shift, n.shift)),
    };
  };
  return [pick(is0, is1, c0), pick(is1, is0, c1)];
}
