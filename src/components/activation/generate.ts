// gelu / silu: n lanes of signed codes per beat. Each lane is a table of all 2^inBits codes,
// filled at generation time with the golden integer function (numerics intActivationCode, the
// i-GELU polynomial or the σ table + interpolation), so it is bit-exact by construction; a
// balanced mux tree per lane, then `stages` registers. Latency = stages, one beat per cycle.
import { ModuleBuilder, u } from '../../hdl/index.js';
import { intActivationCode } from '../../numerics/index.js';
import { packLanes, romLookup } from '../arith/index.js';
import { streamStages } from '../mx-scale/index.js';
import { activationName, activationParams, type ActivationConfig } from './config.js';

/** Output code patterns for input patterns 0 .. 2^inBits - 1. */
export function activationTable(cfg: ActivationConfig): bigint[] {
  const p = activationParams(cfg);
  const size = 2 ** cfg.inBits;
  return Array.from({ length: size }, (_, c) => {
    const q = c >= size / 2 ? c - size : c;
    return BigInt.asUintN(cfg.outBits, BigInt(intActivationCode(q, p)));
  });
}

export function generateActivation(cfg: ActivationConfig): ModuleBuilder {
  const m = new ModuleBuilder(activationName(cfg), { config: cfg });
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const inX = m.input('in_x', u(cfg.inBits * cfg.n));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outY = m.output('out_y', u(cfg.outBits * cfg.n));
  // 2. Datapath: one table per lane
  const table = activationTable(cfg);
  const ys = Array.from({ length: cfg.n }, (_, i) =>
    romLookup(inX.bits(cfg.inBits * i + cfg.inBits - 1, cfg.inBits * i), table, cfg.outBits),
  );
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
