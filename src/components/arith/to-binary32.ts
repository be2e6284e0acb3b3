// Fixed point to binary32 (formats.md 7.3): the exact value S · 2^E of a signed integer S and a
// constant or signed variable exponent E, rounded once to nearest-even. Overflow gives ±Inf,
// small values become subnormals, an exact zero is +0 and a nonzero value that rounds to zero
// keeps its sign. Combinational: leading-zero count, normalize, denormalize, round, assemble.
import { cat, type Expr, lit, mux, MxgenError, s, u } from '../../hdl/index.js';

const clog2 = (n: number): number => (n <= 1 ? 1 : Math.ceil(Math.log2(n)));

/** Leading zeros of an unsigned `x` (x = 0 gives x.width), as u(clog2(width + 1)). */
export function leadingZeros(x: Expr): Expr {
  const w = x.width;
  const sh = u(clog2(w + 1));
  let lz = lit(w, sh);
  for (let i = 0; i < w; i++) lz = mux(x.bit(i), lit(w - 1 - i, sh), lz);
  return lz;
}

/** binary32 bits (u32) of `sum · 2^exp`; `sum` is signed, `exp` a number or a signed Expr. */
export function fixedToBinary32(sum: Expr, exp: number | Expr): Expr {
  if (!sum.signed)
    throw new MxgenError('shape', `fixedToBinary32: the sum must be signed; got u${sum.width}`, {
      hint: 'pass sum.toSigned()',
    });
  if (typeof exp !== 'number' && !exp.signed)
    throw new MxgenError('shape', 'fixedToBinary32: a variable exponent must be signed', {
      hint: 'pass exp.toSigned()',
    });
  const w = sum.width;
  const neg = sum.bit(w - 1);
  // |S| fits u(w): |-2^(w-1)| = 2^(w-1).
  const mag = mux(neg, sum.neg().trunc(w), sum).asUnsigned();
  const lz = leadingZeros(mag);
  const norm = mag.shlBy(lz).trunc(w); // msb at bit w-1 (0 when S = 0)
  // X: the normalized magnitude with at least 25 bits (24 kept + guard), msb at the top.
  const X = w >= 25 ? norm : cat(norm, lit(0, u(25 - w)));
  const W = X.width;
  // Biased exponent of the msb: be = (w - 1 - lz) + E + 127, as a wide signed value.
  const ew = 24;
  const lzS = lz.toSigned().extend(ew);
  const base =
    typeof exp === 'number'
      ? lit(w - 1 + exp + 127, s(ew)).subWrap(lzS)
      : lit(w - 1 + 127, s(ew))
          .addWrap(exp.extend(ew))
          .subWrap(lzS);
  if (typeof exp !== 'number' && exp.width > ew - 2)
    throw new MxgenError('shape', `fixedToBinary32: exponent of ${exp.width} bits is too wide`, {
      hint: 'use at most 22 bits for the exponent',
    });
  // Subnormal results: shift right by d = 1 - be more bits, at most 26 (then all bits are sticky).
  const sub = base.lt(lit(1, s(ew)));
  const dRaw = lit(1, s(ew)).subWrap(base);
  const d = mux(sub, mux(dRaw.gt(lit(26, s(ew))), lit(26, s(ew)), dRaw), lit(0, s(ew)))
    .trunc(6)
    .asUnsigned();
  const Y = X.shrBy(d);
  const lost = Y.shlBy(d).trunc(W).ne(X);
  const K = Y.bits(W - 1, W - 24); // u24
  const G = Y.bit(W - 25);
  const rest =
    W >= 26
      ? Y.bits(W - 26, 0)
          .orR()
          .or(lost)
      : lost;
  const up = G.and(rest.or(K.bit(0)));
  const Kr = K.add(up.extend(24)); // u25 (2^24 on a carry)
  // Magnitude bits = ((max(be, 1) - 1) << 23) + Kr: a carry into 2^24 or 2^23 bumps the
  // exponent field by itself.
  const beN = mux(sub, lit(1, s(ew)), base);
  const MW = ew + 25;
  const magBits = beN.subWrap(1).asUnsigned().extend(MW).shl(23).trunc(MW).addWrap(Kr.extend(MW));
  const inf = lit(0x7f800000, u(MW));
  const over = magBits.ge(inf);
  const zeroIn = mag.eq(0);
  const magOut = mux(over, inf, magBits).trunc(31);
  return mux(zeroIn, lit(0, u(32)), cat(neg, magOut));
}
