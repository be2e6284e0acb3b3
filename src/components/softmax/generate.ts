// softmax: one row of n signed codes per beat → n unsigned probabilities (numerics intSoftmax,
// two-pass form). Stage 1: max tree, per-lane integer exp (Q15), sum, R = floor(2^46 / S) by a
// restoring divider; stage 2: p_i = sat(RNE(e_i·R / 2^(46-F))). Latency 2, one row per cycle.
import { cat, type Expr, lit, ModuleBuilder, mux, s, u } from '../../hdl/index.js';
import { EXP_POLY_Q15, LOG2E_Q16, SOFTMAX_RECIP_BITS } from '../../numerics/index.js';
import {
  divConstByUnsigned,
  maxTree,
  packLanes,
  rneShr,
  satUnsigned,
  signedLanes,
} from '../arith/index.js';
import { streamStages } from '../mx-scale/index.js';
import { deriveSoftmax, softmaxName, type SoftmaxConfig } from './config.js';

/**
 * The parts of exp((x - max)·2^s) (numerics intExp): e0 = 2^(-f/2^12) in Q15 as u16 and the
 * base-2 exponent n (unsigned, uncapped).
 */
export function laneExpParts(
  x: Expr,
  max: Expr,
  inBits: number,
  sx: number,
): { e0: Expr; n: Expr } {
  const negd = max.sub(x).bits(inBits, 0); // max - x ≥ 0
  const z = negd.mul(lit(LOG2E_Q16, u(17)));
  const w = rneShr(z, 16 - 12 - sx);
  const f = w.bits(11, 0).toSigned();
  const n = w.shr(12);
  const { a1, a2, a3 } = EXP_POLY_Q15;
  const h2 = rneShr(lit(a3, s(12)).mul(f), 12).add(lit(a2, s(14)));
  const h1 = rneShr(h2.mul(f), 12).add(lit(a1, s(16)));
  const e0 = rneShr(h1.mul(f), 12)
    .add(lit(32768, s(17)))
    .bits(15, 0);
  return { e0, n };
}

/** exp((x - max)·2^s) in Q15 as u16 (numerics intExp, n capped at 16: same result). */
export function laneExp(x: Expr, max: Expr, inBits: number, sx: number): Expr {
  const { e0, n } = laneExpParts(x, max, inBits, sx);
  const ncap = n.width < 5 ? n.extend(5) : mux(n.gt(16), lit(16, u(5)), n.bits(4, 0));
  const y = cat(e0, lit(0, u(17))).shrBy(ncap);
  const q = y.bits(32, 17);
  const up = y.bit(16).and(y.bits(15, 0).orR().or(q.bit(0)));
  return q.add(up).bits(15, 0);
}

export function generateSoftmax(cfg: SoftmaxConfig): ModuleBuilder {
  const d = deriveSoftmax(cfg);
  const m = new ModuleBuilder(softmaxName(cfg), { config: cfg });
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const inX = m.input('in_x', u(cfg.inBits * cfg.n));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outP = m.output('out_p', u(cfg.outBits * cfg.n));
  // 2. Stage 1: max, exps, sum, reciprocal
  const xs = signedLanes(inX, cfg.inBits, cfg.n);
  const max = m.wire('row_max', xs[0]!.shape).set(maxTree(xs));
  const es = xs.map((x, i) =>
    m.wire(`e_${i}`, u(16)).set(laneExp(x, max, cfg.inBits, cfg.inScaleExp)),
  );
  let level: Expr[] = es;
  while (level.length > 1) {
    const next: Expr[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(level[i]!.add(level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  const sumW = level[0]!;
  const sum = m
    .wire('exp_sum', u(d.sumBits as number))
    .set(
      sumW.width >= (d.sumBits as number)
        ? sumW.bits((d.sumBits as number) - 1, 0)
        : sumW.extend(d.sumBits as number),
    );
  const recip = divConstByUnsigned(1n << BigInt(SOFTMAX_RECIP_BITS), sum, 32768n);
  const r = m.wire('recip', recip.shape).set(recip);
  const midReady = m.wire('ready_mid', u(1));
  const st1 = streamStages(
    m,
    {
      inValid,
      outReady: midReady,
      data: [
        { name: 'exps', value: cat(...[...es].reverse()) },
        { name: 'recip', value: r },
      ],
    },
    1,
  );
  // 3. Stage 2: normalize
  const eReg = st1.data[0]!.value;
  const rReg = st1.data[1]!.value;
  const ps = Array.from({ length: cfg.n }, (_, i) =>
    satUnsigned(
      rneShr(eReg.bits(16 * i + 15, 16 * i).mul(rReg), SOFTMAX_RECIP_BITS - cfg.outFracBits),
      cfg.outBits,
    ),
  );
  const st2 = streamStages(
    m,
    { inValid: st1.outValid, outReady, data: [{ name: 'p', value: packLanes(ps) }] },
    1,
    2,
  );
  midReady.set(st2.inReady);
  // 4. Outputs
  inReady.set(st1.inReady);
  outValid.set(st2.outValid);
  outP.set(st2.data[0]!.value);
  return m;
}
