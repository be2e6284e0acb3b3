// mx-scale: the E8M0 shared scale of one block of k binary32 values (formats.md section 4, every
// scale policy of docs/numerics.md). Oracle: numerics.quantizeBlock(...).scale.
// Latency: cfg.stages cycles (registered output).
import { ModuleBuilder, u } from '../../hdl/index.js';
import { deriveMxScale, mxScaleFormat, mxScaleName, type MxScaleConfig } from './config.js';
import { sharedScale } from './scale-logic.js';
import { streamStages } from './stream-stage.js';

export function generateMxScale(cfg: MxScaleConfig): ModuleBuilder {
  const d = deriveMxScale(cfg);
  const m = new ModuleBuilder(mxScaleName(cfg), { config: cfg });
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const values = m.input('in_values', u(32 * cfg.k));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  const outScale = m.output('out_scale', u(8));
  // 2. Datapath
  const elems = Array.from({ length: cfg.k }, (_, i) => values.bits(32 * i + 31, 32 * i));
  const sc = sharedScale(mxScaleFormat(cfg), cfg.policy, elems);
  const scale = m.wire('scale', u(8)).set(sc.scale);
  // 3. Pipeline registers
  const st = streamStages(
    m,
    { inValid, outReady, data: [{ name: 'scale', value: scale }] },
    d.latencyCycles,
  );
  // 4. Outputs
  inReady.set(st.inReady);
  outValid.set(st.outValid);
  outScale.set(st.data[0]!.value);
  return m;
}
