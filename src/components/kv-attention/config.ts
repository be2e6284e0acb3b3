// kv-attention config: one decode step of attention per input token over an on-chip KV cache
// (SRAM). The input beat is the token's fused q|k|v projection (GPT-2's c_attn layout); k and v
// are quantized to the cache format and appended at the token's position; the output is the
// context (heads × headDim). Golden: numerics intAttention + kvQuantize.
import { z } from 'zod';
import {
  attentionOutShift,
  attentionScoreShift,
  type IntAttentionParams,
  KV_CACHE_FORMATS,
  type KvCacheSpec,
  type KvCacheFormat,
  kvChannelScaleCount,
  kvDecodedBits,
  kvDecodedExp,
  kvFormatBits,
  kvRowBits,
  kvScaleBits,
} from '../../numerics/index.js';
import type { Derived } from '../registry.js';
import { expName } from '../softmax/config.js';

/**
 * The unit's cache formats: numerics KV_CACHE_FORMATS for K and V alike, and
 * `int_k_channel_v_token` (KIVI's split: keys int_per_channel, values int_per_token).
 */
export const KV_ATTENTION_FORMATS = [...KV_CACHE_FORMATS, 'int_k_channel_v_token'] as const;
export type KvAttentionFormat = (typeof KV_ATTENTION_FORMATS)[number];

/** The int kinds with power-of-two scales (kvBits ≤ inBits). */
const SHIFT_SCALED: readonly KvAttentionFormat[] = [
  'int_per_token',
  'int_per_channel',
  'int_k_channel_v_token',
];

