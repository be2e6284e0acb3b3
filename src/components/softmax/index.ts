// softmax: integer softmax unit, one row per beat (registered component kind). Oracle:
// numerics intSoftmax (two-pass form). Latency 2, throughput one row per cycle.
import { intSoftmax } from '../../numerics/index.js';
import { packCodes, packSignedCodes, randomCodeRow, unpackSignedCodes } from '../arith/index.js';
import { registerComponent, type ComponentKind } from '../registry.js';
import {
  deriveSoftmax,
  SOFTMAX_DEFAULTS,
  softmaxName,
  softmaxSchema,
  type SoftmaxConfig,
} from './config.js';
import { generateSoftmax } from './generate.js';

export * from './config.js';
export { generateSoftmax } from './generate.js';

export function referenceSoftmax(
  cfg: SoftmaxConfig,
  inBeats: readonly { readonly [k: string]: bigint }[],
) {
  return inBeats.map((b) => {
    const row = unpackSignedCodes(b['x'] ?? 0n, cfg.inBits, cfg.n);
    const p = intSoftmax(row, cfg);
    return { p: packCodes(p, cfg.outBits) };
  });
}

export const softmaxKind: ComponentKind<SoftmaxConfig> = {
  kind: 'softmax',
  description: 'integer softmax of one row per beat (Q15 exp, truncated reciprocal, RNE outputs)',
  schema: softmaxSchema,
  examples: [
    { name: 'n16-int8-u8', config: { ...SOFTMAX_DEFAULTS } },
    {
      name: 'n64-int8-u16',
      config: { ...SOFTMAX_DEFAULTS, n: 64, inScaleExp: -3, outBits: 16, outFracBits: 16 },
    },
    {
      name: 'n5-int6-u8f7',
      config: { ...SOFTMAX_DEFAULTS, n: 5, inBits: 6, inScaleExp: 0, outFracBits: 7 },
    },
  ],
  moduleName: softmaxName,
  derive: deriveSoftmax,
  generate: generateSoftmax,
  stream: (cfg) => ({
    in: [{ name: 'x', width: cfg.inBits * cfg.n }],
    out: [{ name: 'p', width: cfg.outBits * cfg.n }],
  }),
  randomBeat: (cfg, rng) => ({
    x: packSignedCodes(randomCodeRow(rng, cfg.n, cfg.inBits), cfg.inBits),
  }),
  reference: referenceSoftmax,
  contract: (cfg) =>
    `p = intSoftmax(x) (docs/numerics.md): ${cfg.n} int${cfg.inBits} codes at 2^${cfg.inScaleExp} → ` +
    `u${cfg.outBits} probabilities at 2^-${cfg.outFracBits}; exp in Q15 from a Q16 log2(e) and a cubic, ` +
    `R = floor(2^46 / Σe), p_i = sat(RNE(e_i·R / 2^(46-${cfg.outFracBits}))); latency 2, one row per cycle.`,
};

registerComponent(softmaxKind);
