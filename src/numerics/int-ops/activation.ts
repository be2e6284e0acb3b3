// Integer GELU (erf form: I-BERT's second-order i-GELU polynomial; tanh form: x·σ(2k(x + c·x³)))
// and SiLU (x·σ(x)), int in → int out at power-of-two scales (docs/numerics.md). σ is a 65-entry
// Q15 table over [-8, 8] (step 1/4) with linear interpolation; every step rounds RNE.
import { fail } from '../errors.js';
import { checkIntParam, checkSignedCodes, rneShift, satSigned } from './fixed.js';

export type ActivationOp = 'gelu-erf' | 'gelu-tanh' | 'silu';
export const ACTIVATION_OPS: readonly ActivationOp[] = ['gelu-erf', 'gelu-tanh', 'silu'];

export interface IntActivationParams {
  readonly op: ActivationOp;
  /** Signed codes: x = code · 2^inScaleExp (inScaleExp ∈ [-12, 4]); y = code · 2^outScaleExp. */
  readonly inBits: number;
  readonly inScaleExp: number;
  readonly outBits: number;
  readonly outScaleExp: number;
}

/** Fraction bits of the fixed-point x (X = code · 2^(inScaleExp + 12), exact). */
export const ACT_FRAC_BITS = 12;

/** RNE(2^15 · σ(j/4 - 8)), j = 0..64 (σ(-t) = 1 - σ(t): T[j] + T[64-j] = 2^15). */
export const SIGMOID_Q15: readonly number[] = Object.freeze([
  11, 14, 18, 23, 30, 38, 49, 63, 81, 104, 133, 171, 219, 281, 360, 461, 589, 753, 961, 1223, 1554,
  1969, 2486, 3124, 3906, 4851, 5978, 7297, 8813, 10513, 12371, 14347, 16384, 18421, 20397, 22255,
  23955, 25471, 26790, 27917, 28862, 29644, 30282, 30799, 31214, 31545, 31807, 32015, 32179, 32307,
  32408, 32487, 32549, 32597, 32635, 32664, 32687, 32705, 32719, 32730, 32738, 32745, 32750, 32754,
  32757,
]);

/** i-GELU constants (I-BERT: a = -0.2888, b = -1.769) and 1/√2, as integers. */
export const IGELU = {
  /** RNE(2^16/√2) = RNE(46340.95). */
  invSqrt2Q16: 46341n,
  /** RNE(1.769 · 2^12) = RNE(7245.82): the clip point -b in Q12. */
  bQ12: 7246n,
  /** RNE(0.2888 · 2^16) = RNE(18926.80): -a in Q16. */
  aQ16: 18927n,
} as const;

/** tanh-form constants: RNE(0.044715 · 2^16) and RNE(2·sqrt(2/π) · 2^14) = RNE(26145.08). */
export const GELU_TANH = { cQ16: 2930n, kQ14: 26145n } as const;

export function checkIntActivationParams(p: IntActivationParams): void {
  if (!ACTIVATION_OPS.includes(p.op))
    fail(`activation op must be one of ${ACTIVATION_OPS.join(', ')}; got ${String(p.op)}`);
  checkIntParam('inBits', p.inBits, 2, 16);
  checkIntParam('inScaleExp', p.inScaleExp, -12, 4);
  checkIntParam('outBits', p.outBits, 2, 16);
  checkIntParam('outScaleExp', p.outScaleExp, -32, 32);
}

/** σ(t) in Q15 for t in Q12: 0 below -8, 2^15 at 8 and above, else table + RNE interpolation. */
export function sigmoidQ15(t: bigint): bigint {
  const lo = -8n << 12n;
  if (t < lo) return 0n;
  if (t >= -lo) return 32768n;
  const u = t - lo; // [0, 2^16)
  const j = Number(u >> 10n);
  const frac = u & 1023n;
  const a = BigInt(SIGMOID_Q15[j] ?? 0);
  const b = BigInt(SIGMOID_Q15[j + 1] ?? 0);
  return a + rneShift((b - a) * frac, 10);
}

/** erf(|x|/√2) in Q24 by i-GELU: 1 - 0.2888·(min(|x|/√2, 1.769) - 1.769)². `xq` is |x| in Q12. */
export function igeluErfQ24(absXq12: bigint): bigint {
  const v = rneShift(absXq12 * IGELU.invSqrt2Q16, 16);
  const tt = (v < IGELU.bQ12 ? v : IGELU.bQ12) - IGELU.bQ12; // ≤ 0, Q12
  return (1n << 24n) - rneShift(IGELU.aQ16 * tt * tt, 16);
}

/** One code through the activation. */
export function intActivationCode(q: number, p: IntActivationParams): number {
  const c = BigInt(q);
  const xq = c << BigInt(p.inScaleExp + ACT_FRAC_BITS); // Q12, exact
  const sh = p.outScaleExp - p.inScaleExp;
  switch (p.op) {
    case 'gelu-erf': {
      const e = igeluErfQ24(xq < 0n ? -xq : xq);
      const f = c < 0n ? (1n << 24n) - e : (1n << 24n) + e; // 2^24 · (1 + sgn·erf)
      return Number(satSigned(rneShift(c * f, 25 + sh), p.outBits));
    }
    case 'gelu-tanh': {
      const x3 = rneShift(xq * xq * xq, 24);
      const inner = xq + rneShift(x3 * GELU_TANH.cQ16, 16);
      const sg = sigmoidQ15(rneShift(inner * GELU_TANH.kQ14, 14));
      return Number(satSigned(rneShift(c * sg, 15 + sh), p.outBits));
    }
    case 'silu':
      return Number(satSigned(rneShift(c * sigmoidQ15(xq), 15 + sh), p.outBits));
  }
}

export function intActivation(codes: readonly number[], p: IntActivationParams): number[] {
  checkIntActivationParams(p);
  checkSignedCodes('codes', codes, p.inBits);
  return codes.map((q) => intActivationCode(q, p));
}
