// Integer layer norm and RMS norm (docs/numerics.md): exact integer sums, the exact integer
// D = (variance + eps) · N² (or mean square · N) scaled to an integer, r = floor(2^K·sqrt(M/D))
// by an exact integer square root of a floor quotient, then one RNE rounding of
// a_i·r·γ_i (+ β_i) to the output code, saturated.
import { fail } from '../errors.js';
import { bitLength, checkIntParam, checkSignedCodes, isqrt, rneShift, satSigned } from './fixed.js';

export type NormKind = 'layernorm' | 'rmsnorm';

export interface IntNormParams {
  readonly kind: NormKind;
  /** Row length N (1..4096). */
  readonly n: number;
  /** Signed input codes: x = code · 2^inScaleExp. */
  readonly inBits: number;
  readonly inScaleExp: number;
  /** γ codes (signed, gammaBits) at 2^gammaScaleExp; β (layernorm only) at 2^betaScaleExp. */
  readonly gammaBits: number;
  readonly gammaScaleExp: number;
  readonly betaBits: number;
  readonly betaScaleExp: number;
  /** Signed output codes at 2^outScaleExp, RNE then saturation. */
  readonly outBits: number;
  readonly outScaleExp: number;
  /** eps = epsMantissa · 2^epsExp, epsMantissa ≥ 1, epsExp even. */
  readonly epsMantissa: number;
  readonly epsExp: number;
}

export function checkIntNormParams(p: IntNormParams): void {
  if (p.kind !== 'layernorm' && p.kind !== 'rmsnorm')
    fail(`norm kind must be layernorm or rmsnorm; got ${String(p.kind)}`);
  checkIntParam('n', p.n, 1, 4096);
  for (const k of ['inBits', 'gammaBits', 'betaBits', 'outBits'] as const)
    checkIntParam(k, p[k], 2, 16);
  for (const k of ['inScaleExp', 'gammaScaleExp', 'betaScaleExp', 'outScaleExp'] as const)
    checkIntParam(k, p[k], -32, 32);
  checkIntParam('epsMantissa', p.epsMantissa, 1, 1 << 16);
  checkIntParam('epsExp', p.epsExp, -64, 0);
  if (p.epsExp % 2 !== 0) fail(`epsExp must be even (eps = m·4^k); got ${p.epsExp}`);
}

/** The constants of one configuration: every width and shift a generator needs. */
export interface NormConstants {
  /** t = min(2·inScaleExp, epsExp): D is in units of 2^t. */
  readonly t: number;
  /** h = inScaleExp - t/2 ≥ 0. */
  readonly h: number;
  /** D = dataTerm · 2^dataShift + epsTerm (dataTerm = N·S2 - S1² or S2). */
  readonly dataShift: number;
  readonly epsTerm: bigint;
  /** M: 1 (layernorm) or N (rmsnorm). */
  readonly m: bigint;
  /** The largest D any input row gives (a bound), and the smallest (epsTerm). */
  readonly dMax: bigint;
  /** K = 18 + ceil(bitLength(dMax) / 2): r = floor(2^K · sqrt(M / D)) ≥ 2^17. */
  readonly k: number;
  /** Output T = a·r·g·2^gShift + b·2^bShift, rounded by an RNE right shift of `outShift`. */
  readonly gShift: number;
  readonly bShift: number;
  readonly outShift: number;
}

export function normConstants(p: IntNormParams): NormConstants {
  checkIntNormParams(p);
  const n = BigInt(p.n);
  const t = Math.min(2 * p.inScaleExp, p.epsExp);
  const h = p.inScaleExp - t / 2;
  const dataShift = 2 * p.inScaleExp - t;
  const ln = p.kind === 'layernorm';
  const epsTerm = ((ln ? n * n : n) * BigInt(p.epsMantissa)) << BigInt(p.epsExp - t);
  const sq = 1n << BigInt(2 * p.inBits - 2); // the largest square of a code
  const dataMax = ln ? n * n * sq : n * sq;
  const dMax = (dataMax << BigInt(dataShift)) + epsTerm;
  const k = 18 + Math.ceil(bitLength(dMax) / 2);
  const c1 = h - k + p.gammaScaleExp - p.outScaleExp;
  const c2 = ln ? p.betaScaleExp - p.outScaleExp : c1;
  const cm = Math.min(c1, c2);
  return {
    t,
    h,
    dataShift,
    epsTerm,
    m: ln ? 1n : n,
    dMax,
    k,
    gShift: c1 - cm,
    bShift: c2 - cm,
    outShift: -cm,
  };
}

/** r = floor(2^K · sqrt(M / D)) = isqrt(floor(M · 2^(2K) / D)). */
export function normRecipSqrt(c: NormConstants, d: bigint): bigint {
  return isqrt((c.m << BigInt(2 * c.k)) / d);
}

/** The integer statistics of a row: S1, S2, D and r. */
export function normStats(
  p: IntNormParams,
  x: readonly bigint[],
): { s1: bigint; s2: bigint; d: bigint; r: bigint } {
  const c = normConstants(p);
  const s1 = x.reduce((a, v) => a + v, 0n);
  const s2 = x.reduce((a, v) => a + v * v, 0n);
  const data = p.kind === 'layernorm' ? BigInt(p.n) * s2 - s1 * s1 : s2;
  const d = (data << BigInt(c.dataShift)) + c.epsTerm;
  return { s1, s2, d, r: normRecipSqrt(c, d) };
}

/** Integer layer norm / RMS norm of one row (β is ignored by rmsnorm). */
export function intNorm(
  p: IntNormParams,
  row: readonly number[],
  gamma: readonly number[],
  beta: readonly number[] = [],
): number[] {
  const c = normConstants(p);
  if (row.length !== p.n || gamma.length !== p.n)
    fail(
      `intNorm: row and gamma must have n = ${p.n} elements; got ${row.length}, ${gamma.length}`,
    );
  if (p.kind === 'layernorm' && beta.length !== p.n)
    fail(`intNorm: layernorm needs n = ${p.n} beta codes; got ${beta.length}`);
  checkSignedCodes('row', row, p.inBits);
  checkSignedCodes('gamma', gamma, p.gammaBits);
  if (p.kind === 'layernorm') checkSignedCodes('beta', beta, p.betaBits);
  const x = row.map(BigInt);
  const { s1, r } = normStats(p, x);
  return x.map((v, i) => {
    const a = p.kind === 'layernorm' ? BigInt(p.n) * v - s1 : v;
    let tt = (a * r * BigInt(gamma[i] ?? 0)) << BigInt(c.gShift);
    if (p.kind === 'layernorm') tt += BigInt(beta[i] ?? 0) << BigInt(c.bShift);
    return Number(satSigned(rneShift(tt, c.outShift), p.outBits));
  });
}
