// IEEE binary32 addition, round to nearest-even (formats.md 7.3): bit-identical to the golden
// `toBinary32Bits(add(fromBinary32Bits(a), fromBinary32Bits(b)))` for every pair of patterns.
// Combinational; the classic datapath:
//   1. unpack: sign, exponent field, fraction; significand m = hidden·2^23 + f (hidden = e ≠ 0)
//      and effective exponent max(e, 1), so a subnormal is m·2^(1-150) like e = 1;
//   2. swap: X is the operand of larger magnitude (bits 30..0 compared, which orders finite
//      magnitudes), Y the other; d = eX - eY (0..253);
//   3. align: X27 = mX·2^3 and Y27 = (mY·2^3) >> d with the bits shifted out ORed into bit 0
//      (guard, round, sticky; the sticky is Y·2^3 ANDed with a mask of the low d bits);
//      d ≥ 27 leaves only the sticky bit;
//   4. add or subtract (signs differ) in one adder, X27 + (Y27 xor mask) + sub: S = X27 ± Y27,
//      u28, never negative since |X| ≥ |Y|;
//   5. normalize: shift S left by sh = min(lz(S), eX), which puts the msb at bit 27 for a normal
//      result and stops at the subnormal exponent otherwise; the biased exponent minus one is
//      eX - sh;
//   6. round: keep bits 27..4 (24 bits), guard bit 3, sticky bits 2..0; RNE increments on
//      guard ∧ (sticky ∨ lsb);
//   7. assemble: ((eX - sh) << 23) + rounded significand, whose carry bumps the exponent by
//      itself (into normal or to the next binade); ≥ 0x7F800000 is an overflow to ±Inf.
// Jamming the shifted-out bits into bit 0 is exact for rounding: a nonzero sticky needs d ≥ 4,
// then S ≥ 2^25 and the guard bit sits at bit ≥ 1, while S and the exact sum agree on every bit
// above bit 0 and on "something below the guard is nonzero" (X27 is a multiple of 8).
// Signs and specials as the golden `add` + `toBinary32Bits`: an exact zero sum of nonzero
// operands (x + (-x)) is +0; +0 + -0 = +0; -0 + -0 = -0; x + ±0 = x; any NaN operand, and
// +Inf + -Inf, give the canonical quiet NaN 0x7FC00000 (sign 0, payload dropped); Inf + finite
// is that Inf; the result sign is the sign of the larger-magnitude operand.
import { cat, type Expr, lit, mux, MxgenError, u } from '../../hdl/index.js';
import { leadingZeros } from './to-binary32.js';

/** The canonical binary32 NaN that `fp32Add` returns (numerics BINARY32_NAN). */
export const FP32_ADD_NAN = 0x7fc00000;

/** binary32 bits (u32) of a + b rounded once to nearest-even; `a`, `b` are u32 binary32 bits. */
export function fp32Add(a: Expr, b: Expr): Expr {
  for (const [side, x] of [
    ['a', a],
    ['b', b],
  ] as const)
    if (x.signed || x.width !== 32)
      throw new MxgenError(
        'shape',
        `fp32Add: ${side} must be u32 (binary32 bits); got ${x.signed ? 's' : 'u'}${x.width}`,
        { hint: 'pass the 32-bit pattern as an unsigned value' },
      );
  // 1. Unpack.
  const unpack = (x: Expr) => {
    const e = x.bits(30, 23);
    const f = x.bits(22, 0);
    const eMax = e.andR();
    const fNz = f.orR();
    const normal = e.orR();
    return {
      sign: x.bit(31),
      mag: x.bits(30, 0),
      exp: mux(normal, e, lit(1, u(8))), // effective exponent, 1..254 for finite values
      sig: cat(normal, f), // u24
      nan: eMax.and(fNz),
      inf: eMax.and(fNz.not()),
    };
  };
  const A = unpack(a);
  const B = unpack(b);

  // 2. Swap: X has the larger magnitude (A on a tie).
  const aBig = A.mag.ge(B.mag);
  const sx = mux(aBig, A.sign, B.sign);
  const ex = mux(aBig, A.exp, B.exp);
  const mx = mux(aBig, A.sig, B.sig);
  const ey = mux(aBig, B.exp, A.exp);
  const my = mux(aBig, B.sig, A.sig);
  const sub = A.sign.xor(B.sign);

  // 3. Align Y: d = ex - ey ≥ 0, clamped to 27 (everything shifted out).
  const d = ex.subWrap(ey); // u8
  const dc = mux(d.gt(27), lit(27, u(8)), d).trunc(5);
  const X27 = cat(mx, lit(0, u(3)));
  const Yfull = cat(my, lit(0, u(3)));
  const Yshift = Yfull.shrBy(dc);
  const below = lit(0x7ffffff, u(27)).shlBy(dc).trunc(27).not(); // bits 0..dc-1 set
  const sticky = Yfull.and(below).orR();
  const Y27 = Yshift.or(cat(lit(0, u(26)), sticky));

  // 4. Add or subtract magnitudes (u28).
  // One adder: X + (Y xor sub-mask) + sub, i.e. X - Y in two's complement when subtracting.
  const Yop = Y27.extend(28).xor(mux(sub, lit(0xfffffff, u(28)), lit(0, u(28))));
  const S = X27.extend(28).addWrap(Yop).addWrap(sub.extend(28));

  // 5. Normalize: shift by min(lz, ex); ex - sh is the biased exponent minus one.
  const lz = leadingZeros(S).extend(8); // 0..28
  const sh = mux(lz.gt(ex), ex, lz); // ≤ 28
  const N = S.shlBy(sh.trunc(5)).trunc(28);
  const expM1 = ex.subWrap(sh); // u8, 0..254

  // 6. Round to nearest-even at 24 bits.
  const K = N.bits(27, 4);
  const G = N.bit(3);
  const st = N.bits(2, 0).orR();
  const up = G.and(st.or(K.bit(0)));
  const Kr = K.add(up.extend(24)); // u25

  // 7. Assemble; overflow to Inf.
  const magBits = expM1.extend(32).shl(23).trunc(32).addWrap(Kr.extend(32));
  const INF = 0x7f800000;
  const over = magBits.ge(INF);
  const finiteRes = cat(sx, mux(over, lit(INF, u(31)), magBits.trunc(31)));
  // An exact zero: -0 only for -0 + -0 (nonzero operands cancel to +0, as do +0 and -0).
  const zeroRes = cat(A.sign.and(B.sign), lit(0, u(31)));
  const numeric = mux(S.eq(0), zeroRes, finiteRes);

  // Specials.
  const nan = A.nan.or(B.nan).or(A.inf.and(B.inf).and(sub));
  const special = mux(A.inf, a, b); // an Inf operand (the same one when both are Inf)
  return mux(nan, lit(FP32_ADD_NAN, u(32)), mux(A.inf.or(B.inf), special, numeric));
}
