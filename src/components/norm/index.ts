// layernorm and rmsnorm: integer normalization units, one row (with γ, β) per beat (registered
// component kinds). Oracle: numerics intNorm. Latency 2, throughput one row per cycle.
import { intNorm, type NormKind } from '../../numerics/index.js';
import { packSignedCodes, randomCodeRow, randomCodes, unpackSignedCodes } from '../arith/index.js';
import { registerComponent, type Beat, type ComponentKind } from '../registry.js';
import {
  deriveNorm,
  NORM_DEFAULTS,
  normName,
  normParams,
  normSchema,
  type NormConfig,
} from './config.js';
import { generateNorm } from './generate.js';

export * from './config.js';
export { generateNorm } from './generate.js';

export function referenceNorm(kind: NormKind, cfg: NormConfig, inBeats: readonly Beat[]): Beat[] {
  return inBeats.map((b) => {
    const x = unpackSignedCodes(b['x'] ?? 0n, cfg.inBits, cfg.n);
    const g = unpackSignedCodes(b['gamma'] ?? 0n, cfg.gammaBits, cfg.n);
    const be = kind === 'layernorm' ? unpackSignedCodes(b['beta'] ?? 0n, cfg.betaBits, cfg.n) : [];
    return { y: packSignedCodes(intNorm(normParams(kind, cfg), x, g, be), cfg.outBits) };
  });
}

function normKind(
  kind: NormKind,
  examples: ComponentKind<NormConfig>['examples'],
): ComponentKind<NormConfig> {
  const ln = kind === 'layernorm';
  return {
    kind,
    description: ln
      ? 'integer layer norm of one row per beat (exact sums, exact floor rsqrt, one RNE)'
      : 'integer RMS norm of one row per beat (exact sums, exact floor rsqrt, one RNE)',
    schema: normSchema,
    examples,
    moduleName: (cfg) => normName(kind, cfg),
    derive: (cfg) => deriveNorm(kind, cfg),
    generate: (cfg) => generateNorm(kind, cfg),
    stream: (cfg) => ({
      in: [
        { name: 'x', width: cfg.inBits * cfg.n },
        { name: 'gamma', width: cfg.gammaBits * cfg.n },
        ...(ln ? [{ name: 'beta', width: cfg.betaBits * cfg.n }] : []),
      ],
      out: [{ name: 'y', width: cfg.outBits * cfg.n }],
    }),
    randomBeat: (cfg, rng) => ({
      x: packSignedCodes(randomCodeRow(rng, cfg.n, cfg.inBits), cfg.inBits),
      gamma: packSignedCodes(randomCodes(rng, cfg.n, cfg.gammaBits), cfg.gammaBits),
      ...(ln ? { beta: packSignedCodes(randomCodes(rng, cfg.n, cfg.betaBits), cfg.betaBits) } : {}),
    }),
    reference: (cfg, beats) => referenceNorm(kind, cfg, beats),
    contract: (cfg) =>
      `y = intNorm(${kind}) (docs/numerics.md): ${cfg.n} int${cfg.inBits} codes at 2^${cfg.inScaleExp}, ` +
      `γ int${cfg.gammaBits} at 2^${cfg.gammaScaleExp}` +
      (ln ? `, β int${cfg.betaBits} at 2^${cfg.betaScaleExp}` : '') +
      `, eps ${cfg.epsMantissa}·2^${cfg.epsExp} → int${cfg.outBits} at 2^${cfg.outScaleExp}; ` +
      `r = floor(2^K·sqrt(M/D)) exactly, one RNE, saturation; latency 2, one row per cycle.`,
  };
}

export const layernormKind = normKind('layernorm', [
  { name: 'n16-int8', config: { ...NORM_DEFAULTS } },
  {
    name: 'n64-int8-eps2m20',
    config: {
      ...NORM_DEFAULTS,
      n: 64,
      inScaleExp: -3,
      gammaScaleExp: -7,
      betaScaleExp: -5,
      outScaleExp: -4,
      epsExp: -20,
    },
  },
  {
    name: 'n7-g6-b4-eps3',
    config: {
      ...NORM_DEFAULTS,
      n: 7,
      inScaleExp: 0,
      gammaBits: 6,
      gammaScaleExp: -4,
      betaBits: 4,
      betaScaleExp: -2,
      outScaleExp: -4,
      epsMantissa: 3,
      epsExp: 0,
    },
  },
]);

export const rmsnormKind = normKind('rmsnorm', [
  { name: 'n16-int8', config: { ...NORM_DEFAULTS } },
  {
    name: 'n32-out12',
    config: {
      ...NORM_DEFAULTS,
      n: 32,
      inScaleExp: -6,
      outBits: 12,
      outScaleExp: -8,
      epsMantissa: 5,
      epsExp: -10,
    },
  },
]);

registerComponent(layernormKind);
registerComponent(rmsnormKind);
