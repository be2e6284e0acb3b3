// mac-array: a rows × cols systolic array of exact multiply-accumulate PEs (output- or
// weight-stationary), any element formats for A and B, exact fixed-point accumulation, optional
// binary32 outputs. Hierarchical: one PE module per PE config (./pe-os.ts, ./pe-ws.ts),
// instantiated rows × cols times, plus memoized delay-line and binary32 modules (./pipeline.ts);
// the array module holds the stream control, the skew/deskew wiring and the output registers.
// Oracle: ./reference.ts (numerics.decodeFixed, toBinary32Bits). Latency:
// deriveMacArray(c).latencyCycles = rows + cols + 1. The whole array advances when the output
// register is empty or being read (in_ready = !out_valid || out_ready).
import { lit, ModuleBuilder, u } from '../../hdl/index.js';
import { packLanes } from '../arith/index.js';
import { deriveMacArray, macArrayName, type MacArrayConfig } from './config.js';
import { buildOutputStationary } from './os.js';
import { toFp32 } from './pipeline.js';
import { buildWeightStationary } from './ws.js';

export function generateMacArray(c: MacArrayConfig): ModuleBuilder {
  const d = deriveMacArray(c);
  const m = new ModuleBuilder(macArrayName(c), { config: c });
  // 1. Interface (docs/streams.md)
  const inValid = m.input('in_valid', u(1));
  const inLoad = c.dataflow === 'ws' ? m.input('in_load', u(1)) : undefined;
  const inA = m.input('in_a', u(c.rows * d.aBits));
  const inB = m.input('in_b', u(c.cols * d.bBits));
  const outReady = m.input('out_ready', u(1));
  const outValid = m.reg('out_valid_r', u(1));
  const adv = m.wire('adv', u(1)).set(outValid.not().or(outReady));
  m.output('in_ready', u(1)).set(adv);
  const fire = m.wire('in_fire', u(1)).set(inValid.and(adv));
  // 2. The array
  const io = { fire, adv, inA, inB, ...(inLoad ? { inLoad } : {}) };
  const core =
    c.dataflow === 'os' ? buildOutputStationary(m, c, d, io) : buildWeightStationary(m, c, d, io);
  // 3. Output register: one beat per finished tile (os) or activation vector (ws).
  const load = adv.and(core.tileValid);
  outValid.next(core.tileValid, adv);
  m.output('out_valid', u(1)).set(outValid);
  const accBits = packLanes(core.results.map((r) => r.acc));
  const accR = m.reg('out_acc_r', accBits.shape).next(accBits, load);
  m.output('out_acc', accR.shape).set(accR);
  if (d.specials) {
    const sp = packLanes(core.results.map((r) => r.special ?? lit(0, u(2))));
    const spR = m.reg('out_special_r', sp.shape).next(sp, load);
    m.output('out_special', spR.shape).set(spR);
  }
  if (c.output === 'fp32') {
    // One conversion module instance per element (./pipeline.ts), after the delay lines.
    const f32 = core.results.map((r, e) => toFp32(m, `out_fp32_conv${e}`, r, d.accLsbExp));
    const fp = packLanes(f32);
    const fpR = m.reg('out_fp32_r', fp.shape).next(fp, load);
    m.output('out_fp32', fpR.shape).set(fpR);
  }
  return m;
}
