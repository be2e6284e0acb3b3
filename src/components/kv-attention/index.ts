// kv-attention: attention decode over an on-chip KV cache, registered component kind. Oracle:
// numerics kvQuantize + intAttention over the cache the beats so far have filled (the position
// restarts after seqLen tokens: one sequence). Cycles per token at position t: 3·(t + 1) + 5.
import { intAttention, kvRoundTrip, kvRowBits } from '../../numerics/index.js';
import { packSignedCodes, randomCodes, unpackCodes, unpackSignedCodes } from '../arith/index.js';
import { registerComponent, type Beat, type ComponentKind } from '../registry.js';
import {
  deriveKvAttention,
  KV_ATTENTION_DEFAULTS,
  kvAttentionName,
  kvAttentionParams,
  kvAttentionSchema,
  kvChannelScales,
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
  /** The channel scale fields (K's, then V's) taken with the sequence's first token. */
  scales?: readonly number[];
}

/**
 * One token through the golden definition: append its k, v, return the context codes. `scales`:
 * the static channel shift fields of the per-channel formats (kvChannelScales: K's then V's),
 * used from the sequence's first token on.
 */
export function kvAttentionStep(
  c: KvAttentionConfig,
  st: KvCacheState,
  x: readonly number[],
  scales: readonly number[] = [],
): number[] {
  const Q = c.heads * c.headDim;
  const KV = c.kvHeads * c.headDim;
  if (st.keys.length === c.seqLen) {
    st.keys = [];
    st.values = [];
  }
  if (st.keys.length === 0) st.scales = [...scales];
  const cs = kvChannelScales(c);
  const held = st.scales ?? [];
  // the cache holds the encoded rows; the attention reads them decoded (exact integers)
  st.keys.push(kvRoundTrip(kvSpec(c, 'k'), x.slice(Q, Q + KV), held.slice(0, cs.k)));
  st.values.push(
    kvRoundTrip(kvSpec(c, 'v'), x.slice(Q + KV, Q + 2 * KV), held.slice(cs.k, cs.k + cs.v)),
  );
  return intAttention(x.slice(0, Q), st.keys, st.values, kvAttentionParams(c)).out;
}

/** The channel scale fields of a beat's `s` (unsigned, kvChannelScales().bits each). */
export function kvScalesOfBeat(c: KvAttentionConfig, s: bigint): number[] {
  const cs = kvChannelScales(c);
  return unpackCodes(s, cs.bits, cs.k + cs.v);
}

export function referenceKvAttention(c: KvAttentionConfig, inBeats: readonly Beat[]): Beat[] {
  const st: KvCacheState = { keys: [], values: [] };
  const n = (c.heads + 2 * c.kvHeads) * c.headDim;
  return inBeats.map((b) => ({
    y: packSignedCodes(
      kvAttentionStep(
        c,
        st,
        unpackSignedCodes(b['x'] ?? 0n, c.inBits, n),
        kvScalesOfBeat(c, b['s'] ?? 0n),
      ),
      c.outBits,
    ),
  }));
}

function kvFormatText(c: KvAttentionConfig): string {
  if (c.kvFormat === 'int') return `int${c.kvBits} at 2^${kvScaleExp(c)} (sat(RNE))`;
  if (c.kvFormat === 'int_per_token') return `int${c.kvBits} with a power-of-two scale per token`;
  if (c.kvFormat === 'int_per_channel')
    return `int${c.kvBits} with a static power-of-two scale per channel (input s)`;
  if (c.kvFormat === 'int_k_channel_v_token')
    return `int${c.kvBits}, keys with a static power-of-two scale per channel (input s), values per token`;
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
    // static per-channel scales (decision 44): the shift fields come on `s` with every token and
    // the unit takes them with a sequence's first one (random here, so each sequence differs)
    {
      name: 'gqa-h4kv2d4-int4-channel',
      config: {
        ...KV_ATTENTION_DEFAULTS,
        heads: 4,
        kvHeads: 2,
        kvFormat: 'int_per_channel',
        kvBits: 4,
        capacity: 6,
        seqLen: 5,
      },
    },
    {
      name: 'h2d4-l8-int4-kchannel-vtoken',
      config: { ...KV_ATTENTION_DEFAULTS, kvFormat: 'int_k_channel_v_token', kvBits: 4, seqLen: 7 },
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
  stream: (c) => {
    const cs = kvChannelScales(c);
    return {
      in: [
        { name: 'x', width: c.inBits * (c.heads + 2 * c.kvHeads) * c.headDim },
        ...(cs.k + cs.v > 0 ? [{ name: 's', width: (cs.k + cs.v) * cs.bits }] : []),
      ],
      out: [{ name: 'y', width: c.outBits * c.heads * c.headDim }],
    };
  },
  randomBeat: (c, rng) => {
    const n = (c.heads + 2 * c.kvHeads) * c.headDim;
    // q at a random magnitude (codes >> 0..3): peaked and flat softmax rows both occur
    const q = c.heads * c.headDim;
    const sh = 2 ** rng.int(4);
    const codes = randomCodes(rng, n, c.inBits).map((v, i) => (i < q ? Math.floor(v / sh) : v));
    const cs = kvChannelScales(c);
    if (cs.k + cs.v === 0) return { x: packSignedCodes(codes, c.inBits) } as Beat;
    // any field value (past inBits - kvBits it acts as inBits - kvBits), mostly in range
    let s = 0n;
    for (let i = 0; i < cs.k + cs.v; i++)
      s |=
        BigInt(rng.int(4) === 0 ? rng.int(2 ** cs.bits) : rng.int(c.inBits - c.kvBits + 1)) <<
        BigInt(i * cs.bits);
    return { x: packSignedCodes(codes, c.inBits), s } as Beat;
  },
  reference: referenceKvAttention,
  contract: (c) =>
    `per input token (q|k|v codes, int${c.inBits} at 2^${c.inScaleExp}): k, v → ${kvFormatText(c)} ` +
    `(numerics kvEncodeRow), appended to the KV cache (SRAMs of ${c.capacity} × ${kvRowBits(kvSpec(c, 'k'))} and ${kvRowBits(kvSpec(c, 'v'))} bits) ` +
    `and read back decoded exactly (kvDecodeRow); ` +
    `per head intAttention (scores int${c.scoreBits} at 2^${c.scoreScaleExp}, integer softmax to ${c.probBits}-bit ` +
    `probabilities, exact P·V, RNE + saturation to int${c.outBits} at 2^${c.outScaleExp}); the position ` +
    `restarts after ${c.seqLen} tokens. Cycles per token at position t: 3·(t + 1) + 5.`,
};

registerComponent(kvAttentionKind);
