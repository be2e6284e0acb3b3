// kv-attention: one decode step per input token over a KV cache in two SRAMs (K and V, one word
// of kvHeads·headDim codes per position; Yosys keeps them as $mem). A small state machine:
//   IDLE  accept q|k|v; write the quantized k, v at the token's position; latch q
//   S1    read K[0..t] (one position per cycle): per head the exact q·k, RNE to the score code,
//         into a register file; running max per head
//   S2    per position and head the integer exp (softmax's laneExp) of score − max, summed
//   DIV   R = floor(2^46 / sum) per head (restoring divider)
//   S3    read V[0..t]: p = sat(RNE(e·R, 46 − probBits)), acc += p·v exactly
//   OUT   sat(RNE(acc)) into the output register as soon as it is free (or leaving this
//         cycle); the position advances (and restarts after seqLen) and the next token can be
//         taken while the result waits there, so a slow consumer does not hold up the producer
// The passes take 3·(t + 1) + 4 cycles at position t; the result is held until the last
// position's time, so every token takes 3·seqLen + 5 cycles from its input handshake to the
// first offer of its output, and the next token is taken that many cycles after it (a fixed
// schedule, independent of the position). Numerics: intAttention + kvQuantize.
import { type Expr, lit, ModuleBuilder, mux, s as sh, u } from '../../hdl/index.js';
import {
  attentionOutShift,
  attentionScoreShift,
  SOFTMAX_RECIP_BITS,
} from '../../numerics/index.js';
import {
  adderTree,
  divConstByUnsigned,
  fitSigned,
  packLanes,
  rneShr,
  satSigned,
  satUnsigned,
  signedLanes,
} from '../arith/index.js';
import { laneExp } from '../softmax/generate.js';
import { kvDecodeWord, kvEncodeWord } from './codec.js';
import {
  kvAttentionName,
  kvAttentionParams,
  kvChannelScales,
  kvSpec,
  type KvAttentionConfig,
} from './config.js';
import { kvDecodedBits, kvRowBits } from '../../numerics/index.js';

const bitLen = (v: number): number => Math.max(1, Math.ceil(Math.log2(v + 1)));

