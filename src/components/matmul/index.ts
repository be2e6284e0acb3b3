// matmul: the product of two activations per beat (attention's Q·Kᵀ, P·V), registered component
// kind. Oracle: numerics intMatmul. Latency `stages`, one beat per cycle.
import { intMatmul } from '../../numerics/index.js';
import { packSignedCodes, randomCodes, unpackSignedCodes } from '../arith/index.js';
import { registerComponent, type Beat, type ComponentKind } from '../registry.js';
import {
  deriveMatmul,
  MATMUL_DEFAULTS,
  matmulName,
  matmulParams,
  matmulSchema,
  type MatmulConfig,
} from './config.js';
import { generateMatmul } from './generate.js';

export * from './config.js';
export { generateMatmul } from './generate.js';

const aCodes = (c: MatmulConfig): number => c.heads * c.m * c.k;
const bCodes = (c: MatmulConfig): number => c.kvHeads * c.k * c.n;
const yCodes = (c: MatmulConfig): number => c.heads * c.m * c.n;

export function referenceMatmul(cfg: MatmulConfig, inBeats: readonly Beat[]): Beat[] {
  return inBeats.map((b) => {
    const a = unpackSignedCodes(b['a'] ?? 0n, cfg.aBits, aCodes(cfg));
    const bb = unpackSignedCodes(b['b'] ?? 0n, cfg.bBits, bCodes(cfg));
    return { y: packSignedCodes(intMatmul(a, bb, matmulParams(cfg)), cfg.outBits) };
  });
}

export const matmulKind: ComponentKind<MatmulConfig> = {
  kind: 'matmul',
  description:
    'matrix product of two activations (Q·Kᵀ, P·V) per beat, heads and grouped-query kv heads: exact sums, RNE rescale, saturation',
  schema: matmulSchema,
  examples: [
    { name: '2x4x2-int8', config: { ...MATMUL_DEFAULTS } },
    {
      // decode Q·Kᵀ: 4 query heads on 2 kv heads, one query row against 3 keys of 4 features
      name: 'qk-h4kv2-int8',
      config: {
        ...MATMUL_DEFAULTS,
        heads: 4,
        kvHeads: 2,
        m: 1,
        k: 4,
        n: 3,
        transposeB: true,
        outBits: 12,
        outScaleExp: -6,
      },
    },
    {
      // P·V: int8 weights of the scores × int4 values, two stages
      name: 'pv-h2-int8-int4',
      config: {
        ...MATMUL_DEFAULTS,
        heads: 2,
        kvHeads: 2,
        m: 1,
        k: 6,
        n: 4,
        bBits: 4,
        bScaleExp: -2,
        outScaleExp: -3,
        stages: 2,
      },
    },
  ],
  moduleName: matmulName,
  derive: deriveMatmul,
  generate: generateMatmul,
  stream: (cfg) => ({
    in: [
      { name: 'a', width: cfg.aBits * aCodes(cfg) },
      { name: 'b', width: cfg.bBits * bCodes(cfg) },
    ],
    out: [{ name: 'y', width: cfg.outBits * yCodes(cfg) }],
  }),
  randomBeat: (cfg, rng) => ({
    a: packSignedCodes(randomCodes(rng, aCodes(cfg), cfg.aBits), cfg.aBits),
    b: packSignedCodes(randomCodes(rng, bCodes(cfg), cfg.bBits), cfg.bBits),
  }),
  reference: referenceMatmul,
  contract: (cfg) =>
    `y[h][r][j] = sat(RNE(Σ_i a[h][r][i]·b[h·${cfg.kvHeads}/${cfg.heads}][${cfg.transposeB ? 'j][i' : 'i][j'}]·` +
    `2^(${cfg.aScaleExp} + ${cfg.bScaleExp} - ${cfg.outScaleExp}))) to int${cfg.outBits} (numerics intMatmul), ` +
    `${cfg.heads} heads of ${cfg.m}×${cfg.k} · ${cfg.k}×${cfg.n}; ${cfg.heads * cfg.m * cfg.n * cfg.k} multipliers; ` +
    `latency ${cfg.stages}, one beat per cycle.`,
};

registerComponent(matmulKind);
