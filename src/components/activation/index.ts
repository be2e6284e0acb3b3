// gelu (erf / tanh form) and silu: elementwise integer activation units (registered component
// kinds). Oracle: numerics intActivation. Latency `stages`, one beat (n lanes) per cycle.
import { intActivation } from '../../numerics/index.js';
import { packSignedCodes, randomCodes, unpackSignedCodes } from '../arith/index.js';
import { registerComponent, type Beat, type ComponentKind } from '../registry.js';
import {
  activationName,
  activationOp,
  activationParams,
  deriveActivation,
  GELU_DEFAULTS,
  geluSchema,
  SILU_DEFAULTS,
  siluSchema,
  type ActivationConfig,
  type GeluConfig,
  type SiluConfig,
} from './config.js';
import { generateActivation } from './generate.js';

export * from './config.js';
export { activationTable, generateActivation } from './generate.js';

export function referenceActivation(cfg: ActivationConfig, inBeats: readonly Beat[]): Beat[] {
  return inBeats.map((b) => {
    const x = unpackSignedCodes(b['x'] ?? 0n, cfg.inBits, cfg.n);
    return { y: packSignedCodes(intActivation(x, activationParams(cfg)), cfg.outBits) };
  });
}

/** Every code on every lane: beat j gives lane i the code (j + 37·i) mod 2^inBits. */
function* everyCode(cfg: ActivationConfig): Iterable<Beat> {
  const size = 2 ** cfg.inBits;
  for (let j = 0; j < size; j++)
    yield {
      x: packSignedCodes(
        Array.from({ length: cfg.n }, (_, i) => ((j + 37 * i) % size) - size / 2),
        cfg.inBits,
      ),
    };
}

function activationKind<C extends ActivationConfig>(
  kind: string,
  description: string,
  schema: ComponentKind<C>['schema'],
  examples: ComponentKind<C>['examples'],
): ComponentKind<C> {
  return {
    kind,
    description,
    schema,
    examples,
    moduleName: activationName,
    derive: deriveActivation,
    generate: generateActivation,
    stream: (cfg) => ({
      in: [{ name: 'x', width: cfg.inBits * cfg.n }],
      out: [{ name: 'y', width: cfg.outBits * cfg.n }],
    }),
    randomBeat: (cfg, rng) => ({
      x: packSignedCodes(randomCodes(rng, cfg.n, cfg.inBits), cfg.inBits),
    }),
    exhaustiveBeats: everyCode,
    reference: referenceActivation,
    contract: (cfg) =>
      `y = ${activationOp(cfg)}(x) by the integer definition of docs/numerics.md: ${cfg.n} lanes, ` +
      `int${cfg.inBits} at 2^${cfg.inScaleExp} → int${cfg.outBits} at 2^${cfg.outScaleExp}, RNE and ` +
      `saturation; a table of every code per lane; latency ${cfg.stages}, one beat per cycle.`,
  };
}

export const geluKind = activationKind<GeluConfig>(
  'gelu',
  'integer GELU, erf form (I-BERT i-GELU polynomial) or tanh form (σ table), n lanes per beat',
  geluSchema,
  [
    { name: 'erf-n16-s4', config: { ...GELU_DEFAULTS } },
    { name: 'tanh-n16-s4', config: { ...GELU_DEFAULTS, form: 'tanh' } },
    {
      name: 'erf-n4-int6-out12-p2',
      config: {
        ...GELU_DEFAULTS,
        n: 4,
        inBits: 6,
        inScaleExp: -3,
        outBits: 12,
        outScaleExp: -9,
        stages: 2,
      },
    },
  ],
);

export const siluKind = activationKind<SiluConfig>(
  'silu',
  'integer SiLU x·σ(x) (σ table + linear interpolation), n lanes per beat',
  siluSchema,
  [
    { name: 'n16-s4', config: { ...SILU_DEFAULTS } },
    { name: 'n8-s6-out7', config: { ...SILU_DEFAULTS, n: 8, inScaleExp: -6, outScaleExp: -7 } },
  ],
);

registerComponent(geluKind);
registerComponent(siluKind);
