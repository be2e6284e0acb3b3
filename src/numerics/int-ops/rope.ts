// Rotary position embedding (RoPE) in integers (docs/numerics.md "rope"): the token's q|k|v codes
// (heads q heads, kvHeads k heads, kvHeads v heads of headDim each); every q and k head has its
// pairs (2i, 2i+1) rotated by the angle pos·θ_i, θ_i = base^(-2i/headDim), with cos/sin from a
// constant table of signed codes at 2^-fracBits (computed in integers, RNE); one exact integer
// sum per output element, then one RNE shift to the output code and saturation. v passes through
// the same rounding as a rotation by 0 (cos = 2^fracBits, sin = 0).
import { fail } from '../errors.js';
import { checkIntParam, checkSignedCodes, rneShift, satSigned } from './fixed.js';

export interface IntRopeParams {
  readonly heads: number;
  readonly kvHeads: number;
  /** Features per head, even: headDim / 2 pairs, pair i at (2i, 2i + 1). */
  readonly headDim: number;
  /** Positions of one sequence: the table has seqLen rows (position 0..seqLen-1). */
  readonly seqLen: number;
  /** θ_i = base^(-2i/headDim) (LLaMA: 10000). */
  readonly base: number;
  /** Table codes: round(cos·2^fracBits), round(sin·2^fracBits), signed fracBits + 2 bits. */
  readonly fracBits: number;
  readonly inBits: number;
  readonly inScaleExp: number;
  readonly outBits: number;
  readonly outScaleExp: number;
}

export function checkIntRopeParams(p: IntRopeParams): void {
  checkIntParam('heads', p.heads, 1, 256);
  checkIntParam('kvHeads', p.kvHeads, 1, 256);
  checkIntParam('headDim', p.headDim, 2, 4096);
  if (p.headDim % 2 !== 0) fail(`headDim must be even (pairs are rotated); got ${p.headDim}`);
  checkIntParam('seqLen', p.seqLen, 1, 65536);
  checkIntParam('base', p.base, 2, 1_000_000);
  checkIntParam('fracBits', p.fracBits, 2, 20);
  for (const k of ['inBits', 'outBits'] as const) checkIntParam(k, p[k], 2, 16);
  for (const k of ['inScaleExp', 'outScaleExp'] as const) checkIntParam(k, p[k], -32, 32);
}

/** Right shift of an exact rotated sum (at 2^(inScaleExp - fracBits)) to the output code. */
export function ropeShift(p: IntRopeParams): number {
  return p.outScaleExp - p.inScaleExp + p.fracBits;
}

/** The angle of pair i at position pos in binary64 (for FP64 references, not the tables). */
export function ropeAngle(p: Pick<IntRopeParams, 'base' | 'headDim'>, pos: number, i: number) {
  return pos * Math.pow(p.base, (-2 * i) / p.headDim);
}

// The tables in integer arithmetic only: reals as integers at 2^-W (W = 96 fraction bits), every
// product truncated (error < 2^-90 per step); the cos/sin of an angle up to 2^16 rad is then within
// 2^-70 of the real value, so its RNE to fracBits ≤ 20 is the RNE of the real cos/sin unless that
// lies within 2^-70 of a rounding tie.
const W = 96n;
const ONE = 1n << W;
const mulW = (a: bigint, b: bigint): bigint => (a * b) >> W;

/** atanh(num/den) at 2^-W for 0 ≤ num/den ≤ 1/3: Σ u^(2k+1)/(2k+1). */
function atanhW(num: bigint, den: bigint): bigint {
  let pow = (ONE * num) / den;
  let sum = 0n;
  for (let k = 1n; pow !== 0n; k += 2n) {
    sum += pow / k;
    pow = (pow * num * num) / (den * den);
  }
  return sum;
}

/** atan(1/n) at 2^-W: Σ (−1)^k / ((2k+1)·n^(2k+1)). */
function atanInvW(n: bigint): bigint {
  let pow = ONE / n;
  let sum = 0n;
  for (let k = 1n, sign = 1n; pow !== 0n; k += 2n, sign = -sign) {
    sum += (sign * pow) / k;
    pow /= n * n;
  }
  return sum;
}

const LN2_W = 2n * atanhW(1n, 3n);
const PI_W = 16n * atanInvW(5n) - 4n * atanInvW(239n); // Machin

/** ln(b) at 2^-W for an integer b ≥ 2: b = 2^m·r, ln r = 2·atanh((b − 2^m)/(b + 2^m)). */
function lnIntW(b: bigint): bigint {
  const m = BigInt(b.toString(2).length - 1);
  return m * LN2_W + 2n * atanhW(b - (1n << m), b + (1n << m));
}

