// kv-attention: attention decode over an on-chip KV cache, registered component kind. Oracle:
// numerics kvQuantize + intAttention over the cache the beats so far have filled (the position
// restarts after seqLen tokens: one sequence). Cycles per token at position t: 3·(t + 1) + 5.
import { intAttention, kvRoundTrip, kvRowBits } from '../../numerics/index.js';
import { packSignedCodes, randomCodes, unpackSignedCodes } from '../arith/index.js';
import { registerComponent, type Beat, type ComponentKind } from '../registry.js';
import {
  deriveKvAttention,
  KV_ATTENTION_DEFAULTS,
  kvAttentionName,
  kvAttentionParams,
  kvAttentionSchema,
  kvScaleExp,
  kvSpec,
  type KvAttentionConfig,
} from './config.js';
import { generateKvAttention } from './generate.js';

export * from './config.js';
export { generateKvAttention } from './generate.js';

/** The sequence state of one kv-attention: the cached k and v codes of the positions so far. */
export interface KvCacheState {
  keys: number[][];
  values: number[][];
}

/** One token through the golden definition: append its k, v, return the context codes. */
export function kvAttentionStep(
  c: KvAttentionConfig,
  st: KvCacheState,
  x: readonly number[],
): number[] {
  const Q = c.heads * c.headDim;
  const KV = c.kvHeads * c.headDim;
  if (st.keys.length === c.seqLen) {
    st.keys = [];
    st.values = [];
  }
  // the cache holds the encoded rows; the attention reads them decoded (exact integers)
  const sp = kvSpec(c);
  st.keys.push(kvRoundTrip(sp, x.slice(Q, Q + KV)));
  st.values.push(kvRoundTrip(sp, x.slice(Q + KV, Q + 2 * KV)));
  return intAttention(x.slice(0, Q), st.keys, st.values, kvAttentionParams(c)).out;
}

export function referenceKvAttention(c: KvAttentionConfig, inBeats: readonly Beat[]): Beat[] {
  const st: KvCacheState = { keys: [], values: [] };
  const n = (c.heads + 2 * c.kvHeads) * c.headDim;
  return inBeats.map((b) => ({
    y: packSignedCodes(
      kvAttentionStep(c, st, unpackSignedCodes(b['x'] ?? 0n, c.inBits, n)),
      c.outBits,
    ),
  }));
}

function kvFormatText(c: KvAttentionConfig): string {
  if (c.kvFormat === 'int') return `int${c.kvBits} at 2^${kvScaleExp(c)} (sat(RNE))`;
  if (c.kvFormat === 'int_per_token') return `int${c.kvBits} with a power-of-two scale per token`;
  return c.kvFormat;
}

export const kvAttentionKind: ComponentKind<KvAttentionConfig> = {
  kind: 'kv-attention',
  description:
    'attention decode step over an on-chip KV cache (SRAM): q·Kᵀ, integer softmax, P·V per head, grouped-query, causal',
  schema: kvAttentionSchema,
  examples: [
    { name: 'h2d4-l8-int8', config: { ...KV_ATTENTION_DEFAULTS } },
    {
      // grouped-query: 4 heads on 2 kv heads, int4 cache, sequences of 5 in a 6-position cache
      name: 'gqa-h4kv2d4-kv4',
      config: { ...KV_ATTENTION_DEFAULTS, heads: 4, kvHeads: 2, kvBits: 4, capacity: 6, seqLen: 5 },
    },
    // the other KV-cache formats (numerics kvEncodeRow): fp8, MX blocks (E8M0 scale per 4
    // channels here: min(32, headDim)), int4 with a power-of-two scale per token
    { name: 'h2d4-l8-fp8', config: { ...KV_ATTENTION_DEFAULTS, kvFormat: 'fp8_e4m3' } },
    {
      name: 'h2d4-l8-mxfp8',
      config: { ...KV_ATTENTION_DEFAULTS, kvFormat: 'mxfp8_e4m3', capacity: 8, seqLen: 7 },
    },
    {
      name: 'gqa-h4kv2d4-mxfp4',
      config: {
        ...KV_ATTENTION_DEFAULTS,
        heads: 4,
        kvHeads: 2,
        kvFormat: 'mxfp4_e2m1',
        kvBits: 4,
        capacity: 6,
        seqLen: 5,
      },
    },
    {
      name: 'h2d4-l8-int4-token',
      config: { ...KV_ATTENTION_DEFAULTS, kvFormat: 'int_per_token', kvBits: 4 },
    },
    {
      name: 'h1d16-l4-score8',
      config: {
        ...KV_ATTENTION_DEFAULTS,
        heads: 1,
        kvHeads: 1,
        headDim: 16,
        capacity: 4,
        seqLen: 4,
        inBits: 6,
        inScaleExp: -3,
        scoreBits: 8,
        scoreScaleExp: -3,
        probBits: 6,
        outBits: 6,
        outScaleExp: -3,
      },
    },
  ],
  moduleName: kvAttentionName,
  derive: deriveKvAttention,
  generate: generateKvAttention,
  stream: (c) => ({
    in: [{ name: 'x', width: c.inBits * (c.heads + 2 * c.kvHeads) * c.headDim }],
    out: [{ name: 'y', width: c.outBits * c.heads * c.headDim }],
  }),
  randomBeat: (c, rng) => {
    const n = (c.heads + 2 * c.kvHeads) * c.headDim;
    // q at a random magnitude (codes >> 0..3): peaked and flat softmax rows both occur
    const q = c.heads * c.headDim;
    const sh = 2 ** rng.int(4);
    const codes = randomCodes(rng, n, c.inBits).map((v, i) => (i < q ? Math.floor(v / sh) : v));
    return { x: packSignedCodes(codes, c.inBits) };
  },
  reference: referenceKvAttention,
  contract: (c) =>
    `per input token (q|k|v codes, int${c.inBits} at 2^${c.inScaleExp}): k, v → ${kvFormatText(c)} ` +
    `(numerics kvEncodeRow), appended to the KV cache (2 SRAMs of ${c.capacity} × ${kvRowBits(kvSpec(c))} bits) ` +
    `and read back decoded exactly (kvDecodeRow); ` +
    `per head intAttention (scores int${c.scoreBits} at 2^${c.scoreScaleExp}, integer softmax to ${c.probBits}-bit ` +
    `probabilities, exact P·V, RNE + saturation to int${c.outBits} at 2^${c.outScaleExp}); the position ` +
    `restarts after ${c.seqLen} tokens. Cycles per token at position t: 3·(t + 1) + 5.`,
};

registerComponent(kvAttentionKind);
