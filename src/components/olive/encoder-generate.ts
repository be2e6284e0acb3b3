// olive-encoder: 2·pairs binary32 values and σ = 2^in_sigma_exp → OliVe pair codes (formats.md
// 6.4 / 6.6: normals, outliers, victims; two outliers keep the larger). Oracle:
// numerics.oliveEncode (NaN → +0, ±Inf → a huge finite value of that sign, see the contract).
// Latency: cfg.stages cycles (all logic before the first register).
import { cat, type Expr, ModuleBuilder, s, u } from '../../hdl/index.js';
import { streamStages } from '../mx-scale/index.js';
import { encodeOlivePair, quantizeOliveElement } from './element-quantize.js';
import { deriveOliveEncoder, oliveEncoderName, type OliveEncoderConfig } from './encoder-config.js';

export function generateOliveEncoder(cfg: OliveEncoderConfig): ModuleBuilder {
  const d = deriveOliveEncoder(cfg);
  const m = new ModuleBuilder(oliveEncoderName(cfg), { config: cfg });
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const values = m.input('in_values', u(64 * cfg.pairs));
  const sigmaExp = m.input('in_sigma_exp', s(8));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));
  // 2. Datapath
  const codes: Expr[] = [];
  for (let j = 0; j < cfg.pairs; j++) {
    const q0 = quantizeOliveElement(cfg.variant, values.bits(64 * j + 31, 64 * j), sigmaExp);
    const q1 = quantizeOliveElement(cfg.variant, values.bits(64 * j + 63, 64 * j + 32), sigmaExp);
    codes.push(...encodeOlivePair(cfg.variant, q0, q1));
  }
  const packed = m.wire('codes', u(d.codeBits)).set(cat(...codes.slice().reverse()));
  // 3. Pipeline registers
  const st = streamStages(
    m,
    { inValid, outReady, data: [{ name: 'codes', value: packed }] },
    d.latencyCycles,
  );
  // 4. Outputs
  inReady.set(st.inReady);
  outValid.set(st.outValid);
  m.output('out_codes', u(d.codeBits)).set(st.data[0]!.value);
  return m;
}
