// BlockDialect / DialectFP4 (Jang & Tambe, arXiv 2501.01144; docs/blockdialect.md): a block of
// k values shares a power-of-two exponent and one of 16 FP4 "dialects"; each element is a sign
// and a 3-bit index into the dialect's 8 magnitudes, all multiples of 0.5. Weights pick the
// dialect offline (least exact squared error); activations online in two stages from a 5-bit
// intermediate (3 integer + 2 fraction bits).
import { fromBinary32Bits } from './binary.js';
import { fail } from './errors.js';
import {
  abs,
  add,
  compare,
  type Exact,
  type FiniteExact,
  fromInt,
  ilog2,
  mul,
  NAN,
  POS_ZERO,
  scale2,
  sub,
} from './exact.js';
import { roundMag } from './rounding.js';

/**
 * The DialectFP4 formatbook: magnitudes of index 0..7 in half units (value = h / 2), dialect 0..15.
 * Dialects 2p and 2p+1 share the largest magnitude 7.5 - p/2 and differ below it.
 */
export const DIALECT_HALF_UNITS: readonly (readonly number[])[] = [
  [0, 1, 2, 3, 4, 6, 11, 15],
  [0, 1, 2, 3, 4, 6, 9, 15],
  [0, 1, 2, 3, 4, 6, 11, 14],
  [0, 1, 2, 3, 4, 6, 9, 14],
  [0, 1, 2, 3, 4, 6, 10, 13],
  [0, 1, 2, 3, 4, 6, 8, 13],
  [0, 1, 2, 3, 4, 6, 10, 12],
  [0, 1, 2, 3, 4, 6, 8, 12],
  [0, 1, 2, 3, 4, 6, 9, 11],
  [0, 1, 2, 3, 4, 6, 7, 11],
  [0, 1, 2, 3, 4, 6, 9, 10],
  [0, 1, 2, 3, 4, 6, 7, 10],
  [0, 1, 2, 3, 4, 6, 8, 9],
  [0, 1, 2, 3, 4, 6, 7, 9],
  [0, 1, 2, 3, 4, 6, 7, 8],
  [0, 1, 2, 3, 4, 5, 6, 8],
];
export const DIALECT_COUNT = 16;
/** Largest 5-bit intermediate (quarter units): 7.75. */
export const DIALECT_INTERMEDIATE_MAX = 31;

/** One quantized block: E8M0 scale code X (s = X - 127; 0xFF = NaN block), dialect, 4-bit codes. */
export interface DialectBlock {
  readonly scale: number;
  readonly dialect: number;
  readonly codes: readonly number[];
}

export function checkDialect(id: number, field = 'dialect'): void {
  if (!Number.isInteger(id) || id < 0 || id >= DIALECT_COUNT)
    fail(`${field} ${id} is out of range: DialectFP4 dialect ids are 0..15`);
}

/** Signed value of a 4-bit code in half units (code bit 3 = sign, bits 2..0 = index). */
export function dialectHalfUnits(dialect: number, code: number): number {
  checkDialect(dialect);
  if (!Number.isInteger(code) || code < 0 || code > 15)
    fail(`code ${code} is not a 4-bit DialectFP4 code (0..15)`);
  const h = DIALECT_HALF_UNITS[dialect]?.[code & 7] ?? 0;
  return code & 8 ? -h : h;
}

/** Index of the nearest magnitude to `q` quarter units (ties: the larger magnitude; saturating). */
export function dialectIndexOfQuarter(dialect: number, q: number): number {
  checkDialect(dialect);
  const t = DIALECT_HALF_UNITS[dialect] as readonly number[];
  let i = 0;
  // midpoint between t[i] and t[i+1] in quarter units is t[i] + t[i+1]
  while (i < 7 && q >= (t[i] ?? 0) + (t[i + 1] ?? 0)) i++;
  return i;
}

