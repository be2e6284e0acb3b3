// Elementwise integer multiply (SwiGLU's gate × up): exact product, one RNE rescale, saturation.
import { fail } from '../errors.js';
import { checkIntParam, checkSignedCodes, rneShift, satSigned } from './fixed.js';

export interface IntMulParams {
  /** Signed code widths (2..16) and power-of-two scales: value = code · 2^scaleExp. */
  readonly aBits: number;
  readonly aScaleExp: number;
  readonly bBits: number;
  readonly bScaleExp: number;
  readonly outBits: number;
  readonly outScaleExp: number;
}

export function checkIntMulParams(p: IntMulParams): void {
  for (const k of ['aBits', 'bBits', 'outBits'] as const) checkIntParam(k, p[k], 2, 16);
  for (const k of ['aScaleExp', 'bScaleExp', 'outScaleExp'] as const)
    checkIntParam(k, p[k], -32, 32);
}

/** Right shift applied to the exact product: `outScaleExp - aScaleExp - bScaleExp`. */
export function intMulShift(p: IntMulParams): number {
  return p.outScaleExp - p.aScaleExp - p.bScaleExp;
}

/** `sat(RNE(a · b · 2^(sa + sb - so)))` for each pair. */
export function intMul(a: readonly number[], b: readonly number[], p: IntMulParams): number[] {
  checkIntMulParams(p);
  if (a.length !== b.length) fail(`intMul: a has ${a.length} elements, b has ${b.length}`);
  checkSignedCodes('a', a, p.aBits);
  checkSignedCodes('b', b, p.bBits);
  const k = intMulShift(p);
  return a.map((x, i) => Number(satSigned(rneShift(BigInt(x) * BigInt(b[i] ?? 0), k), p.outBits)));
}
