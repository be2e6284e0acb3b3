// The add unit: joins two streams (a token transfers when both inputs are valid and the output
// register is free) and computes, per feature, the exact sum of the two operands aligned to the
// finer exponent, then one RNE to the output and saturation (formats.md 7.2) — the golden model's
// `add` (eval.ts: exact add, then quantizeTo the output format). An operand is a signed int code,
// or a float element code (fp8 e4m3/e5m2, fp6, fp4) at its tensor scale, decoded exactly to its
// fixed form (value = fixed · 2^exp, decodeElementFixed); the output is a signed int code (int
// cast) or a float element code at the tensor scale 2^outExp (fixedToElement). One register stage.
import { cat, digestName, type Expr, lit, ModuleBuilder, mux, s, u } from '../hdl/index.js';
import { castToInt, decodeElementFixed, fixedToElement, sbits } from '../components/index.js';
import { getFormat } from '../numerics/index.js';
import type { AddOperand, AddUnitConfig } from './units.js';

const laneCode = (x: Expr, op: AddOperand, k: number): Expr =>
  x.bits(k * op.bits + op.bits - 1, k * op.bits);

/** Lane k of an operand as a signed value at 2^op.exp: an int code, or a float decoded exactly. */
function laneValue(x: Expr, op: AddOperand, k: number): Expr {
  const code = laneCode(x, op, k);
  if (getFormat(op.element).kind === 'int') return code.asSigned();
  return decodeElementFixed(code, op.element, getFormat(op.element).fixedBits);
}

/** Lane k of a float operand is -0 (sign bit alone); an int never is. */
function laneNegZero(x: Expr, op: AddOperand, k: number): Expr {
  if (getFormat(op.element).kind === 'int') return lit(0, u(1));
  return laneCode(x, op, k).eq(lit(1n << BigInt(op.bits - 1), u(op.bits)));
}

export function addModuleName(c: Omit<AddUnitConfig, 'module'>): string {
  return digestName(`add_${c.features}`, c);
}

export function generateAdd(c: AddUnitConfig): ModuleBuilder {
  const m = new ModuleBuilder(c.module, { config: c });
  const N = c.features;
  const aValid = m.input('in_a_valid', u(1));
  const aX = m.input('in_a', u(N * c.a.bits));
  const bValid = m.input('in_b_valid', u(1));
  const bX = m.input('in_b', u(N * c.b.bits));
  const outReady = m.input('out_ready', u(1));
  const v = m.reg('valid', u(1));
  const ready = v.not().or(outReady);
  const accept = aValid.and(bValid).and(ready);
  v.next(mux(accept, lit(1, u(1)), mux(outReady, lit(0, u(1)), v)));
  const e = Math.min(c.a.exp, c.b.exp);
  const dOut = c.outExp - e;
  const d = lit(dOut, s(Math.max(sbits(BigInt(dOut)), 2)));
  const outF = getFormat(c.outElement);
  const lanes: Expr[] = [];
  for (let k = 0; k < N; k++) {
    const ak = laneValue(aX, c.a, k);
    const bk = laneValue(bX, c.b, k);
    // value = a·2^ea + b·2^eb = (a·2^(ea−e) + b·2^(eb−e))·2^e, exactly
    const sum = ak.shl(c.a.exp - e).add(bk.shl(c.b.exp - e));
    lanes.push(
      outF.kind === 'float'
        ? fixedToElement(
            outF,
            sum,
            e,
            c.outExp,
            laneNegZero(aX, c.a, k).and(laneNegZero(bX, c.b, k)),
          )
        : castToInt(sum, d, c.outBits).asUnsigned(),
    );
  }
  const data = m.reg('data', u(N * c.outBits), { enable: accept });
  data.next(lanes.length === 1 ? (lanes[0] as Expr) : cat(...lanes.reverse()));
  m.output('in_a_ready', u(1)).set(bValid.and(ready));
  m.output('in_b_ready', u(1)).set(aValid.and(ready));
  m.output('out_valid', u(1)).set(v);
  m.output('out_y', u(N * c.outBits)).set(data);
  return m;
}