/** |error| of the nearest magnitude to q quarter units, in quarter units. */
function quarterError(dialect: number, q: number): number {
  const h = (DIALECT_HALF_UNITS[dialect] as readonly number[])[dialectIndexOfQuarter(dialect, q)];
  return Math.abs(q - 2 * (h ?? 0));
}

/**
 * Stage 2's classification of an intermediate q (quarter units) for the pair (2p, 2p+1):
 * 0 = in dialect 2p's beneficial range (strictly smaller error), 1 = in 2p+1's, -1 = neither.
 */
export function dialectBeneficial(pair: number, q: number): -1 | 0 | 1 {
  const a = quarterError(2 * pair, q);
  const b = quarterError(2 * pair + 1, q);
  return a < b ? 0 : b < a ? 1 : -1;
}

/** Shared exponent of a block whose largest magnitude is amax > 0: floor(log2 amax) - 2, clamped. */
export function dialectSharedExponent(amax: FiniteExact): number {
  return Math.min(127, Math.max(-127, ilog2(amax) - 2));
}

/** The 5-bit intermediate: RNE(|x|·2^(2-s)) quarter units, saturated at 31 (7.75). */
export function dialectIntermediate(x: FiniteExact, s: number): number {
  const e = x.exp - s + 2;
  const q = e >= 0 ? x.sig << BigInt(e) : roundMag(x.sig, -e);
  return Number(q > 31n ? 31n : q);
}

/** Stage 1: the pair whose largest magnitude equals the block max rounded to half units. */
export function dialectPairOfMax(qmax: number): number {
  const h = Math.min(15, Math.max(8, (qmax + 1) >> 1));
  return 15 - h;
}

/** Stage 2: the dialect of the pair with more elements in its beneficial range (tie: 2p). */
export function dialectSelectOnline(qs: readonly number[]): number {
  const pair = dialectPairOfMax(Math.max(0, ...qs));
  let na = 0;
  let nb = 0;
  for (const q of qs) {
    const c = dialectBeneficial(pair, q);
    if (c === 0) na++;
    else if (c === 1) nb++;
  }
  return 2 * pair + (nb > na ? 1 : 0);
}

function blockInputs(bits: readonly number[], k: number): Exact[] {
  if (!Number.isInteger(k) || k < 1) fail(`block size ${k} must be a positive integer`);
  if (bits.length > k) fail(`a block holds at most k = ${k} values; got ${bits.length}`);
  return [...bits, ...new Array<number>(k - bits.length).fill(0)].map(fromBinary32Bits);
}

function amaxOf(values: readonly FiniteExact[]): FiniteExact {
  let m: FiniteExact = POS_ZERO;
  for (const v of values) if (compare(abs(v), m) === 1) m = abs(v) as FiniteExact;
  return m;
}

const signBit = (x: FiniteExact, idx: number): number => (x.neg && idx !== 0 ? 8 : 0);

/**
 * Online (activation) quantization of at most k binary32 values (tail padded with +0): shared
 * exponent, 5-bit intermediates, two-stage dialect choice, elements rounded from the intermediate.
 * Any NaN/Inf → scale 0xFF, dialect 0, codes 0. All zero → scale 0, dialect 0, codes 0.
 */
export function dialectQuantizeActivation(bits: readonly number[], k = 32): DialectBlock {
  const values = blockInputs(bits, k);
  if (values.some((v) => v.kind !== 'finite'))
    return { scale: 0xff, dialect: 0, codes: new Array<number>(k).fill(0) };
  const fv = values as FiniteExact[];
  const amax = amaxOf(fv);
  if (amax.sig === 0n) return { scale: 0, dialect: 0, codes: new Array<number>(k).fill(0) };
  const s = dialectSharedExponent(amax);
  const qs = fv.map((v) => dialectIntermediate(v, s));
  const dialect = dialectSelectOnline(qs);
  const codes = fv.map((v, i) => {
    const idx = dialectIndexOfQuarter(dialect, qs[i] ?? 0);
    return signBit(v, idx) | idx;
  });
  return { scale: s + 127, dialect, codes };
}

