// rope: rotary position embedding of q and k (registered component kind). Oracle: numerics
// intRope at the position of the beat in its sequence (beat index mod seqLen). Latency `stages`,
// one beat per cycle.
import { intRope, ropeShift, ropeTables } from '../../numerics/index.js';
import { packSignedCodes, randomCodes, unpackSignedCodes } from '../arith/index.js';
import { registerComponent, type Beat, type ComponentKind } from '../registry.js';
import {
  deriveRope,
  ROPE_DEFAULTS,
  ropeFeatures,
  ropeName,
  ropeParams,
  ropeSchema,
  type RopeConfig,
} from './config.js';
import { generateRope } from './generate.js';

export * from './config.js';
export { generateRope } from './generate.js';

/** The sequence state of one rope unit: the position of the next token. */
export interface RopeState {
  pos: number;
}

/** The cos/sin tables of a config, built once per config (integer series: not free per token). */
const TABLES = new Map<string, ReturnType<typeof ropeTables>>();
function tablesOf(c: RopeConfig): ReturnType<typeof ropeTables> {
  const key = `${c.headDim}/${c.seqLen}/${c.base}/${c.fracBits}`;
  const t = TABLES.get(key) ?? ropeTables(ropeParams(c));
  TABLES.set(key, t);
  return t;
}

/** One token through the golden definition at the state's position, which then advances. */
export function ropeStep(c: RopeConfig, st: RopeState, x: readonly number[]): number[] {
  const y = intRope(x, st.pos, ropeParams(c), tablesOf(c));
  st.pos = (st.pos + 1) % c.seqLen;
  return y;
}

export function referenceRope(c: RopeConfig, inBeats: readonly Beat[]): Beat[] {
  const n = ropeFeatures(c);
  const t = tablesOf(c);
  return inBeats.map((b, k) => ({
    y: packSignedCodes(
      intRope(unpackSignedCodes(b['x'] ?? 0n, c.inBits, n), k % c.seqLen, ropeParams(c), t),
      c.outBits,
    ),
  }));
}

export const ropeKind: ComponentKind<RopeConfig> = {
  kind: 'rope',
  description:
    'rotary position embedding of q and k (LLaMA): cos/sin tables by position, exact pair rotation, RNE + saturation',
  schema: ropeSchema,
  examples: [
    { name: 'h2kv1d4-l8-int8', config: { ...ROPE_DEFAULTS } },
    {
      // GQA head layout of llama-block (4 q heads on 2 kv heads, head_dim 16), int8 → int8 at 2^-5
      name: 'gqa-h4kv2d16-l8',
      config: { ...ROPE_DEFAULTS, heads: 4, kvHeads: 2, headDim: 16, outScaleExp: -5, stages: 2 },
    },
    {
      // short table, coarse fracBits, a position count not a power of two, narrow codes
      name: 'h1d6-l5-f6-int4',
      config: {
        ...ROPE_DEFAULTS,
        heads: 1,
        kvHeads: 1,
        headDim: 6,
        seqLen: 5,
        base: 100,
        fracBits: 6,
        inBits: 4,
        inScaleExp: -2,
        outBits: 6,
        outScaleExp: -3,
      },
    },
  ],
  moduleName: ropeName,
  derive: deriveRope,
  generate: generateRope,
  stream: (c) => ({
    in: [{ name: 'x', width: c.inBits * ropeFeatures(c) }],
    out: [{ name: 'y', width: c.outBits * ropeFeatures(c) }],
  }),
  randomBeat: (c, rng) => ({
    x: packSignedCodes(randomCodes(rng, ropeFeatures(c), c.inBits), c.inBits),
  }),
  reference: referenceRope,
  contract: (c) =>
    `per token at position p (0..${c.seqLen - 1}, restarting after ${c.seqLen} tokens): each q/k pair ` +
    `(x0, x1) of a head → sat(RNE((x0·C − x1·S)·2^-${ropeShift(c)})), sat(RNE((x0·S + x1·C)·2^-${ropeShift(c)})) ` +
    `to int${c.outBits} at 2^${c.outScaleExp}, C/S = RNE(cos/sin(p·${c.base}^(-2i/${c.headDim}))·2^${c.fracBits}); ` +
    `v codes by the same shift (numerics intRope); latency ${c.stages}, one beat per cycle.`,
};

registerComponent(ropeKind);
