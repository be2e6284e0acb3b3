// The output stage of a layer unit whose lanes deliver exact totals (bias included) in order, one
// group of `lanes` output features per valid cycle: either each total cast to its signed int code
// (castToInt, RNE + saturation) or, for an OliVe output, each total rounded to binary32 (RNE) and
// the whole vector encoded by one registry `olive-encoder` block (σ = 2^sigmaExp) — exactly the
// golden model's conversion (formats.ts `quantizeOlive`: binary32 RNE, then `oliveEncode`).
import { fixedToBinary32, getComponent, parseConfig } from '../components/index.js';
import {
  cat,
  driveStream,
  type Expr,
  lit,
  type ModuleBuilder,
  mux,
  s,
  type Stream,
  streamOut,
  u,
} from '../hdl/index.js';
import { castToInt, castToIntLane, fitSigned, sbits } from '../components/index.js';
import type { LinearUnitConfig } from './units.js';
import type { FormatMap } from '../numerics/index.js';
import { internalError } from '../hdl/index.js';
import { mixedQuantizeStage } from './hw-mixed-quant.js';

/** What the output stage needs of its unit: a linear unit, or a cast unit (lanes = features). */
export type OutConfig = Pick<
  LinearUnitConfig,
  | 'node'
  | 'outFeatures'
  | 'lanes'
  | 'inputExp'
  | 'weightExp'
  | 'outExp'
  | 'outBits'
  | 'outOlive'
  | 'relu'
> & {
  /** MX output (cast units): binary32 (RNE) per feature, then one `mx-quantize` of this format. */
  readonly outMxFormat?: string;
  /** nvfp4 output (`outMxFormat` nvfp4, add units): the tensor scale g = 2^outTensorScaleExp. */
  readonly outTensorScaleExp?: number;
  /** blockdialect output (cast units): binary32 (RNE) per feature, then one `dialect-quantize`. */
  readonly outDialect?: true;
  /** Mixed-precision output (cast units, one group of lanes): the on-chip mixed quantizer. */
  readonly outMixed?: { readonly map: FormatMap; readonly exp: number };
};

/** The `mx-quantize` config of an MX or nvfp4 output block of k values. */
function quantizeConfig(c: OutConfig, k: number): Record<string, string | number> {
  const f = c.outMxFormat ?? '';
  return f === 'nvfp4'
    ? { format: f, k, tensorScaleExp: c.outTensorScaleExp ?? 0 }
    : { format: f, k };
}

/**
 * The output vector of a unit whose `lanes` deliver one group of features per `valid` cycle,
 * groups 0, 1, …, G − 1 in order: one shift register that takes each group in at the top, so
 * after G groups feature j = g·lanes + p sits at bits [w·j + w − 1 : w·j] (one register and one
 * line of SV, whatever the number of features).
 */
export function collectGroups(
  m: ModuleBuilder,
  name: string,
  lanes: readonly Expr[],
  groups: number,
  valid: Expr,
): Expr {
  const group = lanes.length === 1 ? (lanes[0] as Expr) : cat(...[...lanes].reverse());
  const w = group.width * groups;
  const r = m.reg(name, u(w), { enable: valid });
  r.next(groups === 1 ? group : cat(group, r.bits(w - 1, group.width)));
  return r;
}

/** A code with its sign bit set becomes 0 (a fused relu), else the code. */
export function reluCode(code: Expr, bits: number): Expr {
  return mux(code.bit(bits - 1), lit(0, u(bits)), code);
}

/**
 * Lane p's exact result `sum·2^exp` (a component's out_sum, out_exp) cast to the output int with
 * the run-time shift `shift − exp` (castToIntLane), then the fused relu if the unit has one.
 */
export function sumExpLane(
  m: ModuleBuilder,
  p: number,
  lane: Stream,
  shift: Expr,
  c: Pick<LinearUnitConfig, 'outBits' | 'relu'>,
): Expr {
  const sum = (lane.payload.sum as Expr).asSigned();
  const exp = (lane.payload.exp as Expr).asSigned();
  const code = castToIntLane(m, `cast${p}`, sum, shift.sub(exp), c.outBits);
  return c.relu ? reluCode(code, c.outBits) : code;
}

export interface OutputStage {
  /** The output vector's codes (`outFeatures × outBits`), stable while the unit offers it. */
  readonly y: Expr;
  /** u1: the output vector is complete this cycle (set `outv`, clear `pending`). */
  readonly finished: Expr;
  /** olive4_dyn output: the token's E8M0 X from `mx-scale` (σ = 2^(X − 127 + sigmaExp)), held. */
  readonly scale?: Expr;
}

