// kv-attention config: one decode step of attention per input token over an on-chip KV cache
// (SRAM). The input beat is the token's fused q|k|v projection (GPT-2's c_attn layout); k and v
// are quantized to the cache format and appended at the token's position; the output is the
// context (heads × headDim). Golden: numerics intAttention + kvQuantize.
import { z } from 'zod';
import {
  attentionOutShift,
  attentionScoreShift,
  type IntAttentionParams,
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
    /** KV-cache codes: signed kvBits at 2^(inScaleExp + inBits - kvBits) (the input's range). */
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
  kvBits: 8,
  scoreBits: 12,
  scoreScaleExp: -5,
  probBits: 8,
  outBits: 8,
  outScaleExp: -5,
});

/** The cache codes' exponent: the input's range kept, `inBits - kvBits` low bits dropped. */
export const kvScaleExp = (c: KvAttentionConfig): number => c.inScaleExp + c.inBits - c.kvBits;

export function kvAttentionParams(c: KvAttentionConfig): IntAttentionParams {
  return {
    heads: c.heads,
    kvHeads: c.kvHeads,
    headDim: c.headDim,
    qBits: c.inBits,
    qScaleExp: c.inScaleExp,
    kvBits: c.kvBits,
    kScaleExp: kvScaleExp(c),
    vScaleExp: kvScaleExp(c),
    scoreBits: c.scoreBits,
    scoreScaleExp: c.scoreScaleExp,
    probBits: c.probBits,
    outBits: c.outBits,
    outScaleExp: c.outScaleExp,
  };
}

/** Bits of the KV cache: 2 SRAMs (K and V) of capacity words of kvHeads·headDim·kvBits. */
export const kvCacheBits = (c: KvAttentionConfig): number =>
  2 * c.capacity * c.kvHeads * c.headDim * c.kvBits;

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

export function kvAttentionName(c: KvAttentionConfig): string {
  return (
    `kv_attention_h${c.heads}kv${c.kvHeads}d${c.headDim}_l${c.capacity}s${c.seqLen}` +
    `_int${c.inBits}s${expName(c.inScaleExp)}_kv${c.kvBits}_sc${c.scoreBits}s${expName(c.scoreScaleExp)}` +
    `_p${c.probBits}_o${c.outBits}s${expName(c.outScaleExp)}`
  );
}
