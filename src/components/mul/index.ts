// mul: elementwise integer multiply unit (registered component kind). Oracle: numerics intMul.
// Latency `stages`, one beat (n lanes) per cycle.
import { intMul } from '../../numerics/index.js';
import { packSignedCodes, randomCodes, unpackSignedCodes } from '../arith/index.js';
import { registerComponent, type Beat, type ComponentKind } from '../registry.js';
import {
  deriveMul,
  MUL_DEFAULTS,
  mulName,
  mulParams,
  mulSchema,
  type MulConfig,
} from './config.js';
import { generateMul } from './generate.js';

export * from './config.js';
export { generateMul } from './generate.js';

export function referenceMul(cfg: MulConfig, inBeats: readonly Beat[]): Beat[] {
  return inBeats.map((b) => {
    const a = unpackSignedCodes(b['a'] ?? 0n, cfg.aBits, cfg.n);
    const bb = unpackSignedCodes(b['b'] ?? 0n, cfg.bBits, cfg.n);
    return { y: packSignedCodes(intMul(a, bb, mulParams(cfg)), cfg.outBits) };
  });
}

/** Every (a, b) pair on every lane when aBits + bBits ≤ 16: lane i is offset by 7919·i. */
function* everyPair(cfg: MulConfig): Iterable<Beat> {
  if (cfg.aBits + cfg.bBits > 16) return;
  const total = 2 ** (cfg.aBits + cfg.bBits);
  const lanes = (j: number) => Array.from({ length: cfg.n }, (_, i) => (j + 7919 * i) % total);
  for (let j = 0; j < total; j++) {
    const ps = lanes(j);
    yield {
      a: packSignedCodes(
        ps.map((p) => (p % 2 ** cfg.aBits) - 2 ** (cfg.aBits - 1)),
        cfg.aBits,
      ),
      b: packSignedCodes(
        ps.map((p) => Math.floor(p / 2 ** cfg.aBits) - 2 ** (cfg.bBits - 1)),
        cfg.bBits,
      ),
    };
  }
}

export const mulKind: ComponentKind<MulConfig> = {
  kind: 'mul',
  description: 'elementwise integer multiply (SwiGLU): exact product, RNE rescale, saturation',
  schema: mulSchema,
  examples: [
    { name: 'n16-int8', config: { ...MUL_DEFAULTS } },
    {
      name: 'n4-int8-int4-up',
      config: { ...MUL_DEFAULTS, n: 4, bBits: 4, bScaleExp: 2, outScaleExp: -3, stages: 2 },
    },
    {
      name: 'n8-int12-out16',
      config: { ...MUL_DEFAULTS, n: 8, aBits: 12, aScaleExp: -8, outBits: 16, outScaleExp: -10 },
    },
  ],
  moduleName: mulName,
  derive: deriveMul,
  generate: generateMul,
  stream: (cfg) => ({
    in: [
      { name: 'a', width: cfg.aBits * cfg.n },
      { name: 'b', width: cfg.bBits * cfg.n },
    ],
    out: [{ name: 'y', width: cfg.outBits * cfg.n }],
  }),
  randomBeat: (cfg, rng) => ({
    a: packSignedCodes(randomCodes(rng, cfg.n, cfg.aBits), cfg.aBits),
    b: packSignedCodes(randomCodes(rng, cfg.n, cfg.bBits), cfg.bBits),
  }),
  exhaustiveBeats: everyPair,
  reference: referenceMul,
  contract: (cfg) =>
    `y_i = sat(RNE(a_i·b_i·2^(${cfg.aScaleExp} + ${cfg.bScaleExp} - ${cfg.outScaleExp}))) to int${cfg.outBits} ` +
    `(numerics intMul), ${cfg.n} lanes; latency ${cfg.stages}, one beat per cycle.`,
};

registerComponent(mulKind);