/** e^(-t) at 2^-W for t ≥ 0 at 2^-W: t = n·ln2 + f, e^(-f) by its Taylor series, then 2^-n. */
function expNegW(t: bigint): bigint {
  const n = t / LN2_W;
  const f = t - n * LN2_W;
  let term = ONE;
  let sum = 0n;
  for (let k = 1n; term !== 0n; k++) {
    sum += term;
    term = -mulW(term, f) / k;
  }
  return sum >> n;
}

/** cos and sin at 2^-W of an angle a ≥ 0 at 2^-W: reduced to [−π, π), then Taylor series. */
function cosSinW(a: bigint): [bigint, bigint] {
  let r = a % (2n * PI_W);
  if (r >= PI_W) r -= 2n * PI_W;
  const r2 = mulW(r, r);
  let c = 0n;
  let s = 0n;
  let tc = ONE;
  let ts = r;
  for (let k = 0n; tc !== 0n || ts !== 0n; k++) {
    c += tc;
    s += ts;
    tc = -mulW(tc, r2) / ((2n * k + 1n) * (2n * k + 2n));
    ts = -mulW(ts, r2) / ((2n * k + 2n) * (2n * k + 3n));
  }
  return [c, s];
}

/**
 * The constant tables: `cos[pos][i]`, `sin[pos][i]` = RNE(cos/sin(pos·θ_i)·2^fracBits), θ_i =
 * base^(-2i/headDim) = e^(-(2i/headDim)·ln base), all in integer arithmetic (above).
 */
export function ropeTables(p: IntRopeParams): { cos: number[][]; sin: number[][] } {
  checkIntRopeParams(p);
  const lnb = lnIntW(BigInt(p.base));
  const theta = Array.from({ length: p.headDim / 2 }, (_, i) =>
    expNegW((2n * BigInt(i) * lnb) / BigInt(p.headDim)),
  );
  const cos: number[][] = [];
  const sin: number[][] = [];
  const code = (v: bigint): number => Number(rneShift(v, Number(W) - p.fracBits));
  for (let pos = 0; pos < p.seqLen; pos++) {
    const cs = theta.map((t) => cosSinW(BigInt(pos) * t));
    cos.push(cs.map(([c]) => code(c)));
    sin.push(cs.map(([, s]) => code(s)));
  }
  return { cos, sin };
}

/** Signed width of a table code: |code| ≤ 2^fracBits needs fracBits + 2 bits. */
export const ropeTableBits = (p: Pick<IntRopeParams, 'fracBits'>): number => p.fracBits + 2;

/**
 * One token at position `pos` (0..seqLen-1): for each q/k pair (x0, x1) with table (c, s),
 * y0 = sat(RNE((x0·c − x1·s) · 2^-k)), y1 = sat(RNE((x0·s + x1·c) · 2^-k)), k = ropeShift; each
 * v code y = sat(RNE(x·2^fracBits · 2^-k)).
 */
export function intRope(
  x: readonly number[],
  pos: number,
  p: IntRopeParams,
  tables: {
    readonly cos: readonly (readonly number[])[];
    readonly sin: readonly (readonly number[])[];
  } = ropeTables(p),
): number[] {
  checkIntRopeParams(p);
  const d = p.headDim;
  const n = (p.heads + 2 * p.kvHeads) * d;
  if (x.length !== n)
    fail(`intRope: ${x.length} codes; expected (heads + 2·kvHeads)·headDim = ${n}`);
  checkIntParam('pos', pos, 0, p.seqLen - 1);
  checkSignedCodes('x', x, p.inBits);
  const k = ropeShift(p);
  const out = (v: bigint): number => Number(satSigned(rneShift(v, k), p.outBits));
  const rotated = (p.heads + p.kvHeads) * d;
  // Caller-supplied tables (the hardware's ROM contents) must cover the position and every pair:
  // a missing entry is an error, never a rotation by 0.
  const cos = tables.cos[pos] ?? [];
  const sin = tables.sin[pos] ?? [];
  if (cos.length < d / 2 || sin.length < d / 2)
    fail(
      `intRope: the tables' row for position ${pos} has ${Math.min(cos.length, sin.length)} pairs; expected headDim/2 = ${d / 2}`,
    );
  const y: number[] = [];
  for (let j = 0; j < n; j += 2) {
    const x0 = BigInt(x[j] ?? 0);
    const x1 = BigInt(x[j + 1] ?? 0);
    if (j >= rotated) {
      const one = 1n << BigInt(p.fracBits);
      y.push(out(x0 * one), out(x1 * one));
      continue;
    }
    const i = (j % d) / 2;
    const c = BigInt(cos[i] ?? 0);
    const s = BigInt(sin[i] ?? 0);
    y.push(out(x0 * c - x1 * s), out(x0 * s + x1 * c));
  }
  return y;
}
