// Integer softmax of one row (docs/numerics.md): online max and sum over chunks (the sum is
// rescaled by the integer exp when the max grows), then every probability from a truncated
// reciprocal of the sum and one RNE rounding, saturated to the unsigned output code.
import { fail } from '../errors.js';
import { intExp } from './exp.js';
import { checkIntParam, checkSignedCodes, rneShift, satUnsigned } from './fixed.js';

/** Reciprocal precision: R = floor(2^46 / S). */
export const SOFTMAX_RECIP_BITS = 46;

export interface IntSoftmaxParams {
  /** Signed input code width (2..16); value = code · 2^inScaleExp, inScaleExp ∈ [-16, 4]. */
  readonly inBits: number;
  readonly inScaleExp: number;
  /** Unsigned output code width (2..16) and its fraction bits: p = code · 2^-outFracBits. */
  readonly outBits: number;
  readonly outFracBits: number;
  /** Elements per online step (default: the whole row, i.e. the two-pass form). */
  readonly chunk?: number;
}

export function checkIntSoftmaxParams(p: IntSoftmaxParams): void {
  checkIntParam('inBits', p.inBits, 2, 16);
  checkIntParam('inScaleExp', p.inScaleExp, -16, 4);
  checkIntParam('outBits', p.outBits, 2, 16);
  checkIntParam('outFracBits', p.outFracBits, 1, 24);
  if (p.chunk !== undefined) checkIntParam('chunk', p.chunk, 1, 1 << 20);
}

export interface SoftmaxRowState {
  /** Running max code. */
  readonly max: bigint;
  /** Running sum of Q15 exps relative to `max`. */
  readonly sum: bigint;
}

/** One online step: folds a chunk of codes into (max, sum). */
export function softmaxStep(
  st: SoftmaxRowState | undefined,
  chunk: readonly bigint[],
  s: number,
): SoftmaxRowState {
  let m = chunk.reduce((a, b) => (b > a ? b : a));
  let sum = 0n;
  if (st) {
    if (st.max > m) m = st.max;
    // Rescale: sum · exp(old - new) = RNE(sum · e0 · 2^-(15 + n)); exact when the max is unchanged.
    const x = intExp(st.max - m, s);
    sum = rneShift(st.sum * x.e0, 15 + Number(x.n));
  }
  for (const v of chunk) sum += intExp(v - m, s).e;
  return { max: m, sum };
}

/** The integer softmax of one row: unsigned codes, p_i ≈ code_i · 2^-outFracBits. */
export function intSoftmax(row: readonly number[], p: IntSoftmaxParams): number[] {
  checkIntSoftmaxParams(p);
  if (row.length === 0) fail('intSoftmax: the row is empty');
  checkSignedCodes('row', row, p.inBits);
  const x = row.map(BigInt);
  const c = p.chunk ?? x.length;
  let st: SoftmaxRowState | undefined;
  for (let i = 0; i < x.length; i += c) st = softmaxStep(st, x.slice(i, i + c), p.inScaleExp);
  const { max, sum } = st as SoftmaxRowState;
  const r = (1n << BigInt(SOFTMAX_RECIP_BITS)) / sum;
  return x.map((v) => {
    const e = intExp(v - max, p.inScaleExp).e;
    return Number(satUnsigned(rneShift(e * r, SOFTMAX_RECIP_BITS - p.outFracBits), p.outBits));
  });
}
