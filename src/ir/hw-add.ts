// The add unit: joins two streams (a token transfers when both inputs are valid and the output
// register is free) and computes, per feature, the exact sum of the two operands aligned to the
// finer exponent, then one RNE to the output and saturation (formats.md 7.2) — the golden model's
// `add` (eval.ts: exact add, then quantizeTo the output format). An operand is an int code, a
// float element code (fp8 e4m3/e5m2, fp6, fp4) at its tensor scale, or an MX code with its block
// scale, decoded exactly to its fixed form (value = fixed · 2^exp, decodeElementFixed) — or an
// OliVe pair (the OliVe PE's decodeOlivePair; olive4_dyn's X a run-time exponent), a DialectFP4
// code (dialect-mac's table, X per 32), a mixed code byte (its group's d) or an nvfp4 code times
// its E4M3 block scale (exact, at the constant exponent log2 g − 10); the output
// is an int code (int cast; unsigned saturates at 0) or a float element code at the tensor scale
// 2^outExp (fixedToElement), one register stage — or, for an MX, nvfp4, OliVe or blockdialect
// output, binary32 per lane and the linear units' quantizer stage (hw-out.ts quantizeStage), or
// for a mixed output (static operands) the exact sums into the mixed quantizer (decision 45).
import { cat, digestName, type Expr, lit, ModuleBuilder, mux, s, u } from '../hdl/index.js';
import {
  castToInt,
  decodeElementFixed,
  decodeOlivePair,
  dialectHalfUnitsExpr,
  dialectTable,
  fixedToBinary32,
  fixedToElement,
  sbits,
} from '../components/index.js';
import { internalError } from '../hdl/index.js';
import { getFormat } from '../numerics/index.js';
import { mixedQuantizeStage } from './hw-mixed-quant.js';
import { quantizeStage } from './hw-out.js';
import { type AddOperand, type AddUnitConfig, outScaleBits } from './units.js';

const laneCode = (x: Expr, op: AddOperand, k: number): Expr =>
  x.bits(k * op.bits + op.bits - 1, k * op.bits);

/** Bits of an operand's exact fixed form (an OliVe term: s(bits) << u3, shlBy's exact width). */
export function operandFixedBits(op: AddOperand): number {
  if (op.nvfp4) return getFormat('fp8_e4m3').fixedBits + getFormat('fp4_e2m1').fixedBits;
  return op.olive ? op.bits + 7 : op.dialect ? 6 : getFormat(op.element).fixedBits;
}

/**
 * Lane k of an operand as a signed value at 2^op.exp: an int code, a float decoded exactly, or
 * an OliVe term (its pair decoded by decodeOlivePair, the OliVe PE's decoder): int << shift.
 */
export function laneValue(
  x: Expr,
  op: AddOperand,
  k: number,
  tables?: Expr[][],
  scale?: Expr,
): Expr {
  if (op.nvfp4) {
    // E2M1 fixed (half units) times its block's E4M3 scale fixed (2^-9 units): exact
    if (!scale) throw internalError(`laneValue: no nvfp4 scale for lane ${k}`);
    const b = Math.floor(k / 16);
    const sc = decodeElementFixed(
      scale.bits(8 * b + 6, 8 * b).extend(8),
      'fp8_e4m3',
      getFormat('fp8_e4m3').fixedBits,
    );
    const el = decodeElementFixed(laneCode(x, op, k), 'fp4_e2m1', getFormat('fp4_e2m1').fixedBits);
    return el.mul(sc);
  }
  if (op.dialect) {
    const t = tables?.[Math.floor(k / 32)];
    if (!t) throw internalError(`laneValue: no dialect table for lane ${k}`);
    return dialectHalfUnitsExpr(t, laneCode(x, op, k));
  }
  if (op.olive) {
    const j = k - (k % 2);
    const t = decodeOlivePair(op.olive, laneCode(x, op, j), laneCode(x, op, j + 1))[k % 2];
    if (!t) throw internalError(`laneValue: no OliVe term for lane ${k}`);
    return t.int.shlBy(t.shift);
  }
  const code = laneCode(x, op, k);
  const f = getFormat(op.element);
  if (f.kind === 'int') return f.signed ? code.asSigned() : code.toSigned();
  return decodeElementFixed(code, op.element, getFormat(op.element).fixedBits);
}

