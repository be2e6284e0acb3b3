// mx-dot: MX (E8M0) and NVFP4 (E4M3) block dot product, exact (S, Eres) and optional binary32.
import { registerComponent, type ComponentKind } from '../registry.js';
import { exhaustiveMxDotBeats, randomMxDotBeat } from './beats.js';
import {
  deriveMxDot,
  MX_DOT_DEFAULTS,
  mxDotName,
  mxDotSchema,
  type MxDotConfig,
} from './config.js';
import { generateMxDot } from './generate.js';
import { referenceMxDot } from './reference.js';

export * from './config.js';
export { generateMxDot } from './generate.js';
export { referenceMxDot } from './reference.js';
export { randomMxDotBeat, exhaustiveMxDotBeats } from './beats.js';

export const mxDotKind: ComponentKind<MxDotConfig> = {
  kind: 'mx-dot',
  description: 'MX / NVFP4 block dot product: exact (S, Eres) and optional binary32 (RNE)',
  schema: mxDotSchema,
  examples: [
    { name: 'e4m3-k32-fp32', config: { ...MX_DOT_DEFAULTS } },
    { name: 'e2m1-k1', config: { ...MX_DOT_DEFAULTS, format: 'mxfp4_e2m1', k: 1 } },
    {
      name: 'e2m3-e3m2-k1',
      config: { ...MX_DOT_DEFAULTS, format: 'mxfp6_e2m3', bFormat: 'mxfp6_e3m2', k: 1 },
    },
    { name: 'e5m2-k1', config: { ...MX_DOT_DEFAULTS, format: 'mxfp8_e5m2', k: 1 } },
    {
      name: 'int8-e2m1-k32',
      config: { ...MX_DOT_DEFAULTS, format: 'mxint8', bFormat: 'mxfp4_e2m1', fp32: false },
    },
    { name: 'e5m2-k32-p3', config: { ...MX_DOT_DEFAULTS, format: 'mxfp8_e5m2', stages: 3 } },
    { name: 'nvfp4-k16', config: { ...MX_DOT_DEFAULTS, format: 'nvfp4', k: 16 } },
  ],
  moduleName: mxDotName,
  derive: deriveMxDot,
  generate: generateMxDot,
  stream: (cfg) => {
    const d = deriveMxDot(cfg);
    return {
      in: [
        { name: 'a_scale', width: 8 },
        { name: 'a_elems', width: d.bitsA * cfg.k },
        { name: 'b_scale', width: 8 },
        { name: 'b_elems', width: d.bitsB * cfg.k },
      ],
      out: [
        { name: 'sum', width: d.sumBits },
        { name: 'exp', width: d.expBits },
        { name: 'nan', width: 1 },
        { name: 'pinf', width: 1 },
        { name: 'ninf', width: 1 },
        ...(cfg.fp32 ? [{ name: 'fp32', width: 32 }] : []),
      ],
    };
  },
  randomBeat: randomMxDotBeat,
  exhaustiveBeats: (cfg) => (cfg.k === 1 ? exhaustiveMxDotBeats(cfg) : []),
  reference: referenceMxDot,
  contract: (cfg) => {
    const d = deriveMxDot(cfg);
    return (
      `Dot of two ${cfg.k}-element blocks (formats.md 5.2${d.nvfp4 ? ', 9.2' : ''}): out_sum = ` +
      `Σ sig_i(A)·sig_i(B)${d.nvfp4 ? ' × the E4M3 scale significands' : ''} exactly in ` +
      `s${d.sumBits}, out_exp = Eres (s${d.expBits}), value out_sum·2^out_exp; NaN (a NaN scale, ` +
      `a NaN element, Inf×0, +Inf and -Inf) and ±Inf set out_nan / out_pinf / out_ninf with ` +
      `sum = exp = 0` +
      (cfg.fp32
        ? '; out_fp32 = the value rounded once (RNE), +0 for an exact zero, NaN 0x7FC00000'
        : '') +
      `; ${d.latencyCycles} cycle(s) latency, full throughput.`
    );
  },
};

registerComponent(mxDotKind);
