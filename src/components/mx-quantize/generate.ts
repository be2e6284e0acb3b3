// mx-quantize: k binary32 values → one MX block (formats.md section 4): the shared scale of
// mx-scale, then every element V_i·2^-s rounded once (RNE, saturating); NaN/±Inf anywhere gives
// X = 0xFF and all-zero codes, an all-zero block X = 0x00 with signed zeros. NVFP4 (9.2): the
// E4M3 scale and E2M1 elements of nvfp4-logic.ts. Oracle: numerics.quantizeBlock /
// nvfp4Quantize. Latency: cfg.stages cycles (all logic before the first register).
import { type Expr, lit, ModuleBuilder, mux, s, u, cat } from '../../hdl/index.js';
import { normalizeBinary32, sharedScale, streamStages } from '../mx-scale/index.js';
import {
  deriveMxQuantize,
  isNvfp4,
  mxFormatOf,
  mxQuantizeName,
  policyOf,
  tensorScaleExpOf,
  type MxQuantizeConfig,
} from './config.js';
import { roundToElement } from './element-round.js';
import { nvfp4QuantizeLogic } from './nvfp4-logic.js';

/** The E8M0 scale and element codes of an OCP MX block. */
function mxBlockLogic(cfg: MxQuantizeConfig, m: ModuleBuilder, elems: readonly Expr[]) {
  const f = mxFormatOf(cfg);
  const eb = f.element.bits;
  const sc = sharedScale(f, policyOf(cfg), elems);
  const shared = m.wire('shared_exp', s(10)).set(sc.shared);
  const codes: Expr[] = elems.map((v) => {
    const mag = v.bits(30, 0);
    const { exp, sig } = normalizeBinary32(mag);
    const q = exp.extend(11).subWrap(shared.extend(11)); // floor(log2 |V·2^-s|)
    const code = roundToElement(f.element, v.bit(31), sig, q, mag.eq(0));
    return mux(sc.nonFinite, lit(0, u(eb)), code);
  });
  return { scale: sc.scale, codes };
}

export function generateMxQuantize(cfg: MxQuantizeConfig): ModuleBuilder {
  const d = deriveMxQuantize(cfg);
  const eb = d.elementBits;
  const m = new ModuleBuilder(mxQuantizeName(cfg), { config: cfg });
  // 1. Interface
  const inValid = m.input('in_valid', u(1));
  const inReady = m.output('in_ready', u(1));
  const values = m.input('in_values', u(32 * cfg.k));
  const outValid = m.output('out_valid', u(1));
  const outReady = m.input('out_ready', u(1));

  // 2. Datapath: shared scale, then each element scaled and rounded.
  const elems = Array.from({ length: cfg.k }, (_, i) => values.bits(32 * i + 31, 32 * i));
  const blk = isNvfp4(cfg)
    ? nvfp4QuantizeLogic(elems, tensorScaleExpOf(cfg))
    : mxBlockLogic(cfg, m, elems);
  const packed = m.wire('elems', u(eb * cfg.k)).set(cat(...blk.codes.slice().reverse()));
  const scale = m.wire('scale', u(8)).set(blk.scale);

  // 3. Pipeline registers
  const st = streamStages(
    m,
    {
      inValid,
      outReady,
      data: [
        { name: 'scale', value: scale },
        { name: 'elems', value: packed },
      ],
    },
    d.latencyCycles,
  );
  // 4. Outputs
  inReady.set(st.inReady);
  outValid.set(st.outValid);
  for (const x of st.data) m.output(`out_${x.name}`, x.value.shape).set(x.value);
  return m;
}
