// mx-quantize: binary32 block → MX block (E8M0 scale + k element codes).
import { registerComponent, type ComponentKind } from '../registry.js';
import { packWords, randomBinary32Block } from '../mx-scale/index.js';
import {
  deriveMxQuantize,
  MX_QUANTIZE_DEFAULTS,
  mxQuantizeName,
  mxQuantizeSchema,
  type MxQuantizeConfig,
} from './config.js';
import { generateMxQuantize } from './generate.js';
import { referenceMxQuantize } from './reference.js';

export * from './config.js';
export { roundToElement } from './element-round.js';
export { generateMxQuantize } from './generate.js';
export { referenceMxQuantize } from './reference.js';

export const mxQuantizeKind: ComponentKind<MxQuantizeConfig> = {
  kind: 'mx-quantize',
  description: 'MX quantizer: k binary32 values → E8M0 scale and k element codes (RNE, SAT)',
  schema: mxQuantizeSchema,
  examples: [
    { name: 'e4m3-k32', config: { ...MX_QUANTIZE_DEFAULTS } },
    {
      name: 'e5m2-k8-rceil',
      config: { ...MX_QUANTIZE_DEFAULTS, format: 'mxfp8_e5m2', k: 8, policy: 'rceil' },
    },
    {
      name: 'e2m3-k8-even',
      config: { ...MX_QUANTIZE_DEFAULTS, format: 'mxfp6_e2m3', k: 8, policy: 'even' },
    },
    { name: 'e3m2-k4', config: { ...MX_QUANTIZE_DEFAULTS, format: 'mxfp6_e3m2', k: 4 } },
    {
      name: 'e2m1-k16-ceil',
      config: { ...MX_QUANTIZE_DEFAULTS, format: 'mxfp4_e2m1', k: 16, policy: 'ceil' },
    },
    { name: 'int8-k8-p2', config: { ...MX_QUANTIZE_DEFAULTS, format: 'mxint8', k: 8, stages: 2 } },
  ],
  moduleName: mxQuantizeName,
  derive: deriveMxQuantize,
  generate: generateMxQuantize,
  stream: (cfg) => ({
    in: [{ name: 'values', width: 32 * cfg.k }],
    out: [
      { name: 'scale', width: 8 },
      { name: 'elems', width: deriveMxQuantize(cfg).elementBits * cfg.k },
    ],
  }),
  randomBeat: (cfg, rng) => ({ values: packWords(randomBinary32Block(rng, cfg.k), 32) }),
  reference: referenceMxQuantize,
  contract: (cfg) =>
    `One beat = ${cfg.k} binary32 values → ${cfg.format} block (formats.md 4): X by the ` +
    `${cfg.policy} policy, P_i = element(V_i·2^-s) with one RNE rounding and saturation to ±max ` +
    `(floats keep the sign of zeros; INT8 = clamp(RNE(64·y), -128, 127)); any NaN/±Inf → ` +
    `X = 0xFF and all P_i = 0; all-zero block → X = 0x00 with signed zeros; ` +
    `${cfg.stages} cycle(s) latency, full throughput.`,
};

registerComponent(mxQuantizeKind);
