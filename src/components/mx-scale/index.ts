// mx-scale: E8M0 shared-scale unit (registered component kind) and the MX helpers shared with
// mx-quantize, mx-dot and the OliVe units (stream stages, random binary32 blocks, scale logic).
import { registerComponent, type ComponentKind } from '../registry.js';
import {
  deriveMxScale,
  MX_SCALE_DEFAULTS,
  mxScaleName,
  mxScaleSchema,
  type MxScaleConfig,
} from './config.js';
import { generateMxScale } from './generate.js';
import { packWords, randomBinary32Block } from './random-values.js';
import { referenceMxScale } from './reference.js';

export * from './config.js';
export * from './scale-logic.js';
export * from './stream-stage.js';
export * from './random-values.js';
export { generateMxScale } from './generate.js';
export { referenceMxScale } from './reference.js';

export const mxScaleKind: ComponentKind<MxScaleConfig> = {
  kind: 'mx-scale',
  description: 'E8M0 shared scale of a block of binary32 values (floor/ceil/even/rceil)',
  schema: mxScaleSchema,
  examples: [
    { name: 'e4m3-floor', config: { ...MX_SCALE_DEFAULTS, format: 'mxfp8_e4m3', policy: 'floor' } },
    { name: 'int8-ceil', config: { ...MX_SCALE_DEFAULTS, format: 'mxint8', policy: 'ceil', k: 8 } },
    {
      name: 'e2m1-even',
      config: { ...MX_SCALE_DEFAULTS, format: 'mxfp4_e2m1', policy: 'even', k: 16 },
    },
    {
      name: 'e5m2-rceil-p2',
      config: { ...MX_SCALE_DEFAULTS, format: 'mxfp8_e5m2', policy: 'rceil', stages: 2 },
    },
  ],
  moduleName: mxScaleName,
  derive: deriveMxScale,
  generate: generateMxScale,
  stream: (cfg) => ({
    in: [{ name: 'values', width: 32 * cfg.k }],
    out: [{ name: 'scale', width: 8 }],
  }),
  randomBeat: (cfg, rng) => ({ values: packWords(randomBinary32Block(rng, cfg.k), 32) }),
  reference: referenceMxScale,
  contract: (cfg) =>
    `X = E8M0 shared scale of ${cfg.k} binary32 values for ${cfg.format} under the ${cfg.policy} ` +
    `policy (formats.md 4, docs/numerics.md): any NaN/±Inf gives 0xFF, an all-zero block 0x00, ` +
    `otherwise clamp(s, -127, 127) + 127 with s computed exactly from the block max; ` +
    `${cfg.stages} cycle(s) latency, full throughput.`,
};

registerComponent(mxScaleKind);
