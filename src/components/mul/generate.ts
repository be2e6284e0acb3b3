// mul: n lanes of a_i · b_i per beat (SwiGLU gate × up): exact product at the operand widths,
// one RNE shift by so - sa - sb, saturation (numerics intMul). Latency = stages, one beat per cycle.
import { ModuleBuilder, u } from '../../hdl/index.js';
import { intMulShift } from '../../numerics/index.js';
import { packLanes, rneShr, satSigned, signedLanes } from '../arith/index.js';
import { streamStages } from '../mx-scale/index.js';
import { mulName, type MulConfig } from './config.js';

export function generateMul(cfg: MulConfig): ModuleBuilder {
  const m = new ModuleBuilder(mulName(cfg), { config: cfg });
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const inA = m.input('in_a', u(cfg.aBits * cfg.n));
  const inB = m.input('in_b', u(cfg.bBits * cfg.n));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outY = m.output('out_y', u(cfg.outBits * cfg.n));
  // 2. Datapath
  const as = signedLanes(inA, cfg.aBits, cfg.n);
  const bs = signedLanes(inB, cfg.bBits, cfg.n);
  const k = intMulShift(cfg);
  const ys = as.map((a, i) => satSigned(rneShr(a.mul(bs[i]!), k), cfg.outBits));
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