const int = (name: string, lo: number, hi: number) =>
  z
    .number({ invalid_type_error: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(lo, `${name} must be at least ${lo}`)
    .max(hi, `${name} must be at most ${hi}`);

export const kvAttentionSchema = z
  .object({
    heads: int('heads', 1, 64).default(2),
    kvHeads: int('kvHeads', 1, 64).default(2),
    headDim: int('headDim', 1, 256).default(4),
    /** KV-cache positions (the longest sequence) and the sequence length after which it restarts. */
    capacity: int('capacity', 1, 65536).default(8),
    seqLen: int('seqLen', 1, 65536).default(8),
    /** The q|k|v codes of the input beat. */
    inBits: int('inBits', 2, 16).default(8),
    inScaleExp: int('inScaleExp', -32, 32).default(-4),
    /**
     * KV-cache format (numerics kvEncodeRow, docs/numerics.md "KV-cache formats"): `int` = signed
     * kvBits at 2^(inScaleExp + inBits - kvBits) (the input's range); `int_per_token` = signed
     * kvBits with a power-of-two scale per token; `int_per_channel` = signed kvBits with a static
     * power-of-two scale per channel (the input field `s`, decision 44); `int_k_channel_v_token` =
     * keys per channel, values per token (KIVI); fp8_e4m3, mxfp8_e4m3, mxfp4_e2m1 (kvBits 8, 8, 4).
     */
    kvFormat: z
      .enum(KV_ATTENTION_FORMATS, {
        errorMap: () => ({
          message: `kvFormat must be one of ${KV_ATTENTION_FORMATS.join(', ')}`,
        }),
      })
      .default('int'),
    kvBits: int('kvBits', 2, 16).default(8),
    scoreBits: int('scoreBits', 2, 16).default(12),
    scoreScaleExp: int('scoreScaleExp', -16, 4).default(-5),
    probBits: int('probBits', 2, 15).default(8),
    outBits: int('outBits', 2, 16).default(8),
    outScaleExp: int('outScaleExp', -32, 32).default(-5),
  })
  .strict()
  .superRefine((c, ctx) => {
    const bad = (path: string, message: string): void => {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    };
    if (c.heads % c.kvHeads !== 0)
      bad('kvHeads', `kvHeads must divide heads (${c.heads}); got ${c.kvHeads}`);
    if (!Number.isInteger(Math.log2(c.headDim) / 2))
      bad('headDim', `headDim must be a power of 4 (1/√headDim a power of two); got ${c.headDim}`);
    const fmt = c.kvFormat;
    if (fmt !== 'int' && fmt !== 'int_k_channel_v_token' && !SHIFT_SCALED.includes(fmt)) {
      if (c.kvBits !== kvFormatBits(fmt, c.kvBits))
        bad(
          'kvBits',
          `kvBits must be ${kvFormatBits(fmt, c.kvBits)} for kvFormat ${fmt}; got ${c.kvBits}`,
        );
    }
    if (c.kvFormat !== 'int' && c.inBits > 15)
      bad(
        'inBits',
        `kvFormat ${c.kvFormat} takes inBits up to 15 (decoded k, v of inBits + 1 ≤ 16 bits); got ${c.inBits}`,
      );
    if (SHIFT_SCALED.includes(c.kvFormat) && c.kvBits > c.inBits)
      bad('kvBits', `kvFormat ${c.kvFormat} needs kvBits ≤ inBits (${c.inBits}); got ${c.kvBits}`);
    if (c.seqLen > c.capacity)
      bad(
        'seqLen',
        `seqLen ${c.seqLen} is past the KV cache's capacity of ${c.capacity} positions`,
      );
  });

export type KvAttentionConfig = z.infer<typeof kvAttentionSchema>;

export const KV_ATTENTION_DEFAULTS: KvAttentionConfig = Object.freeze({
  heads: 2,
  kvHeads: 2,
  headDim: 4,
  capacity: 8,
  seqLen: 8,
  inBits: 8,
  inScaleExp: -4,
  kvFormat: 'int',
  kvBits: 8,
  scoreBits: 12,
  scoreScaleExp: -5,
  probBits: 8,
  outBits: 8,
  outScaleExp: -5,
});

/** The cache codes' exponent: the input's range kept, `inBits - kvBits` low bits dropped. */
export const kvScaleExp = (c: KvAttentionConfig): number => c.inScaleExp + c.inBits - c.kvBits;

/** The numerics format of the K (or V) cache. */
function cacheFormat(c: KvAttentionConfig, which: 'k' | 'v'): KvCacheFormat {
  if (c.kvFormat !== 'int_k_channel_v_token') return c.kvFormat;
  return which === 'k' ? 'int_per_channel' : 'int_per_token';
}

/** The cache format of one token's k (or v) row. */
export function kvSpec(c: KvAttentionConfig, which: 'k' | 'v' = 'k'): KvCacheSpec {
  return {
    format: cacheFormat(c, which),
    bits: c.kvBits,
    inBits: c.inBits,
    inScaleExp: c.inScaleExp,
    channels: c.kvHeads * c.headDim,
    headDim: c.headDim,
  };
}

/**
 * The static channel scales (decision 44): the K cache's channels, then the V cache's, each a
 * shift field of kvScaleBits — the input field `s` (0 channels: no field).
 */
export function kvChannelScales(c: KvAttentionConfig): { k: number; v: number; bits: number } {
  const k = kvChannelScaleCount(kvSpec(c, 'k'));
  const v = kvChannelScaleCount(kvSpec(c, 'v'));
  return { k, v, bits: k + v > 0 ? kvScaleBits(kvSpec(c, k > 0 ? 'k' : 'v')) : 0 };
}

export function kvAttentionParams(c: KvAttentionConfig): IntAttentionParams {
  const sp = kvSpec(c);
  return {
    heads: c.heads,
    kvHeads: c.kvHeads,
    headDim: c.headDim,
    qBits: c.inBits,
    qScaleExp: c.inScaleExp,
    kvBits: kvDecodedBits(sp),
    kScaleExp: kvDecodedExp(sp),
    vScaleExp: kvDecodedExp(sp),
    scoreBits: c.scoreBits,
    scoreScaleExp: c.scoreScaleExp,
    probBits: c.probBits,
    outBits: c.outBits,
    outScaleExp: c.outScaleExp,
  };
}

/**
 * Bits of the KV cache: 2 SRAMs (K and V) of capacity words of kvHeads·headDim·kvBits, plus the
 * scales of the scaled formats (numerics kvRowBits).
 */
export const kvCacheBits = (c: KvAttentionConfig): number =>
  c.capacity * (kvRowBits(kvSpec(c, 'k')) + kvRowBits(kvSpec(c, 'v')));

/**
 * Cycles of the token at position t (0-based) from its input handshake to the first offer of its
 * output (accept, 3 passes over t + 1 positions, the output register), and from its input
 * handshake to the next one's when the output register is free.
 */
export const kvAttentionCycles = (t: number): number => 3 * (t + 1) + 5;

export function deriveKvAttention(c: KvAttentionConfig): Derived {
  const p = kvAttentionParams(c);
  return Object.freeze({
    // every position is held to the last one's time: a fixed schedule
    latencyCycles: kvAttentionCycles(c.seqLen - 1),
    intervalCycles: kvAttentionCycles(c.seqLen - 1),
    passCyclesFormula: '3·(t + 1) + 4 at position t, held to 3·seqLen + 4',
    kvCacheBits: kvCacheBits(c),
    multipliers: 2 * c.heads * c.headDim + c.heads,
    scoreShift: attentionScoreShift(p),
    outShift: attentionOutShift(p),
  });
}

const KV_NAME: Record<KvAttentionConfig['kvFormat'], string> = {
  int: '',
  int_per_token: 't',
  int_per_channel: 'c',
  int_k_channel_v_token: 'ct',
  fp8_e4m3: 'e4m3_',
  mxfp8_e4m3: 'mxe4m3_',
  mxfp4_e2m1: 'mxe2m1_',
};

export function kvAttentionName(c: KvAttentionConfig): string {
  return (
    `kv_attention_h${c.heads}kv${c.kvHeads}d${c.headDim}_l${c.capacity}s${c.seqLen}` +
    `_int${c.inBits}s${expName(c.inScaleExp)}_kv${KV_NAME[c.kvFormat]}${c.kvBits}_sc${c.scoreBits}s${expName(c.scoreScaleExp)}` +
    `_p${c.probBits}_o${c.outBits}s${expName(c.outScaleExp)}`
  );
}
