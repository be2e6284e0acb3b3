// The cast unit: one token at a time, each feature's int code (signed or unsigned, at a static
// exponent) taken exactly and converted by the shared output stage (hw-out.ts) — int RNE +
// saturation, binary32 + mx-quantize, or binary32 + olive-encoder (+ mx-scale for olive4_dyn) —
// exactly the golden `cast` (eval.ts: quantizeTo the exact input values).
import { cat, digestName, type Expr, lit, ModuleBuilder, mux, s, u } from '../hdl/index.js';
import { castToInt } from '../components/index.js';
import { EW, laneExp, laneValue } from './hw-add.js';
import { outputStage } from './hw-out.js';
import { type CastUnitConfig, outScaleBits } from './units.js';
import { internalError } from '../hdl/index.js';

export function castModuleName(c: Omit<CastUnitConfig, 'module'>): string {
  return digestName(`cast_${c.features}`, c);
}

/**
 * A cast of an MX tensor into a signed int: per feature, the code decoded exactly (the add unit's
 * `laneValue`) at its block's run-time exponent (`laneExp`) and cast with the run-time shift —
 * RNE + saturation, the golden `quantizeElement` of the exact value. One register stage.
 */
function generateMxCast(c: CastUnitConfig): ModuleBuilder {
  const m = new ModuleBuilder(c.module, { config: c });
  const N = c.features;
  const inValid = m.input('in_valid', u(1));
  const inX = m.input('in_x', u(N * c.input.bits));
  const inScale = m.input('in_x_scale', u(mxCastScaleBits(c)));
  const outReady = m.input('out_ready', u(1));
  const v = m.reg('valid', u(1));
  const ready = v.not().or(outReady);
  const accept = inValid.and(ready);
  v.next(mux(accept, lit(1, u(1)), mux(outReady, lit(0, u(1)), v)));
  const op = { tensor: c.node, element: c.input.element, bits: c.input.bits, exp: c.inputExp };
  const lanes: Expr[] = [];
  for (let k = 0; k < N; k++) {
    const shift = lit(c.outExp, s(EW)).subWrap(laneExp(inScale, op, k));
    lanes.push(castToInt(laneValue(inX, op, k), shift, c.outBits).asUnsigned());
  }
  const data = m.reg('data', u(N * c.outBits), { enable: accept });
  data.next(lanes.length === 1 ? (lanes[0] as Expr) : cat(...lanes.reverse()));
  m.output('in_ready', u(1)).set(ready);
  m.output('out_valid', u(1)).set(v);
  m.output('out_y', u(N * c.outBits)).set(data);
  return m;
}

/** Bits of an MX-input cast unit's `in_x_scale`: 8 per 32 features (0 for other inputs). */
export function mxCastScaleBits(c: CastUnitConfig): number {
  return c.input.mx ? 8 * Math.ceil(c.features / 32) : 0;
}

export function generateCast(c: CastUnitConfig): ModuleBuilder {
  if (c.input.mx) return generateMxCast(c);
  const m = new ModuleBuilder(c.module, { config: c });
  const N = c.features;
  const w = c.input.bits;
  const inValid = m.input('in_valid', u(1));
  const inX = m.input('in_x', u(N * w));
  const outReady = m.input('out_ready', u(1));
  const pending = m.reg('pending', u(1));
  const outv = m.reg('outv', u(1));
  // A new token enters when none is in conversion and the output register is (being) freed.
  const ready = pending.not().and(outv.not().or(outReady));
  const accept = inValid.and(ready);
  const totals: Expr[] = [];
  for (let k = 0; k < N; k++) {
    const code = inX.bits(k * w + w - 1, k * w);
    totals.push(c.input.signed ? code.asSigned() : code.toSigned());
  }
  const st = outputStage(
    m,
    {
      node: c.node,
      outFeatures: N,
      lanes: N,
      inputExp: c.inputExp,
      weightExp: 0,
      outExp: c.outExp,
      outBits: c.outBits,
      outOlive: c.outOlive,
      ...(c.outMxFormat !== undefined ? { outMxFormat: c.outMxFormat } : {}),
      ...(c.outDialect ? { outDialect: true as const } : {}),
      ...(c.outMixed ? { outMixed: c.outMixed } : {}),
    },
    lit(0, u(1)),
    accept,
    totals,
  );
  pending.next(
    mux(accept.and(st.finished.not()), lit(1, u(1)), mux(st.finished, lit(0, u(1)), pending)),
  );
  outv.next(mux(st.finished, lit(1, u(1)), mux(outReady, lit(0, u(1)), outv)));
  m.output('in_ready', u(1)).set(ready);
  m.output('out_valid', u(1)).set(outv);
  m.output('out_y', u(N * c.outBits)).set(st.y);
  if (c.outMx) {
    if (!st.scale) throw internalError(`generateCast: ${c.node} has an MX output but no scale`);
    m.output('out_y_scale', u(outScaleBits(c))).set(st.scale);
  }
  return m;
}