/**
 * `valid`: the lanes' totals belong to group `rcv` this cycle; `totals[p]` is lane p's signed
 * exact total at 2^(inputExp + weightExp), times 2^(X − 127) when `xScale` (the token's input
 * scale X, u8: olive4_dyn inputs) is given — then the int cast shifts at run time.
 */
export function outputStage(
  m: ModuleBuilder,
  c: OutConfig,
  rcv: Expr,
  valid: Expr,
  totals: readonly Expr[],
  xScale?: Expr,
  /** Memory mode: the static shift outExp − accExp as a run-time value (signed). */
  shift?: Expr,
  /**
   * An int output that does not collect its groups in a register (decision 53): gets the lanes'
   * codes (valid with `valid`) and the last group's cycle, returns the stage.
   */
  collect?: (lanes: readonly Expr[], storeLast: Expr) => OutputStage,
): OutputStage {
  const N = c.outFeatures;
  const P = c.lanes;
  const G = N / P;
  const storeLast = valid.and(rcv.eq(G - 1));
  const olive = c.outOlive;
  const accExp = c.inputExp + c.weightExp;
  const dStatic = c.outExp - accExp;
  // d = dStatic − (X − 127) for a per-token input scale (as for MX inputs in units/own/generate.ts).
  const d = shift
    ? xScale
      ? shift.add(127).sub(xScale.toSigned())
      : shift
    : xScale
      ? lit(dStatic + 127, s(12)).sub(xScale.toSigned().extend(12))
      : lit(dStatic, s(Math.max(sbits(BigInt(dStatic)), 2)));
  if (c.outMixed) {
    if (G !== 1)
      throw internalError(`${c.node}: a mixed-precision output needs all features at once`);
    const q = mixedQuantizeStage(m, totals, accExp, c.outMixed.map, c.outMixed.exp);
    const y = m.reg('y', u(N * 8), { enable: storeLast }).next(q.codes);
    const sc = m.reg('y_scale', u(q.exps.width), { enable: storeLast }).next(q.exps);
    return { y, finished: storeLast, scale: sc };
  }
  const fp32 = olive !== undefined || c.outMxFormat !== undefined || c.outDialect === true;
  const laneBits = fp32 ? 32 : c.outBits;
  const lanes = totals.map((t, p) => {
    const code = fp32
      ? fixedToBinary32(t, accExp)
      : shift
        ? castToIntLane(m, `cast${p}`, t, d, c.outBits)
        : castToInt(t, d, c.outBits).asUnsigned();
    // A fused relu: a negative code (sign bit set) becomes 0.
    const out = c.relu && !fp32 ? mux(code.bit(c.outBits - 1), lit(0, u(c.outBits)), code) : code;
    return m.wire(`lane${p}`, u(laneBits)).set(out);
  });
  if (collect) {
    if (fp32) throw internalError(`${c.node}: a chunked output needs int codes`);
    return collect(lanes, storeLast);
  }
  return quantizeStage(m, c, lanes, valid, storeLast);
}

/**
 * The part of `outputStage` after the lanes: `lanes` (binary32 per feature for an MX, nvfp4,
 * blockdialect or OliVe output, else the output codes) collected over the groups, then the one
 * quantizer the format needs, offered the cycle after `storeLast`. An MX or nvfp4 output longer
 * than one block gets one `mx-quantize` per block (`quant<i>`); the add unit calls this directly
 * with its own binary32 lanes.
 */