export function generateKvAttention(c: KvAttentionConfig): ModuleBuilder {
  const m = new ModuleBuilder(kvAttentionName(c), { config: c });
  const p = kvAttentionParams(c);
  const D = c.headDim;
  const Q = c.heads * D;
  const KV = c.kvHeads * D;
  const group = c.heads / c.kvHeads;
  const pb = bitLen(c.capacity - 1);
  const sumBits = bitLen(c.capacity * 32768);
  const sp = kvSpec(c, 'k');
  const vsp = kvSpec(c, 'v');
  const kvBits = kvDecodedBits(sp); // the decoded k, v lanes (equal for K and V)
  const cs = kvChannelScales(c);
  const accBits = c.probBits + 1 + kvBits + bitLen(c.capacity) + 1;
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const inX = m.input('in_x', u(c.inBits * (Q + 2 * KV)));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outY = m.output('out_y', u(c.outBits * Q));
  // static per-channel scales (decision 44): K's channels then V's, a shift field each
  const inS = cs.k + cs.v > 0 ? m.input('in_s', u((cs.k + cs.v) * cs.bits)) : undefined;
  // 2. State
  const IDLE = 0;
  const S1 = 1;
  const S2 = 2;
  const DIV = 3;
  const S3 = 4;
  const OUT = 5;
  const state = m.reg('state', u(3));
  const at = (s: number): Expr => state.eq(lit(s, u(3)));
  const pos = m.reg('pos', u(pb));
  const last = m.reg('last', u(pb));
  const j = m.reg('j', u(pb + 1));
  const rv = m.reg('rv', u(1));
  const rj = m.reg('rj', u(pb));
  const qReg = m.reg('q', u(c.inBits * Q));
  const accept = at(IDLE).and(inValid);
  const oFree = m.wire('out_free', u(1));
  const lastJ = last.extend(pb + 1);
  // 3. Append k, v (encoded to the cache format: codes and scales) at the token's position
  const xs = signedLanes(inX, c.inBits, Q + 2 * KV);
  // Channel scales: taken with a sequence's first token (position 0) and held for the sequence,
  // so every row is decoded with the shifts it was encoded with; that token encodes with them
  // straight from the port.
  let encK: Expr[] = [];
  let encV: Expr[] = [];
  let decK: Expr[] = [];
  let decV: Expr[] = [];
  if (inS) {
    const first = pos.eq(lit(0, u(pb)));
    const held = m.reg('kv_scales', inS.shape).next(inS, accept.and(first));
    const enc = mux(first, inS, held);
    const fields = (w: Expr, at: number, n: number): Expr[] =>
      Array.from({ length: n }, (_, i) => w.bits((at + i + 1) * cs.bits - 1, (at + i) * cs.bits));
    encK = fields(enc, 0, cs.k);
    encV = fields(enc, cs.k, cs.v);
    decK = fields(held, 0, cs.k);
    decV = fields(held, cs.k, cs.v);
  }
  const kc = m.sram('k_cache', { width: kvRowBits(sp), depth: c.capacity });
  const vc = m.sram('v_cache', { width: kvRowBits(vsp), depth: c.capacity });
  kc.write(pos, kvEncodeWord(sp, xs.slice(Q, Q + KV), encK), accept);
  vc.write(pos, kvEncodeWord(vsp, xs.slice(Q + KV), encV), accept);
  // 4. Passes 1 and 3 read one position per cycle; the word arrives the next cycle (rv, rj)
  const issue = at(S1).or(at(S3)).and(j.le(lastJ));
  const kWord = kc.read(j.bits(pb - 1, 0), at(S1));
  const vWord = vc.read(j.bits(pb - 1, 0), at(S3));
  const lastWord = rv.and(rj.eq(last));
  // Scores: a register file of heads·scoreBits per position, written in S1, read in S2 / S3
  const scores = m.mem('scores', { width: c.scoreBits * c.heads, depth: c.capacity });
  const qs = signedLanes(qReg, c.inBits, Q);
  const ks = kvDecodeWord(sp, kWord, decK);
  const sNew = Array.from({ length: c.heads }, (_, h) => {
    const g = Math.floor(h / group);
    const dot = adderTree(Array.from({ length: D }, (_, i) => qs[h * D + i]!.mul(ks[g * D + i]!)));
    return satSigned(rneShr(dot, attentionScoreShift(p)), c.scoreBits);
  });
  scores.write(rj, packLanes(sNew), at(S1).and(rv));
  const maxes = sNew.map((sv, h) => {
    const r = m.reg(`max_${h}`, sv.shape);
    const first = rj.eq(lit(0, u(pb)));
    r.next(mux(first.or(sv.gt(r)), sv, r), at(S1).and(rv));
    return r;
  });
  // 5. exp of score − max per head (S2 at j, S3 at rj)
  const sRow = scores.read(mux(at(S2), j.bits(pb - 1, 0), rj));
  const ss = signedLanes(sRow, c.scoreBits, c.heads);
  const es = ss.map((sv, h) =>
    m.wire(`e_${h}`, u(16)).set(laneExp(sv, maxes[h]!, c.scoreBits, c.scoreScaleExp)),
  );
  const sums = es.map((e, h) => {
    const r = m.reg(`sum_${h}`, u(sumBits));
    const acc = r.add(e.extend(sumBits)).bits(sumBits - 1, 0);
    r.next(mux(accept, lit(0, u(sumBits)), acc), accept.or(at(S2)));
    return r;
  });
  const recips = sums.map((sm, h) => {
    const q = divConstByUnsigned(1n << BigInt(SOFTMAX_RECIP_BITS), sm, 32768n);
    return m.reg(`recip_${h}`, q.shape).next(q, at(DIV));
  });
  // 6. P·V
  const vs = kvDecodeWord(vsp, vWord, decV);
  const probs = es.map((e, h) =>
    satUnsigned(rneShr(e.mul(recips[h]!), SOFTMAX_RECIP_BITS - c.probBits), c.probBits),
  );
  const accs: Expr[] = [];
  for (let h = 0; h < c.heads; h++)
    for (let i = 0; i < D; i++) {
      const r = m.reg(`acc_${h}_${i}`, sh(accBits));
      const prod = probs[h]!.toSigned().mul(vs[Math.floor(h / group) * D + i]!);
      r.next(
        mux(accept, lit(0, r.shape), fitSigned(r.add(prod), accBits)),
        accept.or(at(S3).and(rv)),
      );
      accs.push(satSigned(rneShr(r, attentionOutShift(p)), c.outBits));
    }
  // 7. Control: OUT loads the output register when it is free or its result leaves this cycle
  const padTo = 3 * c.seqLen + 4; // the last position's cycles from accept to load
  const cyc = m.reg('cyc', u(bitLen(padTo)));
  cyc.next(
    mux(
      accept,
      lit(1, cyc.shape),
      mux(cyc.lt(padTo), cyc.add(lit(1, u(1))).bits(cyc.width - 1, 0), cyc),
    ),
  );
  const load = at(OUT).and(oFree).and(cyc.ge(padTo));
  const next = mux(
    accept,
    lit(S1, u(3)),
    mux(
      at(S1).and(lastWord),
      lit(S2, u(3)),
      mux(
        at(S2).and(j.eq(lastJ)),
        lit(DIV, u(3)),
        mux(
          at(DIV),
          lit(S3, u(3)),
          mux(at(S3).and(lastWord), lit(OUT, u(3)), mux(load, lit(IDLE, u(3)), state)),
        ),
      ),
    ),
  );
  state.next(next);
  const restart = mux(at(S1).and(lastWord), lit(1, u(1)), at(DIV));
  j.next(
    mux(accept.or(restart), lit(0, u(pb + 1)), j.add(lit(1, u(1))).bits(pb, 0)),
    accept.or(restart).or(issue).or(at(S2)),
  );
  rv.next(issue);
  rj.next(j.bits(pb - 1, 0));
  qReg.next(inX.bits(c.inBits * Q - 1, 0), accept);
  last.next(pos, accept);
  const wrap = pos.eq(lit(c.seqLen - 1, u(pb)));
  pos.next(mux(wrap, lit(0, u(pb)), pos.add(lit(1, u(1))).bits(pb - 1, 0)), load);
  // 8. Outputs: one result register
  const oValid = m.reg('out_v', u(1));
  const oData = m.reg('out_d', u(c.outBits * Q));
  oFree.set(oValid.not().or(outReady));
  oValid.next(mux(load, lit(1, u(1)), mux(outReady, lit(0, u(1)), oValid)));
  oData.next(packLanes(accs), load);
  inReady.set(at(IDLE));
  outValid.set(oValid);
  outY.set(oData);
  return m;
}
