// matmul: heads·m·n exact dot products of length k per beat (one multiplier per product, a
// balanced adder tree per output), one RNE shift by so - sa - sb, saturation (numerics
// intMatmul). Latency = stages, one beat per cycle.
import { ModuleBuilder, u } from '../../hdl/index.js';
import { intMatmulShift, matmulBIndex } from '../../numerics/index.js';
import { adderTree, packLanes, rneShr, satSigned, signedLanes } from '../arith/index.js';
import { streamStages } from '../mx-scale/index.js';
import { matmulName, matmulParams, type MatmulConfig } from './config.js';

export function generateMatmul(cfg: MatmulConfig): ModuleBuilder {
  const m = new ModuleBuilder(matmulName(cfg), { config: cfg });
  const aN = cfg.heads * cfg.m * cfg.k;
  const bN = cfg.kvHeads * cfg.k * cfg.n;
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const inA = m.input('in_a', u(cfg.aBits * aN));
  const inB = m.input('in_b', u(cfg.bBits * bN));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outY = m.output('out_y', u(cfg.outBits * cfg.heads * cfg.m * cfg.n));
  // 2. Datapath: y[h][r][j] = Σ_i a[h][r][i] · b[kv(h)][i][j]
  const as = signedLanes(inA, cfg.aBits, aN);
  const bs = signedLanes(inB, cfg.bBits, bN);
  const p = matmulParams(cfg);
  const shift = intMatmulShift(p);
  const ys = [];
  for (let h = 0; h < cfg.heads; h++)
    for (let r = 0; r < cfg.m; r++)
      for (let j = 0; j < cfg.n; j++) {
        const terms = Array.from({ length: cfg.k }, (_, i) =>
          as[(h * cfg.m + r) * cfg.k + i]!.mul(bs[matmulBIndex(p, h, i, j)]!),
        );
        ys.push(satSigned(rneShr(adderTree(terms), shift), cfg.outBits));
      }
  // 3. Pipeline registers
  const st = streamStages(
    m,
    { inValid, outReady, data: [{ name: 'y', value: packLanes(ys) }] },
    cfg.stages,
  );
  // 4. Outputs
  inReady.set(st.inReady);
  outValid.set(st.outValid);
  outY.set(st.data[0]!.value);
  return m;
}
