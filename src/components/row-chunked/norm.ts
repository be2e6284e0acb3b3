// layernorm-chunked / rmsnorm-chunked: numerics intNorm with the row in `chunk`-lane beats, each
// with its γ (and β) chunk. Pass 1, per input beat: S1 += Σx, S2 += Σx² (padding lanes count as
// 0) and the beat's x|γ|β into the row buffer. CALC: D, Q = floor(M·2^(2K) / D), r = isqrt(Q)
// (the one-row unit's arithmetic, once per row). Pass 2, per buffered beat: per lane
// sat(RNE((a_i·r·γ_i << gShift + β_i << bShift) >> outShift)), a_i = N·x_i - S1 (layernorm) or x_i.
import { cat, type Expr, lit, ModuleBuilder, mux, s, u } from '../../hdl/index.js';
import { normConstants, type NormKind } from '../../numerics/index.js';
import {
  adderTree,
  divConstByUnsigned,
  isqrtUnsigned,
  packLanes,
  rneShr,
  satSigned,
  signedLanes,
} from '../arith/index.js';
import {
  deriveNormChunked,
  normChunkedName,
  normChunkedParams,
  type NormChunkedConfig,
} from './config.js';
import { rowMachine } from './machine.js';

const slit = (v: bigint): Expr => lit(v, s(v.toString(2).length + 1));
const bitLen = (v: bigint): number => v.toString(2).length;

export function generateNormChunked(kind: NormKind, c: NormChunkedConfig): ModuleBuilder {
  const k = normConstants(normChunkedParams(kind, c));
  const d = deriveNormChunked(kind, c);
  const ln = kind === 'layernorm';
  const C = c.chunk;
  const m = new ModuleBuilder(normChunkedName(kind, c), { config: { kind, ...c } });
  // 1. Interface: one chunk of the row (with its γ, β) per beat
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const inX = m.input('in_x', u(c.inBits * C));
  const inG = m.input('in_gamma', u(c.gammaBits * C));
  const inB = ln ? m.input('in_beta', u(c.betaBits * C)) : undefined;
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outY = m.output('out_y', u(c.outBits * C));
  const word = inB ? cat(inB, inG, inX) : cat(inG, inX);
  const rm = rowMachine(m, { n: c.n, chunk: C, word, inValid, outReady, inReady, outValid });
  // 2. Pass 1: exact S1, S2 (padding lanes are 0)
  const xs = signedLanes(inX, c.inBits, C).map((x, i) => mux(rm.inLane(i), x, lit(0, x.shape)));
  const n = BigInt(c.n);
  const lo = BigInt(2 ** (c.inBits - 1));
  const s1Bits = bitLen(n * lo) + 1;
  const s2Bits = bitLen(n * lo * lo) + 1;
  const s1 = m.reg('sum_x', s(s1Bits));
  const s2 = m.reg('sum_x2', s(s2Bits));
  const b1 = adderTree(xs);
  const b2 = adderTree(xs.map((x) => x.mul(x)));
  s1.next(
    mux(rm.first, lit(0, s(s1Bits)), s1)
      .add(b1)
      .trunc(s1Bits),
    rm.accept,
  );
  s2.next(
    mux(rm.first, lit(0, s(s2Bits)), s2)
      .add(b2)
      .trunc(s2Bits),
    rm.accept,
  );
  // 3. CALC: r = floor(2^K·sqrt(M/D))
  const data = ln ? s2.mul(slit(n)).sub(s1.mul(s1)) : s2;
  const dBits = d.dBits as number;
  const dv = m.wire('d', u(dBits)).set(
    data
      .shl(k.dataShift)
      .add(slit(k.epsTerm))
      .bits(dBits - 1, 0),
  );
  const qe = divConstByUnsigned(k.m << BigInt(2 * k.k), dv, k.epsTerm);
  const q = m.wire('q', qe.shape).set(qe);
  const r = isqrtUnsigned(q);
  const rReg = m.reg('r', r.shape).next(r, rm.calc);
  // 4. Pass 2: a_i · r · γ_i (+ β_i), one RNE, saturation
  const w = rm.word;
  const wx = signedLanes(w.bits(c.inBits * C - 1, 0), c.inBits, C);
  const gOff = c.inBits * C;
  const wg = signedLanes(w.bits(gOff + c.gammaBits * C - 1, gOff), c.gammaBits, C);
  const bOff = gOff + c.gammaBits * C;
  const wb = ln ? signedLanes(w.bits(bOff + c.betaBits * C - 1, bOff), c.betaBits, C) : [];
  const rs = rReg.toSigned();
  const ys = wx.map((x, i) => {
    const a = ln ? x.mul(slit(n)).sub(s1) : x;
    let t = a.mul(rs).mul(wg[i]!).shl(k.gShift);
    if (ln) t = t.add(wb[i]!.shl(k.bShift));
    return mux(rm.outLane(i), satSigned(rneShr(t, k.outShift), c.outBits), lit(0, s(c.outBits)));
  });
  outY.set(packLanes(ys));
  return m;
}
