// mx-quantize: binary32 block → MX block (E8M0 scale + k element codes) or NVFP4 block (E4M3
// scale + k E2M1 codes, tensor scale g = 2^tensorScaleExp).
import { registerComponent, type ComponentKind } from '../registry.js';
import { packWords, randomBinary32Block } from '../mx-scale/index.js';
import {
  deriveMxQuantize,
  MX_QUANTIZE_DEFAULTS,
  mxQuantizeName,
  mxQuantizeSchema,
  NVFP4_QUANTIZE_DEFAULTS,
  policyOf,
  tensorScaleExpOf,
  type MxQuantizeConfig,
} from './config.js';
import { generateMxQuantize } from './generate.js';
import { randomNvfp4Block } from './nvfp4-beats.js';
import { referenceMxQuantize } from './reference.js';

export * from './config.js';
export { fixedToElement, roundToElement } from './element-round.js';
export * from './nvfp4-logic.js';
export { randomNvfp4Block } from './nvfp4-beats.js';
export { generateMxQuantize } from './generate.js';
export { referenceMxQuantize } from './reference.js';

export const mxQuantizeKind: ComponentKind<MxQuantizeConfig> = {
  kind: 'mx-quantize',
  description:
    'MX / NVFP4 quantizer: k binary32 values → E8M0 (E4M3) scale and k element codes (RNE, SAT)',
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
    { name: 'nvfp4-g0', config: { ...NVFP4_QUANTIZE_DEFAULTS } },
    { name: 'nvfp4-gm8-p2', config: { ...NVFP4_QUANTIZE_DEFAULTS, tensorScaleExp: -8, stages: 2 } },
    { name: 'nvfp4-k8-g100', config: { ...NVFP4_QUANTIZE_DEFAULTS, k: 8, tensorScaleExp: 100 } },
    { name: 'nvfp4-gm140', config: { ...NVFP4_QUANTIZE_DEFAULTS, tensorScaleExp: -140 } },
    { name: 'nvfp4-k4-g127', config: { ...NVFP4_QUANTIZE_DEFAULTS, k: 4, tensorScaleExp: 127 } },
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
  randomBeat: (cfg, rng) => ({
    values: packWords(
      cfg.format === 'nvfp4'
        ? randomNvfp4Block(rng, cfg.k, tensorScaleExpOf(cfg))
        : randomBinary32Block(rng, cfg.k),
      32,
    ),
  }),
  reference: referenceMxQuantize,
  contract: (cfg) =>
    cfg.format === 'nvfp4'
      ? `One beat = ${cfg.k} binary32 values → NVFP4 block (formats.md 9.2) with the constant ` +
        `tensor scale g = 2^${tensorScaleExpOf(cfg)}: s = E4M3_SAT_RNE(amax/(6g)) and ` +
        `P_i = E2M1_SAT_RNE(V_i/(g·decode(s))), each rounded once from the exact quotient ` +
        `(signed zeros kept); s = 0 → every P_i = +0; any NaN/±Inf → s = 0x7F and all P_i = 0; ` +
        `${cfg.stages} cycle(s) latency, full throughput.`
      : `One beat = ${cfg.k} binary32 values → ${cfg.format} block (formats.md 4): X by the ` +
        `${policyOf(cfg)} policy, P_i = element(V_i·2^-s) with one RNE rounding and saturation to ±max ` +
        `(floats keep the sign of zeros; INT8 = clamp(RNE(64·y), -128, 127)); any NaN/±Inf → ` +
        `X = 0xFF and all P_i = 0; all-zero block → X = 0x00 with signed zeros; ` +
        `${cfg.stages} cycle(s) latency, full throughput.`,
};

registerComponent(mxQuantizeKind);
