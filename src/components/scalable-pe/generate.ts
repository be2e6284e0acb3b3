// scalable-pe: a BitFusion-style fused multiplier of 16 BitBricks (2-bit × 2-bit digits, each
// extended by a sign bit to 3 × 3 signed) whose digit routing and shifts depend on the runtime
// mode, so one 8×8 datapath gives 1, 2, 4, 8 or 16 products per beat; their sum is added to an
// accumulator that a `last` beat closes. Oracle: ./reference.ts. Latency: 2 cycles.
import { type Expr, lit, ModuleBuilder, mux, u } from '../../hdl/index.js';
import { adderTree, fitSigned } from '../arith/index.js';
import { deriveScalablePe, PE_MODES, scalablePeName, type ScalablePeConfig } from './config.js';

/** Digit routing of brick `t` in mode `md`: product, digit positions, shift. */
export function brickRoute(md: (typeof PE_MODES)[number], t: number) {
  const da = md.wa / 2;
  const db = md.wb / 2;
  const pi = Math.floor(t / (da * db));
  const local = t % (da * db);
  const p = local % da;
  const q = Math.floor(local / da);
  return {
    aLo: md.wa * pi + 2 * p,
    bLo: md.wb * pi + 2 * q,
    aTop: p === da - 1,
    bTop: q === db - 1,
    shift: 2 * (p + q),
  };
}

/** Chooses among per-mode values by `mode` (0 for the reserved codes 5..7). */
function byMode(mode: Expr, values: readonly Expr[], zero: Expr): Expr {
  let r = zero;
  for (let k = values.length - 1; k >= 0; k--) r = mux(mode.eq(k), values[k] as Expr, r);
  return r;
}

export function generateScalablePe(c: ScalablePeConfig): ModuleBuilder {
  const d = deriveScalablePe(c);
  const W = d.accWidthBits;
  // The hardware depends on the accumulator width only, which the name carries: configs that
  // differ only in maxBeats but agree on the width are one module (digest of what is built).
  const m = new ModuleBuilder(scalablePeName(c), { config: { accWidthBits: W } });
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const mode = m.input('in_mode', u(3));
  const sa = m.input('in_sa', u(1));
  const sb = m.input('in_sb', u(1));
  const inA = m.input('in_a', u(32));
  const inB = m.input('in_b', u(32));
  const inLast = m.input('in_last', u(1));
  const outReady = m.input('out_ready', u(1));
  const outValid = m.reg('out_valid_r', u(1));
  const adv = m.wire('adv', u(1)).set(outValid.not().or(outReady));
  m.output('in_ready', u(1)).set(adv);
  const fire = m.wire('in_fire', u(1)).set(inValid.and(adv));
  // 2. Bricks: digits routed by mode, 3-bit signed operands, product shifted by 2(p + q).
  const SW = 6 + 12;
  const terms: Expr[] = [];
  for (let t = 0; t < d.bricks; t++) {
    const routes = PE_MODES.map((md) => brickRoute(md, t));
    const aDig = byMode(
      mode,
      routes.map((r) => inA.bits(r.aLo + 1, r.aLo)),
      lit(0, u(2)),
    );
    const bDig = byMode(
      mode,
      routes.map((r) => inB.bits(r.bLo + 1, r.bLo)),
      lit(0, u(2)),
    );
    // The top digit of a signed operand is a signed digit (its bit 1 is the sign).
    const aTop = byMode(
      mode,
      routes.map((r) => lit(r.aTop ? 1 : 0, u(1))),
      lit(0, u(1)),
    );
    const bTop = byMode(
      mode,
      routes.map((r) => lit(r.bTop ? 1 : 0, u(1))),
      lit(0, u(1)),
    );
    const x = m
      .wire(`brick${t}_a`, u(3))
      .set(aDig.extend(3).or(aTop.and(sa).and(aDig.bit(1)).extend(3).shl(2).trunc(3)));
    const y = m
      .wire(`brick${t}_b`, u(3))
      .set(bDig.extend(3).or(bTop.and(sb).and(bDig.bit(1)).extend(3).shl(2).trunc(3)));
    const prod = x.asSigned().mul(y.asSigned()); // s6
    const shifted = byMode(
      mode,
      routes.map((r) => prod.shl(r.shift).extend(SW)),
      lit(0, prod.shl(0).extend(SW).shape),
    );
    terms.push(m.wire(`brick${t}_p`, shifted.shape).set(shifted));
  }
  const beatSum = adderTree(terms, d.beatWidthBits);
  // 3. Pipeline: stage 1 holds the beat's sum, stage 2 accumulates.
  const s1Valid = m.reg('s1_valid', u(1)).next(fire, adv);
  const s1Last = m.reg('s1_last', u(1)).next(inLast, adv);
  const s1Sum = m.reg('s1_sum', beatSum.shape).next(beatSum, adv);
  const acc = m.reg('acc', fitSigned(s1Sum, W).shape);
  // Modular accumulation: exact up to maxBeats beats per sum (docs/components.md).
  const total = m.wire('acc_next', acc.shape).set(acc.addWrap(fitSigned(s1Sum, W)));
  const step = adv.and(s1Valid);
  acc.next(mux(s1Last, lit(0, acc.shape), total), step);
  // 4. Output register
  outValid.next(s1Valid.and(s1Last), adv);
  const accOut = m.reg('out_acc_r', acc.shape).next(total, step.and(s1Last));
  m.output('out_valid', u(1)).set(outValid);
  m.output('out_acc', u(W)).set(accOut.asUnsigned());
  return m;
}
