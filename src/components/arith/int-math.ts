// Integer building blocks of the transformer-op units (golden: numerics int-ops): RNE right
// shifts, saturation, max trees, restoring division of a constant, digit-by-digit square root
// and constant tables. Every helper is exact; the only dropped bits are the rounded ones.
import { cat, type Expr, lit, mux, MxgenError, s, u } from '../../hdl/index.js';

/** `x · 2^-k` rounded to nearest, ties to even (numerics `rneShift`); `k ≤ 0` shifts left. */
export function rneShr(x: Expr, k: number): Expr {
  if (k <= 0) return k === 0 ? x : x.shl(-k);
  const xe = x.width < k + 2 ? x.extend(k + 2) : x;
  const q = xe.shr(k);
  const half = xe.bit(k - 1);
  const sticky = k >= 2 ? xe.bits(k - 2, 0).orR() : lit(0, u(1));
  const up = half.and(sticky.or(q.bit(0))).named('round_up');
  return (q.signed ? q.add(up.toSigned()) : q.add(up)).named('rounded');
}

/** Clamps a signed or unsigned value to the two's complement range of `bits`: `s(bits)`. */
export function satSigned(x: Expr, bits: number): Expr {
  const xs = x.signed ? x : x.toSigned();
  if (xs.width <= bits) return xs.extend(bits);
  const hi = 2 ** (bits - 1) - 1;
  const lo = -(2 ** (bits - 1));
  return mux(
    xs.gt(hi),
    lit(hi, s(bits)),
    mux(xs.lt(lo), lit(lo, s(bits)), xs.trunc(bits)).named('sat_lo'),
  ).named('sat');
}

/** Clamps to `[0, 2^bits - 1]`: `u(bits)`. */
export function satUnsigned(x: Expr, bits: number): Expr {
  const max = 2n ** BigInt(bits) - 1n;
  if (!x.signed) {
    if (x.width <= bits) return x.extend(bits);
    return mux(x.gt(max), lit(max, u(bits)), x.bits(bits - 1, 0));
  }
  const xe = x.width < bits + 1 ? x.extend(bits + 1) : x;
  const inRange = xe.bits(bits - 1, 0);
  const high = xe.width > bits + 1 ? mux(xe.gt(max), lit(max, u(bits)), inRange) : inRange;
  return mux(xe.lt(0), lit(0, u(bits)), high);
}

/** The largest of signed values of one shape (balanced tree, index order). */
export function maxTree(xs: readonly Expr[]): Expr {
  if (xs.length === 0) throw new MxgenError('usage', 'maxTree needs at least one value');
  let level = [...xs];
  while (level.length > 1) {
    const next: Expr[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) {
      const a = level[i] as Expr;
      const b = level[i + 1] as Expr;
      next.push(mux(a.ge(b), a, b).named('max'));
    }
    if (level.length % 2 === 1) next.push(level[level.length - 1] as Expr);
    level = next;
  }
  return level[0] as Expr;
}

function bitLen(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/**
 * floor(num / den) for a constant `num ≥ 0` and an unsigned `den ≥ denMin ≥ 1` (restoring
 * division, one quotient bit per stage): `u(bitLength(num / denMin))`.
 */
export function divConstByUnsigned(num: bigint, den: Expr, denMin: bigint): Expr {
  if (den.signed || denMin < 1n)
    throw new MxgenError('usage', 'divConstByUnsigned: unsigned den ≥ 1');
  const qBits = Math.max(1, bitLen(num / denMin));
  const wd = den.width;
  // num >> qBits < denMin ≤ den, so the first remainder needs no stage of its own.
  let r = lit(num >> BigInt(qBits), u(wd));
  const q: Expr[] = [];
  for (let i = qBits - 1; i >= 0; i--) {
    const t = cat(r, lit((num >> BigInt(i)) & 1n, u(1)));
    const ge = t.ge(den);
    r = mux(
      ge,
      t
        .toSigned()
        .sub(den.toSigned())
        .bits(wd - 1, 0),
      t.bits(wd - 1, 0),
    );
    q.push(ge);
  }
  return cat(...q);
}

/** floor(sqrt(v)) of an unsigned value, digit by digit (two radicand bits per stage). */
export function isqrtUnsigned(v: Expr): Expr {
  const b = Math.ceil(v.width / 2);
  const ve = v.width < 2 * b ? v.extend(2 * b) : v;
  const wr = b + 2;
  let rem = lit(0, u(wr));
  let root: Expr | null = null;
  for (let i = b - 1; i >= 0; i--) {
    const r4 = cat(rem, ve.bits(2 * i + 1, 2 * i)); // u(wr + 2)
    const trial = root ? cat(root, lit(1, u(2))) : lit(1, u(2));
    const ge = r4.ge(trial);
    const diff = r4.toSigned().sub(trial.toSigned());
    rem = mux(ge, diff.bits(wr - 1, 0), r4.bits(wr - 1, 0));
    root = root ? cat(root, ge) : ge;
  }
  return root as Expr;
}

/** A constant table `values[addr]` (unsigned patterns of `width` bits) as a balanced mux tree. */
export function romLookup(addr: Expr, values: readonly bigint[], width: number): Expr {
  if (values.length !== 2 ** addr.width)
    throw new MxgenError(
      'usage',
      `romLookup: ${values.length} values for a ${addr.width}-bit address (need ${2 ** addr.width})`,
    );
  let level = values.map((v) => lit(BigInt.asUintN(width, v), u(width)));
  for (let j = 0; j < addr.width; j++) {
    const next: Expr[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(mux(addr.bit(j), level[i + 1] as Expr, level[i] as Expr));
    level = next;
  }
  return (level[0] as Expr).named('lut');
}
