// Rotary position embedding (RoPE) in integers (docs/numerics.md "rope"): the token's q|k|v codes
// (heads q heads, kvHeads k heads, kvHeads v heads of headDim each); every q and k head has its
// pairs (2i, 2i+1) rotated by the angle pos·θ_i, θ_i = base^(-2i/headDim), with cos/sin from a
// constant table of signed codes at 2^-fracBits (RNE of the binary64 value); one exact integer
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

/** The angle of pair i at position pos, in binary64: pos · base^(-2i/headDim). */
export function ropeAngle(p: Pick<IntRopeParams, 'base' | 'headDim'>, pos: number, i: number) {
  return pos * Math.pow(p.base, (-2 * i) / p.headDim);
}

/** The constant tables: `cos[pos][i]`, `sin[pos][i]` = RNE(cos/sin(angle) · 2^fracBits). */
export function ropeTables(p: IntRopeParams): { cos: number[][]; sin: number[][] } {
  checkIntRopeParams(p);
  const one = 2 ** p.fracBits;
  // RNE: Math.round rounds ties up; a tie that went to an odd integer goes back down by one.
  const q = (v: number): number => {
    const t = v * one;
    const r = Math.round(t);
    return r - t === 0.5 && r % 2 !== 0 ? r - 1 : r;
  };
  const rows = (f: (a: number) => number): number[][] =>
    Array.from({ length: p.seqLen }, (_, pos) =>
      Array.from({ length: p.headDim / 2 }, (_, i) => q(f(ropeAngle(p, pos, i)))),
    );
  return { cos: rows(Math.cos), sin: rows(Math.sin) };
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
  const cos = tables.cos[pos] ?? [];
  const sin = tables.sin[pos] ?? [];
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
