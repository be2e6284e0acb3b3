// Integer exp of a non-positive input (gemmlowp / I-BERT idea, our constants and roundings):
// exp(d·2^s) = 2^-(n + f/2^12) with the base-2 exponent from a Q16 log2(e), then 2^(-f/2^12)
// from a cubic in Horner form (Q15), then an RNE right shift by n.
import { rneShift } from './fixed.js';

/** RNE(log2(e) · 2^16) = RNE(94548.46). */
export const LOG2E_Q16 = 94548n;
/** Fraction bits of the base-2 exponent w = n·2^12 + f. */
export const EXP_FRAC_BITS = 12;
/** Q15 one: the result for d = 0. */
export const EXP_ONE_Q15 = 32768n;
/**
 * Horner coefficients (Q15) of 2^-u ≈ 1 + u·(A1 + u·(A2 + u·A3)), u = f/2^12 ∈ [0, 1): chosen by
 * a search around a relative-minimax fit so that the integer evaluation is non-increasing in f,
 * never exceeds 2^15 and has relative error ≤ 1.35e-4 against 2^-u for every f.
 */
export const EXP_POLY_Q15 = { a1: -22658n, a2: 7561n, a3: -1288n } as const;

export interface IntExpParts {
  /** w = RNE(-d · LOG2E_Q16 · 2^(s - 16 + 12)) ≥ 0: the base-2 exponent magnitude in Q12. */
  readonly w: bigint;
  readonly n: bigint;
  readonly f: bigint;
  /** 2^(-f/2^12) in Q15, in (2^14, 2^15]. */
  readonly e0: bigint;
  /** exp(d·2^s) in Q15: RNE(e0 · 2^-n). */
  readonly e: bigint;
}

/** Q15 value of 2^(-f/2^12), f ∈ [0, 4096): three RNE steps of 12 bits. */
export function exp2FracQ15(f: bigint): bigint {
  const { a1, a2, a3 } = EXP_POLY_Q15;
  const t2 = a2 + rneShift(a3 * f, EXP_FRAC_BITS);
  const t1 = a1 + rneShift(t2 * f, EXP_FRAC_BITS);
  return EXP_ONE_Q15 + rneShift(t1 * f, EXP_FRAC_BITS);
}

/** exp(d · 2^s) in Q15 for an integer d ≤ 0 and a scale exponent s ≤ 4. */
export function intExp(d: bigint, s: number): IntExpParts {
  const z = -d * LOG2E_Q16; // value z · 2^(s-16)
  const w = rneShift(z, 16 - EXP_FRAC_BITS - s);
  const n = w >> BigInt(EXP_FRAC_BITS);
  const f = w - (n << BigInt(EXP_FRAC_BITS));
  const e0 = exp2FracQ15(f);
  return { w, n, f, e0, e: rneShift(e0, Number(n)) };
}
