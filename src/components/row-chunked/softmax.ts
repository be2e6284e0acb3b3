// softmax-chunked: numerics intSoftmax in its online form with `chunk` = the lanes. Pass 1, per
// input beat: the beat's max (padding lanes excluded), the running max M' = max(M, beat max), the
// running sum rescaled S·exp(M - M') = RNE(S·e0 / 2^(15 + n)) (intExp's parts of M - M'; exact when
// the max is unchanged) plus the beat's Q15 exps relative to M'. CALC: R = floor(2^46 / S).
// Pass 2, per buffered beat: p_i = sat(RNE(exp(x_i - M)·R / 2^(46 - F))). Padding lanes give 0.
import { cat, type Expr, lit, ModuleBuilder, mux, u } from '../../hdl/index.js';
import { SOFTMAX_RECIP_BITS } from '../../numerics/index.js';
import {
  divConstByUnsigned,
  maxTree,
  packLanes,
  rneShr,
  satUnsigned,
  signedLanes,
} from '../arith/index.js';
import { laneExp, laneExpParts } from '../softmax/generate.js';
import { deriveSoftmaxChunked, softmaxChunkedName, type SoftmaxChunkedConfig } from './config.js';
import { rowMachine } from './machine.js';

/** RNE(v / 2^amount) for an unsigned v and a run-time unsigned amount (any size). */
function rneShrBy(v: Expr, amount: Expr): Expr {
  const W = v.width;
  const S = W + 1; // a shift of W + 1 or more rounds to 0
  const sb = Math.max(1, Math.ceil(Math.log2(S + 1)));
  // Past S the result is 0 either way; cap a wide amount so the shifter stays small.
  const cap = amount.width > sb ? mux(amount.gt(S), lit(S, u(sb)), amount.bits(sb - 1, 0)) : amount;
  const y = cat(v, lit(0, u(S))).shrBy(cap);
  const q = y.bits(W + S - 1, S);
  const up = y.bit(S - 1).and(
    y
      .bits(S - 2, 0)
      .orR()
      .or(q.bit(0)),
  );
  return q.add(up).bits(W - 1, 0);
}

export function generateSoftmaxChunked(c: SoftmaxChunkedConfig): ModuleBuilder {
  const d = deriveSoftmaxChunked(c);
  const m = new ModuleBuilder(softmaxChunkedName(c), { config: c });
  const C = c.chunk;
  const sumBits = d.sumBits as number;
  // 1. Interface: one chunk of the row per beat
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const inX = m.input('in_x', u(c.inBits * C));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outP = m.output('out_p', u(c.outBits * C));
  const rm = rowMachine(m, { n: c.n, chunk: C, word: inX, inValid, outReady, inReady, outValid });
  // 2. Pass 1: running max and rescaled running sum
  const xs = signedLanes(inX, c.inBits, C);
  const lo = lit(-(2 ** (c.inBits - 1)), xs[0]!.shape);
  const beatMax = maxTree(xs.map((x, i) => mux(rm.inLane(i), x, lo)));
  const maxReg = m.reg('row_max', xs[0]!.shape);
  const sumReg = m.reg('exp_sum', u(sumBits));
  const newMax = m
    .wire('new_max', xs[0]!.shape)
    .set(mux(rm.first.or(beatMax.gt(maxReg)), beatMax, maxReg));
  const { e0, n } = laneExpParts(maxReg, newMax, c.inBits, c.inScaleExp);
  const scaled = rneShrBy(sumReg.mul(e0), n.add(lit(15, u(5))));
  const kept = m
    .wire('sum_kept', u(sumBits))
    .set(mux(rm.first, lit(0, u(sumBits)), scaled.bits(sumBits - 1, 0)));
  let acc: Expr = kept;
  xs.forEach((x, i) => {
    const e = laneExp(x, newMax, c.inBits, c.inScaleExp);
    acc = acc.add(mux(rm.inLane(i), e, lit(0, u(16))).extend(sumBits));
  });
  maxReg.next(newMax, rm.accept);
  sumReg.next(acc.bits(sumBits - 1, 0), rm.accept);
  // 3. CALC: the reciprocal of the sum
  const recip = divConstByUnsigned(1n << BigInt(SOFTMAX_RECIP_BITS), sumReg, 32768n);
  const rReg = m.reg('recip', recip.shape).next(recip, rm.calc);
  // 4. Pass 2: normalize the buffered beat
  const ws = signedLanes(rm.word, c.inBits, C);
  const ps = ws.map((x, i) =>
    mux(
      rm.outLane(i),
      satUnsigned(
        rneShr(
          laneExp(x, maxReg, c.inBits, c.inScaleExp).mul(rReg),
          SOFTMAX_RECIP_BITS - c.outFracBits,
        ),
        c.outBits,
      ),
      lit(0, u(c.outBits)),
    ),
  );
  outP.set(packLanes(ps));
  return m;
}
