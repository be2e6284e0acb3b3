// layernorm / rmsnorm: one row of n codes with its γ (and β) per beat → n output codes (numerics
// intNorm). Stage 1: S1, S2, D, Q = floor(M·2^(2K) / D) (restoring divider), r = isqrt(Q)
// (digit by digit); stage 2: per lane sat(RNE((a_i·r·γ_i << gShift + β_i << bShift) >> outShift)).
// Latency 2, one row per cycle.
import { type Expr, lit, ModuleBuilder, s, u } from '../../hdl/index.js';
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
import { streamStages } from '../mx-scale/index.js';
import { deriveNorm, normName, normParams, type NormConfig } from './config.js';

const slit = (v: bigint): Expr => lit(v, s(v.toString(2).length + 1));

export function generateNorm(kind: NormKind, cfg: NormConfig): ModuleBuilder {
  const c = normConstants(normParams(kind, cfg));
  const d = deriveNorm(kind, cfg);
  const ln = kind === 'layernorm';
  const m = new ModuleBuilder(normName(kind, cfg), { config: { kind, ...cfg } });
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const inX = m.input('in_x', u(cfg.inBits * cfg.n));
  const inG = m.input('in_gamma', u(cfg.gammaBits * cfg.n));
  const inB = ln ? m.input('in_beta', u(cfg.betaBits * cfg.n)) : undefined;
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outY = m.output('out_y', u(cfg.outBits * cfg.n));
  // 2. Stage 1: row statistics and r = floor(2^K·sqrt(M/D))
  const xs = signedLanes(inX, cfg.inBits, cfg.n);
  const s1 = m.wire('sum_x', adderTree(xs).shape).set(adderTree(xs));
  const s2e = adderTree(xs.map((x) => x.mul(x)));
  const s2 = m.wire('sum_x2', s2e.shape).set(s2e);
  const data = ln ? s2.mul(slit(BigInt(cfg.n))).sub(s1.mul(s1)) : s2;
  const dExpr = data.shl(c.dataShift).add(slit(c.epsTerm));
  const dBits = d.dBits as number;
  const dv = m.wire('d', u(dBits)).set(dExpr.bits(dBits - 1, 0)); // 1 ≤ D ≤ dMax
  const q = divConstByUnsigned(c.m << BigInt(2 * c.k), dv, c.epsTerm);
  const qv = m.wire('q', q.shape).set(q);
  const r = isqrtUnsigned(qv);
  const rv = m.wire('r', r.shape).set(r);
  const midReady = m.wire('ready_mid', u(1));
  const carry = [
    { name: 'r', value: rv as Expr },
    { name: 'x', value: inX as Expr },
    { name: 'gamma', value: inG as Expr },
    ...(ln
      ? [
          { name: 'sum', value: s1 as Expr },
          { name: 'beta', value: inB as Expr },
        ]
      : []),
  ];
  const st1 = streamStages(m, { inValid, outReady: midReady, data: carry }, 1);
  // 3. Stage 2: a_i · r · γ_i (+ β_i), one RNE, saturation
  const reg = new Map(st1.data.map((x) => [x.name, x.value]));
  const rs = reg.get('r')!.toSigned();
  const xr = signedLanes(reg.get('x')!, cfg.inBits, cfg.n);
  const gr = signedLanes(reg.get('gamma')!, cfg.gammaBits, cfg.n);
  const br = ln ? signedLanes(reg.get('beta')!, cfg.betaBits, cfg.n) : [];
  const nLit = slit(BigInt(cfg.n));
  const ys = xr.map((x, i) => {
    const a = ln ? x.mul(nLit).sub(reg.get('sum')!) : x;
    let t = a.mul(rs).mul(gr[i]!).shl(c.gShift);
    if (ln) t = t.add(br[i]!.shl(c.bShift));
    return satSigned(rneShr(t, c.outShift), cfg.outBits);
  });
  const st2 = streamStages(
    m,
    { inValid: st1.outValid, outReady, data: [{ name: 'y', value: packLanes(ys) }] },
    1,
    2,
  );
  midReady.set(st2.inReady);
  // 4. Outputs
  inReady.set(st1.inReady);
  outValid.set(st2.outValid);
  outY.set(st2.data[0]!.value);
  return m;
}
