// OliVe outlier-victim pair units: the PE (decode + exact MAC) and the on-chip encoder.
import { registerComponent, type ComponentKind } from '../registry.js';
import { exhaustiveOlivePeBeats, randomOlivePeBeat } from './pe-beats.js';
import {
  deriveOlivePe,
  OLIVE_PE_DEFAULTS,
  olivePeName,
  olivePeSchema,
  type OlivePeConfig,
} from './pe-config.js';
import { generateOlivePe } from './pe-generate.js';
import { referenceOlivePe } from './pe-reference.js';
import { randomOliveEncoderBeat } from './encoder-beats.js';
import {
  deriveOliveEncoder,
  OLIVE_ENCODER_DEFAULTS,
  oliveEncoderName,
  oliveEncoderSchema,
  type OliveEncoderConfig,
} from './encoder-config.js';
import { generateOliveEncoder } from './encoder-generate.js';
import { referenceOliveEncoder } from './encoder-reference.js';

export * from './pe-config.js';
export * from './pair-decoder.js';
export { generateOlivePe } from './pe-generate.js';
export { referenceOlivePe } from './pe-reference.js';
export { randomOlivePeBeat, exhaustiveOlivePeBeats } from './pe-beats.js';
export * from './encoder-config.js';
export { quantizeOliveElement, encodeOlivePair } from './element-quantize.js';
export { generateOliveEncoder } from './encoder-generate.js';
export { referenceOliveEncoder } from './encoder-reference.js';

export const olivePeKind: ComponentKind<OlivePeConfig> = {
  kind: 'olive-pe',
  description:
    'OliVe PE: outlier-victim pair weights × int8 or OliVe activations, exact accumulation',
  schema: olivePeSchema,
  examples: [
    { name: 'olive4-int8-p1', config: { ...OLIVE_PE_DEFAULTS } },
    { name: 'olive4-olive4-p1', config: { ...OLIVE_PE_DEFAULTS, activations: 'olive4' } },
    { name: 'olive4-int8-p16', config: { ...OLIVE_PE_DEFAULTS, pairs: 16 } },
    {
      name: 'olive8-olive8-p4',
      config: {
        ...OLIVE_PE_DEFAULTS,
        weights: 'olive8',
        activations: 'olive8',
        pairs: 4,
        elements: 64,
      },
    },
  ],
  moduleName: olivePeName,
  derive: deriveOlivePe,
  generate: generateOlivePe,
  stream: (cfg) => {
    const d = deriveOlivePe(cfg);
    return {
      in: [
        { name: 'w', width: d.wBits },
        { name: 'a', width: d.aBits },
        { name: 'last', width: 1 },
      ],
      out: [{ name: 'acc', width: d.accBits }],
    };
  },
  randomBeat: randomOlivePeBeat,
  exhaustiveBeats: exhaustiveOlivePeBeats,
  reference: referenceOlivePe,
  contract: (cfg) => {
    const d = deriveOlivePe(cfg);
    return (
      `Each beat carries ${cfg.pairs} ${cfg.weights} weight pair(s) and ${2 * cfg.pairs} ` +
      `${cfg.activations} activations; pairs decode per formats.md 6.3/6.6 to (int, shift) and ` +
      `Σ (int_w·int_a) << (shift_w + shift_a) is accumulated exactly in s${d.accBits} ` +
      `(exact for ${cfg.elements} elements between in_last beats, wraps beyond); a beat with ` +
      `in_last = 1 offers the total on out_acc one cycle later and clears the accumulator.`
    );
  },
};

registerComponent(olivePeKind);

export const oliveEncoderKind: ComponentKind<OliveEncoderConfig> = {
  kind: 'olive-encoder',
  description: 'OliVe encoder: binary32 values / 2^e → outlier-victim pair codes (olive4, olive8)',
  schema: oliveEncoderSchema,
  examples: [
    { name: 'olive4-p1', config: { ...OLIVE_ENCODER_DEFAULTS } },
    { name: 'olive4-p4', config: { ...OLIVE_ENCODER_DEFAULTS, pairs: 4 } },
    {
      name: 'olive8-p2-s2',
      config: { ...OLIVE_ENCODER_DEFAULTS, variant: 'olive8', pairs: 2, stages: 2 },
    },
  ],
  moduleName: oliveEncoderName,
  derive: deriveOliveEncoder,
  generate: generateOliveEncoder,
  stream: (cfg) => ({
    in: [
      { name: 'values', width: 64 * cfg.pairs },
      { name: 'sigma_exp', width: 8 },
    ],
    out: [{ name: 'codes', width: deriveOliveEncoder(cfg).codeBits }],
  }),
  randomBeat: randomOliveEncoderBeat,
  reference: referenceOliveEncoder,
  contract: (cfg) =>
    `Each beat: ${2 * cfg.pairs} binary32 values x_i and σ = 2^in_sigma_exp (s8); y = x/σ exactly; ` +
    `codes per formats.md ${cfg.variant === 'olive4' ? '6.4' : '6.6'} (normal tie at the midpoint ` +
    `goes to the normal, outlier ties to even mantissa, saturation, two outliers keep the larger, ` +
    `tie: element 2j); hardware choice: NaN → 0, ±Inf → ± the largest outlier; ` +
    `${cfg.stages} cycle(s) latency, full throughput.`,
};

registerComponent(oliveEncoderKind);