/** Lane k of a float operand is -0 (sign bit alone); an int never is. */
function laneNegZero(x: Expr, op: AddOperand, k: number, scale?: Expr): Expr {
  if (op.nvfp4 && scale) {
    // −0 · scale, or a negative code times a zero scale (the golden mul's sign of a zero)
    const b = Math.floor(k / 16);
    const code = laneCode(x, op, k);
    return code.bit(3).and(
      code
        .bits(2, 0)
        .eq(0)
        .or(scale.bits(8 * b + 6, 8 * b).eq(0)),
    );
  }
  if (op.olive || op.dialect || getFormat(op.element).kind === 'int') return lit(0, u(1));
  return laneCode(x, op, k).eq(lit(1n << BigInt(op.bits - 1), u(op.bits)));
}

export const EW = 12; // width of a run-time exponent (an MX block scale's −127..127 plus an element LSB)

/** Lane k's exponent: the operand's constant exp, plus its block's E8M0 scale for MX. */
export function laneExp(scale: Expr | undefined, op: AddOperand, k: number): Expr {
  const base = lit(op.exp, s(EW));
  if (!scale || op.nvfp4) return base;
  // olive4_dyn: one X per token; mixed: a d byte per group of the format map
  const b = op.olive ? 0 : op.mixedGroups ? (op.mixedGroups[k] ?? 0) : Math.floor(k / 32);
  const w = op.dialect ? 16 : 8; // blockdialect: X | dialect << 8 per block
  return base.addWrap(
    scale
      .bits(w * b + 7, w * b)
      .extend(EW - 1)
      .toSigned(),
  );
}

/** `v · 2^-r` truncated toward zero with every dropped bit jammed into bit 0 (round to odd). */
function shrJam(v: Expr, r: Expr): Expr {
  const w = v.width;
  const neg = v.bit(w - 1);
  const mag = mux(neg, v.neg().trunc(w), v).asUnsigned();
  const q = mag.shrBy(r);
  const jam = q.shlBy(r).trunc(w).ne(mag);
  const odd = q.bits(w - 1, 1).extend(w - 1);
  const m = cat(odd, q.bit(0).or(jam))
    .toSigned()
    .extend(w + 1);
  return mux(neg, m.neg().trunc(w + 1), m);
}

/**
 * The sum of two values F·2^E with run-time exponents (MX operands), as S·2^Se: exact when the
 * exponents are at most D apart, else the larger kept with D bits below it and the smaller
 * shifted into them with the rest jammed (round to odd): D leaves ≥ 2 bits under the output's
 * rounding point, so the one rounding that follows is the RNE of the exact sum. A zero operand
 * never sets the exponent.
 */
function alignedSum(fa: Expr, ea: Expr, fb: Expr, eb: Expr, D: number): { sum: Expr; exp: Expr } {
  const w = Math.max(fa.width, fb.width);
  const A = fa.extend(w);
  const B = fb.extend(w);
  const aHi = fb.eq(0).or(fa.ne(0).and(ea.ge(eb)));
  const fHi = mux(aHi, A, B);
  const fLo = mux(aHi, B, A);
  const eHi = mux(aHi, ea, eb);
  const eLo = mux(aHi, eb, ea);
  const dRaw = eHi.subWrap(eLo);
  const db = Math.ceil(Math.log2(D + w + 3)) + 1;
  const d = mux(dRaw.lt(lit(0, s(EW))), lit(0, s(EW)), dRaw);
  const dc = mux(d.gt(lit(D, s(EW))), lit(D, s(EW)), d); // 0..D
  const rRaw = d.subWrap(dc); // ≥ 0
  const rMax = w + 1;
  const r = mux(rRaw.gt(lit(rMax, s(EW))), lit(rMax, s(EW)), rRaw)
    .trunc(db)
    .asUnsigned();
  const hi = fHi
    .extend(w + D + 2)
    .shlBy(dc.trunc(db).asUnsigned())
    .trunc(w + D + 2);
  const lo = shrJam(fLo, r).extend(w + D + 2);
  return { sum: hi.add(lo).trunc(w + D + 3), exp: eHi.subWrap(dc) };
}

