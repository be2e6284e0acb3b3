// One decode step of scaled dot-product attention over an integer KV cache (docs/numerics.md
// "attention decode step"): scores = q·Kᵀ per head (exact, scaled by 1/√d = 2^-log4(d), one RNE
// to the score code), probabilities = intSoftmax over the cached positions (causal: only the
// positions written so far exist), context = P·V (exact, one RNE, saturation). Composed of the
// definitions of matmul.ts and softmax.ts; the KV quantization is `kvQuantize`.
import { fail } from '../errors.js';
import { intMatmul } from './matmul.js';
import { checkIntParam, checkSignedCodes, rneShift, satSigned } from './fixed.js';
import { intSoftmax } from './softmax.js';

export interface IntAttentionParams {
  readonly heads: number;
  /** Key/value heads (dividing heads): head h reads kv head h / (heads / kvHeads). */
  readonly kvHeads: number;
  /** Features per head: a power of 4, so that 1/√headDim is a power of two. */
  readonly headDim: number;
  /** q codes: signed qBits at 2^qScaleExp. */
  readonly qBits: number;
  readonly qScaleExp: number;
  /** Cached k and v codes: signed kvBits at 2^kScaleExp, 2^vScaleExp. */
  readonly kvBits: number;
  readonly kScaleExp: number;
  readonly vScaleExp: number;
  /** The softmax input: signed scoreBits at 2^scoreScaleExp (scoreScaleExp ∈ [-16, 4]). */
  readonly scoreBits: number;
  readonly scoreScaleExp: number;
  /** Probabilities: unsigned probBits codes at 2^-probBits. */
  readonly probBits: number;
  readonly outBits: number;
  readonly outScaleExp: number;
}

export function checkIntAttentionParams(p: IntAttentionParams): void {
  checkIntParam('heads', p.heads, 1, 256);
  checkIntParam('kvHeads', p.kvHeads, 1, 256);
  if (p.heads % p.kvHeads !== 0)
    fail(`heads (${p.heads}) must be a multiple of kvHeads (${p.kvHeads})`);
  checkIntParam('headDim', p.headDim, 1, 4096);
  if (!Number.isInteger(Math.log2(p.headDim) / 2))
    fail(`headDim must be a power of 4 (1/√headDim a power of two); got ${p.headDim}`);
  for (const k of ['qBits', 'kvBits', 'outBits'] as const) checkIntParam(k, p[k], 2, 16);
  checkIntParam('scoreBits', p.scoreBits, 2, 16);
  checkIntParam('probBits', p.probBits, 2, 15);
  for (const k of ['qScaleExp', 'kScaleExp', 'vScaleExp', 'outScaleExp'] as const)
    checkIntParam(k, p[k], -32, 32);
  checkIntParam('scoreScaleExp', p.scoreScaleExp, -16, 4);
}

/** Right shift of the exact q·k sum to the score code: `ss + log4(d) - sq - sk`. */
export function attentionScoreShift(p: IntAttentionParams): number {
  return p.scoreScaleExp + Math.log2(p.headDim) / 2 - p.qScaleExp - p.kScaleExp;
}

/** Right shift of the exact Σ p·v sum to the output code: `so - (sv - probBits)`. */
export function attentionOutShift(p: IntAttentionParams): number {
  return p.outScaleExp - p.vScaleExp + p.probBits;
}

/** KV-cache quantization of signed codes at 2^fromExp to `bits` at 2^toExp: sat(RNE(·)). */
export function kvQuantize(
  codes: readonly number[],
  fromExp: number,
  bits: number,
  toExp: number,
): number[] {
  return codes.map((c) => Number(satSigned(rneShift(BigInt(c), toExp - fromExp), bits)));
}

export interface IntAttentionResult {
  /** Score codes per head over the cached positions. */
  readonly scores: number[][];
  /** Probability codes per head. */
  readonly probs: number[][];
  /** Context codes, heads × headDim. */
  readonly out: number[];
}

/**
 * One decode step: q (heads·headDim codes) against the cache `keys[j]`, `values[j]` (kvHeads·
 * headDim codes per position j, the current token's last).
 */
export function intAttention(
  q: readonly number[],
  keys: readonly (readonly number[])[],
  values: readonly (readonly number[])[],
  p: IntAttentionParams,
): IntAttentionResult {
  checkIntAttentionParams(p);
  const d = p.headDim;
  const L = keys.length;
  if (L === 0 || values.length !== L)
    fail(`intAttention: ${L} keys and ${values.length} values; need the same number, at least 1`);
  if (q.length !== p.heads * d)
    fail(`intAttention: q has ${q.length} codes; heads·headDim = ${p.heads * d}`);
  checkSignedCodes('q', q, p.qBits);
  const rowLen = p.kvHeads * d;
  for (const [what, rows] of [
    ['keys', keys],
    ['values', values],
  ] as const)
    rows.forEach((r, j) => {
      if (r.length !== rowLen)
        fail(`intAttention: ${what}[${j}] has ${r.length} codes; kvHeads·headDim = ${rowLen}`);
      checkSignedCodes(`${what}[${j}]`, r, p.kvBits);
    });
  // kv-head-major layouts for the two products: K as kvHeads × L × d, V as kvHeads × L × d.
  const byHead = (rows: readonly (readonly number[])[]): number[] => {
    const out: number[] = [];
    for (let g = 0; g < p.kvHeads; g++)
      for (let j = 0; j < L; j++)
        out.push(...(rows[j] as readonly number[]).slice(g * d, (g + 1) * d));
    return out;
  };
  const flat = intMatmul(q, byHead(keys), {
    heads: p.heads,
    kvHeads: p.kvHeads,
    m: 1,
    k: d,
    n: L,
    transposeB: true,
    aBits: p.qBits,
    aScaleExp: p.qScaleExp,
    bBits: p.kvBits,
    bScaleExp: p.kScaleExp - Math.log2(d) / 2,
    outBits: p.scoreBits,
    outScaleExp: p.scoreScaleExp,
  });
  const scores = Array.from({ length: p.heads }, (_, h) => flat.slice(h * L, (h + 1) * L));
  const probs = scores.map((row) =>
    intSoftmax(row, {
      inBits: p.scoreBits,
      inScaleExp: p.scoreScaleExp,
      outBits: p.probBits,
      outFracBits: p.probBits,
    }),
  );
  // P·V with the unsigned probabilities as (probBits + 1)-bit signed codes.
  const out = intMatmul(probs.flat(), byHead(values), {
    heads: p.heads,
    kvHeads: p.kvHeads,
    m: 1,
    k: L,
    n: d,
    transposeB: false,
    aBits: p.probBits + 1,
    aScaleExp: -p.probBits,
    bBits: p.kvBits,
    bScaleExp: p.vScaleExp,
    outBits: p.outBits,
    outScaleExp: p.outScaleExp,
  });
  return { scores, probs, out };
}
