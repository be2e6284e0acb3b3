// layernorm and rmsnorm: integer normalization units, one row (with γ, β) per beat (registered
// component kinds). Oracle: numerics intNorm. Latency 2, throughput one row per cycle.
import { intNorm, type NormKind } from '../../numerics/index.js';
import { packSignedCodes, randomCodeRow, randomCodes, unpackSignedCodes } from '../arith/index.js';
import type { Rng } from '../random.js';
import {
  registerComponent,
  type Beat,
  type ComponentKind,
  type StreamFields,
} from '../registry.js';
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

/** Code widths of a norm's operands (the one-row unit and the chunked one share them). */
interface NormWidths {
  readonly inBits: number;
  readonly gammaBits: number;
  readonly betaBits: number;
  readonly outBits: number;
}

/** The x, γ (and β for layernorm) input fields and the y output of `lanes` features a beat. */
export function normStream(kind: NormKind, c: NormWidths, lanes: number): StreamFields {
  return {
    in: [
      { name: 'x', width: c.inBits * lanes },
      { name: 'gamma', width: c.gammaBits * lanes },
      ...(kind === 'layernorm' ? [{ name: 'beta', width: c.betaBits * lanes }] : []),
    ],
    out: [{ name: 'y', width: c.outBits * lanes }],
  };
}

/** A random beat of `lanes` features: a row of x codes, γ (and β) codes. */
export function randomNormBeat(kind: NormKind, c: NormWidths, lanes: number, rng: Rng): Beat {
  return {
    x: packSignedCodes(randomCodeRow(rng, lanes, c.inBits), c.inBits),
    gamma: packSignedCodes(randomCodes(rng, lanes, c.gammaBits), c.gammaBits),
    ...(kind === 'layernorm'
      ? { beta: packSignedCodes(randomCodes(rng, lanes, c.betaBits), c.betaBits) }
      : {}),
  };
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
    stream: (cfg) => normStream(kind, cfg, cfg.n),
    randomBeat: (cfg, rng) => randomNormBeat(kind, cfg, cfg.n, rng),
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