export function addModuleName(c: Omit<AddUnitConfig, 'module'>): string {
  return digestName(`add_${c.features}`, c);
}

export function generateAdd(c: AddUnitConfig): ModuleBuilder {
  const m = new ModuleBuilder(c.module, { config: c });
  const N = c.features;
  const aValid = m.input('in_a_valid', u(1));
  const aX = m.input('in_a', u(N * c.a.bits));
  const scaleBits = (op: AddOperand): number =>
    op.nvfp4
      ? 8 * Math.ceil(N / 16)
      : op.olive
        ? 8
        : op.mixedGroups
          ? 8 * (Math.max(...op.mixedGroups) + 1)
          : (op.dialect ? 16 : 8) * Math.ceil(N / 32);
  const aScale = c.a.mx ? m.input('in_a_scale', u(scaleBits(c.a))) : undefined;
  const bValid = m.input('in_b_valid', u(1));
  const bX = m.input('in_b', u(N * c.b.bits));
  const bScale = c.b.mx ? m.input('in_b_scale', u(scaleBits(c.b))) : undefined;
  const outReady = m.input('out_ready', u(1));
  // A quantized output (MX, nvfp4, OliVe) takes the quantizer's cycles: a token is accepted when
  // none is in conversion and the output register is (being) freed, as in the cast unit.
  const quantized =
    c.outMxFormat !== undefined || c.outOlive !== undefined || c.outDialect === true;
  const v = quantized ? m.reg('outv', u(1)) : m.reg('valid', u(1));
  const pending = quantized ? m.reg('pending', u(1)) : undefined;
  const ready = pending ? pending.not().and(v.not().or(outReady)) : v.not().or(outReady);
  const accept = aValid.and(bValid).and(ready);
  if (!pending) v.next(mux(accept, lit(1, u(1)), mux(outReady, lit(0, u(1)), v)));
  const e = Math.min(c.a.exp, c.b.exp);
  const dOut = c.outExp - e;
  const d = lit(dOut, s(Math.max(sbits(BigInt(dOut)), 2)));
  const outF = quantized || c.outMixed ? undefined : getFormat(c.outElement);
  const lanes: Expr[] = [];
  // D: bits kept under the larger operand when the exponents are far apart (alignedSum)
  // (a quantized output rounds to binary32 first: 24 bits; an unsigned int is cast at outBits + 1)
  const D =
    Math.max(operandFixedBits(c.a), operandFixedBits(c.b)) +
    (quantized
      ? 24
      : Math.max(
          outF?.kind === 'float' ? outF.manBits + 1 : 0,
          c.outBits + (c.outUnsigned ? 1 : 0),
        )) +
    4;
  // binary32 of a lane's sum (exact, or jammed to odd below 24 + 2 bits); -0 + -0 is -0
  const toB32 = (k: number, sum: Expr, exp: number | Expr, negZero: Expr): Expr =>
    m.wire(`lane${k}`, u(32)).set(mux(negZero, lit(0x80000000, u(32)), fixedToBinary32(sum, exp)));
  // an int output: RNE + saturation (unsigned: to outBits + 1 signed bits, then negative → 0)
  const toInt = (sum: Expr, shift: Expr): Expr => {
    if (!c.outUnsigned) return castToInt(sum, shift, c.outBits).asUnsigned();
    const w = castToInt(sum, shift, c.outBits + 1);
    return mux(w.bit(c.outBits), lit(0, u(c.outBits)), w.bits(c.outBits - 1, 0));
  };
  // blockdialect: each block's 8 magnitudes for its dialect id (dialect-mac's ROMs)
  const tables = (op: AddOperand, sc: Expr | undefined, p: string): Expr[][] | undefined =>
    op.dialect && sc
      ? Array.from({ length: Math.ceil(N / 32) }, (_, b) =>
          dialectTable(m, `${p}${b}_`, sc.bits(16 * b + 11, 16 * b + 8)),
        )
      : undefined;
  const aT = tables(c.a, aScale, 'dialect_a');
  const bT = tables(c.b, bScale, 'dialect_b');
  for (let k = 0; k < N; k++) {
    const ak = laneValue(aX, c.a, k, aT, aScale);
    const bk = laneValue(bX, c.b, k, bT, bScale);
    const negZero = laneNegZero(aX, c.a, k, aScale).and(laneNegZero(bX, c.b, k, bScale));
    // an nvfp4 operand's exponent is constant (its scale is in the lane value)
    if ((aScale && !c.a.nvfp4) || (bScale && !c.b.nvfp4)) {
      // MX: run-time exponents (formats.md 7.2 still: one rounding of the exact sum)
      const t = alignedSum(ak, laneExp(aScale, c.a, k), bk, laneExp(bScale, c.b, k), D);
      lanes.push(
        quantized
          ? toB32(k, t.sum, t.exp, negZero)
          : outF?.kind === 'float'
            ? fixedToElement(outF, t.sum, t.exp, c.outExp, negZero)
            : toInt(t.sum, lit(c.outExp, s(EW)).subWrap(t.exp)),
      );
      continue;
    }
    // value = a·2^ea + b·2^eb = (a·2^(ea−e) + b·2^(eb−e))·2^e, exactly
    const sum = ak.shl(c.a.exp - e).add(bk.shl(c.b.exp - e));
    if (c.outMixed) {
      lanes.push(sum); // the exact sums, quantized together below
      continue;
    }
    lanes.push(
      quantized
        ? toB32(k, sum, e, negZero)
        : outF?.kind === 'float'
          ? fixedToElement(outF, sum, e, c.outExp, negZero)
          : toInt(sum, d),
    );
  }
  if (pending) {
    const st = quantizeStage(
      m,
      {
        node: c.node,
        outFeatures: N,
        lanes: N,
        inputExp: 0,
        weightExp: 0,
        outExp: c.outExp,
        outBits: c.outBits,
        outOlive: c.outOlive,
        ...(c.outMxFormat !== undefined ? { outMxFormat: c.outMxFormat } : {}),
        ...(c.outTensorScaleExp !== undefined ? { outTensorScaleExp: c.outTensorScaleExp } : {}),
        ...(c.outDialect ? { outDialect: true as const } : {}),
      },
      lanes,
      accept,
      accept,
    );
    pending.next(
      mux(accept.and(st.finished.not()), lit(1, u(1)), mux(st.finished, lit(0, u(1)), pending)),
    );
    v.next(mux(st.finished, lit(1, u(1)), mux(outReady, lit(0, u(1)), v)));
    m.output('in_a_ready', u(1)).set(bValid.and(ready));
    m.output('in_b_ready', u(1)).set(aValid.and(ready));
    m.output('out_valid', u(1)).set(v);
    m.output('out_y', u(N * c.outBits)).set(st.y);
    if (c.outMx) {
      if (!st.scale) throw internalError(`generateAdd: ${c.node} has a scaled output but no scale`);
      m.output('out_y_scale', u(outScaleBits(c))).set(st.scale);
    }
    return m;
  }
  if (c.outMixed) {
    // the mixed quantizer on the exact sums at 2^e (static exponents only: lower-add)
    if (aScale && !c.a.nvfp4)
      throw internalError(`generateAdd: ${c.node}: mixed output, run-time a`);
    if (bScale && !c.b.nvfp4)
      throw internalError(`generateAdd: ${c.node}: mixed output, run-time b`);
    const q = mixedQuantizeStage(m, lanes, e, c.outMixed.map, c.outMixed.exp);
    const y = m.reg('data', u(N * 8), { enable: accept }).next(q.codes);
    const sc = m.reg('data_scale', u(q.exps.width), { enable: accept }).next(q.exps);
    m.output('in_a_ready', u(1)).set(bValid.and(ready));
    m.output('in_b_ready', u(1)).set(aValid.and(ready));
    m.output('out_valid', u(1)).set(v);
    m.output('out_y', u(N * 8)).set(y);
    m.output('out_y_scale', u(outScaleBits(c))).set(sc);
    return m;
  }
  const data = m.reg('data', u(N * c.outBits), { enable: accept });
  data.next(lanes.length === 1 ? (lanes[0] as Expr) : cat(...lanes.reverse()));
  m.output('in_a_ready', u(1)).set(bValid.and(ready));
  m.output('in_b_ready', u(1)).set(aValid.and(ready));
  m.output('out_valid', u(1)).set(v);
  m.output('out_y', u(N * c.outBits)).set(data);
  return m;
}
