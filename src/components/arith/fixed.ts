// Fixed-point helpers of the IR's layer units (src/ir/hw-*.ts), part of the one arithmetic library:
// bit counts, element decode to a fixed form of a given width, constant tables, and the
// accumulator → integer cast (RNE by a run-time power of two, then saturation with satSigned).
import { cat, type Expr, internalError, lit, ModuleBuilder, mux, s, u } from '../../hdl/index.js';
import { getFormat } from '../../numerics/index.js';
import { satSigned } from './int-math.js';
import { fitSigned } from './product.js';

/** Bits of the unsigned value n ≥ 0 (at least 1). */
export function ubits(n: number | bigint): number {
  let b = 1;
  while (1n << BigInt(b) <= BigInt(n)) b++;
  return b;
}

/** Two's complement bits holding every value in [-m, m]. */
export function sbits(m: bigint): number {
  return ubits(m < 0n ? -m : m) + 1;
}

/** Largest |fixed-form value| of an element format. */
export function elementMaxSig(name: string): bigint {
  const f = getFormat(name);
  return f.maxSig > -f.minSig ? f.maxSig : -f.minSig;
}

/**
 * Decodes one element code to its signed fixed form (value = result · 2^lsbExp), width `w`:
 * ints are sign- or zero-extended; floats are ±(hidden·2^M + m) << (max(e,1) - 1).
 */
export function decodeElementFixed(code: Expr, name: string, w: number): Expr {
  const f = getFormat(name);
  if (f.kind === 'int') return fitSigned(f.signed ? code.asSigned() : code.toSigned(), w);
  if (f.kind !== 'float')
    throw internalError(`decodeElementFixed: ${name} is not an int or float format`);
  const man = f.manBits;
  const sign = code.bit(f.bits - 1);
  const e = code.bits(f.bits - 2, man);
  const m = code.bits(man - 1, 0);
  const isSub = e.eq(0);
  const sig = mux(isSub, lit(0, u(1)), lit(1, u(1)));
  const mag = mux(isSub, m.extend(man + 1), cat(sig, m));
  const shift = mux(isSub, lit(0, e.shape), e.subWrap(1));
  const shifted = fitSigned(mag.shlBy(shift).toSigned(), w);
  const negated = shifted.neg().trunc(w);
  return mux(sign, negated, shifted);
}

/** `values[index]` from a constant table (0 past the end): a mux chain, ROM-like. */
export function romSelect(index: Expr, values: readonly bigint[], w: number): Expr {
  let r: Expr = lit(values[0] ?? 0n, s(w));
  for (let i = 1; i < values.length; i++) {
    const v = values[i] ?? 0n;
    r = mux(index.eq(i), lit(v, s(w)), r);
  }
  return r;
}

/** `items[index]` of equal-shape expressions. */
export function exprSelect(index: Expr, items: readonly Expr[]): Expr {
  const first = items[0];
  if (!first) throw internalError('exprSelect needs at least one item');
  let r = first;
  for (let i = 1; i < items.length; i++) r = mux(index.eq(i), items[i] as Expr, r);
  return r;
}

/**
 * Integer cast of an exact accumulator: code = sat_wo(RNE(A · 2^-d)) for a signed run-time shift
 * `d` (s-typed expression). For d ≥ 1: RNE(A/2^d) = floor((A + 2^(d-1) - 1 + bit_d(A)) / 2^d);
 * d is clamped to accW + 1 (every |A|/2^(accW+1) < 1/4 rounds to 0). For d ≤ 0: A·2^-d, with -d
 * clamped to wo + 1 (any nonzero A then saturates).
 */
export function castToInt(acc: Expr, dIn: Expr, wo: number): Expr {
  const aw = acc.width;
  const d = dIn.extend(Math.max(dIn.width, ubits(aw + wo + 4) + 1));
  const dmax = aw + 1;
  const nb = ubits(aw + 3);
  const pos = d.gt(0);
  const dClamped = mux(d.gt(dmax), lit(dmax, d.shape), d);
  const dr = dClamped.asUnsigned().trunc(Math.min(nb, d.width)).extend(nb);
  const drSafe = mux(pos, dr, lit(1, u(nb)));
  const q0 = acc.shrBy(drSafe).bit(0);
  const ones = lit((1n << BigInt(aw + 2)) - 1n, u(aw + 2));
  const k = lit(aw + 3, u(nb)).subWrap(drSafe); // (aw + 2) - (d - 1)
  const halfM1 = ones.shrBy(k).toSigned();
  const t = acc.add(halfM1).add(q0.toSigned());
  const right = satSigned(t.shrBy(drSafe.extend(Math.max(nb, 1))), wo);
  const lmax = wo + 1;
  const nl = ubits(lmax);
  const negD = lit(0, d.shape).sub(d); // s(w+1)
  const lClamped = mux(negD.gt(lmax), lit(lmax, negD.shape), negD);
  const left = satSigned(acc.shlBy(lClamped.asUnsigned().trunc(nl)), wo);
  return mux(pos, right, left);
}

const CAST_MODULES = new Map<string, ModuleBuilder>();

/**
 * `castToInt(acc, d, wo)` with a run-time shift `d`, as an instance of one shared module per
 * (acc, d, wo) widths: a unit with hundreds of lanes then holds one copy of the rounding and
 * saturation logic in its SV, not one per lane.
 */
export function castToIntLane(
  m: ModuleBuilder,
  name: string,
  acc: Expr,
  d: Expr,
  wo: number,
): Expr {
  const key = `int_cast_a${acc.width}_d${d.width}_o${wo}`;
  let mod = CAST_MODULES.get(key);
  if (!mod) {
    mod = new ModuleBuilder(key);
    const a = mod.input('acc', s(acc.width));
    const dd = mod.input('shift', s(d.width));
    mod.output('code', u(wo)).set(castToInt(a, dd, wo).asUnsigned());
    CAST_MODULES.set(key, mod);
  }
  return m.instance(mod, name).connect({ acc, shift: d }).out('code');
}