export function quantizeStage(
  m: ModuleBuilder,
  c: OutConfig,
  lanes: readonly Expr[],
  valid: Expr,
  storeLast: Expr,
): OutputStage {
  const N = c.outFeatures;
  const P = c.lanes;
  const olive = c.outOlive;
  const packed = collectGroups(m, 'y', lanes, N / P, valid);
  const blockK = c.outMxFormat === 'nvfp4' ? 16 : 32;
  if (c.outMxFormat !== undefined && N > blockK) {
    // One mx-quantize per block (the last one shorter), all offered together.
    const qkind = getComponent('mx-quantize');
    const qv = m.reg('q_valid', u(1));
    qv.next(storeLast);
    const nb = Math.ceil(N / blockK);
    const elems: Expr[] = [];
    const scales: Expr[] = [];
    let done: Expr = lit(0, u(1));
    for (let b = 0; b < nb; b++) {
      const k = Math.min(blockK, N - b * blockK);
      const qcfg = parseConfig(qkind, quantizeConfig(c, k), `${c.node}.quantize`);
      const qi = m.instance(qkind.generate(qcfg), `quant${b}`);
      const lo = 32 * b * blockK;
      driveStream(qi, { valid: qv, payload: { values: packed.bits(lo + 32 * k - 1, lo) } });
      const res = streamOut(qi, ['elems', 'scale'], lit(1, u(1)));
      if (b === 0) done = res.valid;
      elems.push(res.payload.elems as Expr);
      scales.push(res.payload.scale as Expr);
    }
    const y = m.reg('y_elems', u(N * c.outBits), { enable: done });
    y.next(cat(...elems.reverse()));
    const sc = m.reg('y_scale', u(8 * nb), { enable: done });
    sc.next(cat(...scales.reverse()));
    return { y, finished: done, scale: sc };
  }
  if (c.outMxFormat !== undefined) {
    // One mx-quantize block over the N binary32 values (offered the cycle after the last group).
    const qkind = getComponent('mx-quantize');
    const qcfg = parseConfig(qkind, quantizeConfig(c, N), `${c.node}.quantize`);
    const qv = m.reg('q_valid', u(1));
    qv.next(storeLast);
    const qi = m.instance(qkind.generate(qcfg), 'quant');
    driveStream(qi, { valid: qv, payload: { values: packed } });
    const res = streamOut(qi, ['elems', 'scale'], lit(1, u(1)));
    const done = res.valid;
    const elems = m.reg('y_elems', u(N * c.outBits), { enable: done });
    elems.next(res.payload.elems as Expr);
    const sc = m.reg('y_scale', u(8), { enable: done });
    sc.next(res.payload.scale as Expr);
    return { y: elems, finished: done, scale: sc };
  }
  if (c.outDialect) {
    // One dialect-quantize (k = N; the golden pads the block to 32 with +0, which changes neither
    // the maximum nor a beneficial count) over the N binary32 values, offered after the last group.
    const qkind = getComponent('dialect-quantize');
    const qcfg = parseConfig(qkind, { k: N }, `${c.node}.quantize`);
    const qv = m.reg('q_valid', u(1));
    qv.next(storeLast);
    const qi = m.instance(qkind.generate(qcfg), 'dquant');
    driveStream(qi, { valid: qv, payload: { x: packed } });
    const res = streamOut(qi, ['codes', 'dialect', 'scale'], lit(1, u(1)));
    const done = res.valid;
    const elems = m.reg('y_elems', u(4 * N), { enable: done });
    elems.next(res.payload.codes as Expr);
    const sc = m.reg('y_scale', u(16), { enable: done });
    sc.next(cat(lit(0, u(4)), res.payload.dialect as Expr, res.payload.scale as Expr));
    return { y: elems, finished: done, scale: sc };
  }
  if (!olive) return { y: packed, finished: storeLast };
  // One olive-encoder over the N binary32 values (element 2j low in pair j), the cycle after the
  // last group arrived; its codes are held until the next token's vector replaces them.
  const kind = getComponent('olive-encoder');
  const cfg = parseConfig(
    kind,
    { variant: olive.variant, pairs: N / 2, stages: 1 },
    `${c.node}.encoder`,
  );
  const qv = m.reg('enc_valid', u(1));
  qv.next(storeLast);
  const enc = m.instance(kind.generate(cfg), 'encoder');
  let encValid: Expr = qv;
  let sigmaExp: Expr = lit(olive.sigmaExp, s(8));
  let scale: Expr | undefined;
  if (olive.dynamic) {
    // olive4_dyn: one mx-scale over the N binary32 values (held in y0..y(N-1) until the token's
    // output is taken) gives X; the encoder then runs with σ = 2^(X − 127 + sigmaExp) ∈ s8.
    const sk = getComponent('mx-scale');
    const scfg = parseConfig(
      sk,
      { format: olive.dynamic.format, policy: olive.dynamic.policy, k: N, stages: 1 },
      `${c.node}.scale`,
    );
    const sc = m.instance(sk.generate(scfg), 'scale');
    driveStream(sc, { valid: qv, payload: { values: packed } });
    const res = streamOut(sc, ['scale'], lit(1, u(1)));
    encValid = res.valid;
    const x = m.wire('x_code', u(8)).set(res.payload.scale as Expr);
    sigmaExp = m.wire('sigma_exp', s(8)).set(
      fitSigned(
        x
          .toSigned()
          .extend(10)
          .add(lit(olive.sigmaExp - 127, s(10))),
        8,
      ),
    );
    const held = m.reg('y_scale', u(8), { enable: encValid });
    held.next(x);
    scale = held;
  }
  driveStream(enc, { valid: encValid, payload: { values: packed, sigma_exp: sigmaExp } });
  const res = streamOut(enc, ['codes'], lit(1, u(1)));
  const finished = res.valid;
  const codes = m.reg('y_codes', u(N * c.outBits), { enable: finished });
  codes.next(res.payload.codes as Expr);
  return scale ? { y: codes, finished, scale } : { y: codes, finished };
}
