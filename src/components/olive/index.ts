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

export * from './pe-config.js';
export * from './pair-decoder.js';
export { generateOlivePe } from './pe-generate.js';
export { referenceOlivePe } from './pe-reference.js';
export { randomOlivePeBeat, exhaustiveOlivePeBeats } from './pe-beats.js';

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