/** Index of the nearest magnitude to the exact |y| (ties: larger magnitude; saturating). */
function indexOfExact(dialect: number, y: FiniteExact): number {
  const t = DIALECT_HALF_UNITS[dialect] as readonly number[];
  const y4 = scale2(abs(y), 2);
  let i = 0;
  while (i < 7 && compare(y4, fromInt(BigInt((t[i] ?? 0) + (t[i + 1] ?? 0)))) !== -1) i++;
  return i;
}

/** Exact squared error Σ(y - q)² of a block (values already divided by 2^s) under a dialect. */
export function dialectSquaredError(dialect: number, ys: readonly FiniteExact[]): Exact {
  checkDialect(dialect);
  let err: Exact = POS_ZERO;
  for (const y of ys) {
    const h = (DIALECT_HALF_UNITS[dialect] as readonly number[])[indexOfExact(dialect, y)] ?? 0;
    const d = sub(abs(y), fromInt(BigInt(h), -1));
    err = add(err, mul(d, d));
  }
  return err;
}

/**
 * Offline (weight) quantization: the same shared exponent, then the dialect with the least exact
 * squared error over the exactly scaled values (ties: the lowest id), elements rounded from the
 * exact values (nearest, ties to the larger magnitude, saturating). NaN/zero blocks as online.
 */
export function dialectQuantizeWeight(bits: readonly number[], k = 32): DialectBlock {
  const values = blockInputs(bits, k);
  if (values.some((v) => v.kind !== 'finite'))
    return { scale: 0xff, dialect: 0, codes: new Array<number>(k).fill(0) };
  const fv = values as FiniteExact[];
  const amax = amaxOf(fv);
  if (amax.sig === 0n) return { scale: 0, dialect: 0, codes: new Array<number>(k).fill(0) };
  const s = dialectSharedExponent(amax);
  const ys = fv.map((v) => scale2(v, -s) as FiniteExact);
  let best = 0;
  let bestErr: Exact | undefined;
  for (let d = 0; d < DIALECT_COUNT; d++) {
    const e = dialectSquaredError(d, ys);
    if (!bestErr || compare(e, bestErr) === -1) {
      best = d;
      bestErr = e;
    }
  }
  const codes = ys.map((y) => {
    const idx = indexOfExact(best, y);
    return signBit(y, idx) | idx;
  });
  return { scale: s + 127, dialect: best, codes };
}

/** Exact element values: h/2 · 2^s (all NaN when the scale is 0xFF). */
export function dialectDequantize(block: DialectBlock): Exact[] {
  checkDialect(block.dialect, 'block.dialect');
  if (block.scale === 0xff) return block.codes.map(() => NAN);
  const s = block.scale - 127;
  return block.codes.map((c) => fromInt(BigInt(dialectHalfUnits(block.dialect, c)), s - 1));
}

/**
 * Dot product of two blocks: Σ h_a·h_b (integer, half units squared) and its exponent
 * sa + sb - 2; NaN when either scale is 0xFF.
 */
export function dialectDot(
  a: DialectBlock,
  b: DialectBlock,
): { kind: 'finite'; sum: bigint; exp: number } | { kind: 'nan' } {
  checkDialect(a.dialect, 'a.dialect');
  checkDialect(b.dialect, 'b.dialect');
  if (a.codes.length !== b.codes.length)
    fail(`blocks of different lengths (${a.codes.length} and ${b.codes.length}) cannot be dotted`);
  if (a.scale === 0xff || b.scale === 0xff) return { kind: 'nan' };
  let sum = 0n;
  a.codes.forEach((c, i) => {
    sum += BigInt(dialectHalfUnits(a.dialect, c) * dialectHalfUnits(b.dialect, b.codes[i] ?? 0));
  });
  return { kind: 'finite', sum, exp: a.scale - 127 + (b.scale - 127) - 2 };
}
