// rope: one token's q|k|v per beat; a position counter (advanced by each accepted beat, back to 0
// after seqLen) addresses one cos and one sin table per pair index i (shared by every head);
// per q/k pair two exact sums of products, per v code the same shift as a rotation by 0; one RNE
// shift and saturation each (numerics intRope). Latency = stages, one beat per cycle.
import { lit, ModuleBuilder, mux, u, type Expr } from '../../hdl/index.js';
import { ropeShift, ropeTableBits, ropeTables } from '../../numerics/index.js';
import { packLanes, rneShr, romLookup, satSigned, signedLanes } from '../arith/index.js';
import { streamStages } from '../mx-scale/index.js';
import { ropeFeatures, ropeName, ropeParams, type RopeConfig } from './config.js';

const bitLen = (v: number): number => Math.max(1, Math.ceil(Math.log2(v + 1)));

export function generateRope(cfg: RopeConfig): ModuleBuilder {
  const m = new ModuleBuilder(ropeName(cfg), { config: cfg });
  const n = ropeFeatures(cfg);
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const inX = m.input('in_x', u(cfg.inBits * n));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outY = m.output('out_y', u(cfg.outBits * n));
  // 2. Position counter: the position of the beat offered now
  const pb = bitLen(cfg.seqLen - 1);
  const pos = m.reg('pos', u(pb), { init: 0 });
  // 3. Tables: cos/sin of pair i at `pos` (rows past seqLen are never addressed: zeros)
  const t = ropeTables(ropeParams(cfg));
  const tb = ropeTableBits(cfg);
  const table = (rows: readonly (readonly number[])[], i: number): Expr =>
    romLookup(
      pos,
      Array.from({ length: 2 ** pb }, (_, p) => BigInt(rows[p]?.[i] ?? 0)),
      tb,
    ).asSigned();
  const pairs = cfg.headDim / 2;
  const cos = Array.from({ length: pairs }, (_, i) => table(t.cos, i).named(`cos_${i}`));
  const sin = Array.from({ length: pairs }, (_, i) => table(t.sin, i).named(`sin_${i}`));
  // 4. Datapath: rotated q|k pairs, then v
  const xs = signedLanes(inX, cfg.inBits, n);
  const k = ropeShift(cfg);
  const out = (v: Expr, shift: number): Expr => satSigned(rneShr(v, shift), cfg.outBits);
  const rotated = (cfg.heads + cfg.kvHeads) * cfg.headDim;
  const ys: Expr[] = [];
  for (let j = 0; j < n; j += 2) {
    const x0 = xs[j]!;
    const x1 = xs[j + 1]!;
    if (j >= rotated) {
      ys.push(out(x0, k - cfg.fracBits), out(x1, k - cfg.fracBits));
      continue;
    }
    const i = (j % cfg.headDim) / 2;
    const c = cos[i]!;
    const s = sin[i]!;
    ys.push(out(x0.mul(c).sub(x1.mul(s)), k), out(x0.mul(s).add(x1.mul(c)), k));
  }
  // 5. Pipeline registers; the counter advances with each accepted beat
  const st = streamStages(
    m,
    { inValid, outReady, data: [{ name: 'y', value: packLanes(ys) }] },
    cfg.stages,
  );
  const last = pos.eq(cfg.seqLen - 1);
  pos.next(
    mux(last, lit(0, u(pb)), pos.add(lit(1, u(pb))).bits(pb - 1, 0)),
    inValid.and(st.inReady),
  );
  inReady.set(st.inReady);
  outValid.set(st.outValid);
  outY.set(st.data[0]!.value);
  return m;
}
