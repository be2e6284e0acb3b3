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
  kvDecodedBits,
  kvDecodedExp,
  kvFormatBits,
  kvRowBits,
} from '../../numerics/index.js';
import type { Derived } from '../registry.js';
import { expName } from '../softmax/config.js';

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
     * kvBits with a power-of-two scale per token; fp8_e4m3, mxfp8_e4m3, mxfp4_e2m1 (kvBits 8, 8, 4).
     */
    kvFormat: z
      .enum(KV_CACHE_FORMATS, {
        errorMap: () => ({ message: `kvFormat must be one of ${KV_CACHE_FORMATS.join(', ')}` }),
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
    if (c.kvFormat !== 'int' && c.kvFormat !== 'int_per_token') {
      if (c.kvBits !== kvFormatBits(c.kvFormat, c.kvBits))
        bad(
          'kvBits',
          `kvBits must be ${kvFormatBits(c.kvFormat, c.kvBits)} for kvFormat ${c.kvFormat}; got ${c.kvBits}`,
        );
    }
    if (c.kvFormat !== 'int' && c.inBits > 15)
      bad(
        'inBits',
        `kvFormat ${c.kvFormat} takes inBits up to 15 (decoded k, v of inBits + 1 ≤ 16 bits); got ${c.inBits}`,
      );
    if (c.kvFormat === 'int_per_token' && c.kvBits > c.inBits)
      bad('kvBits', `kvFormat int_per_token needs kvBits ≤ inBits (${c.inBits}); got ${c.kvBits}`);
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

/** The cache format of one token's k (or v) row. */
export function kvSpec(c: KvAttentionConfig): KvCacheSpec {
  return {
    format: c.kvFormat,
    bits: c.kvBits,
    inBits: c.inBits,
    inScaleExp: c.inScaleExp,
    channels: c.kvHeads * c.headDim,
    headDim: c.headDim,
  };
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
export const kvCacheBits = (c: KvAttentionConfig): number => 2 * c.capacity * kvRowBits(kvSpec(c));

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
