// Exact MX dot products (formats.md 5.2): Dot of one pair of blocks as (S, Eres) in BigInt, and
// DotGeneral over many blocks in 'exact' or 'fp32-blockwise' mode.
import { fromBinary32Bits, toBinary32Bits } from './binary.js';
import { decodeFixed } from './decode.js';
import { fail } from './errors.js';
import { add, type Exact, finite, NAN, NEG_INF, POS_INF, POS_ZERO } from './exact.js';
import type { MxBlock } from './mx-formats.js';

/** Exact block result: value `sum · 2^exp`, or NaN / ±Inf (5.2 steps 1-3). */
export type DotResult =
  | { readonly kind: 'finite'; readonly sum: bigint; readonly exp: number }
  | { readonly kind: 'nan' }
  | { readonly kind: 'inf'; readonly neg: boolean };

/**
 * `Dot(A, B) = X(A)·X(B)·Σ P_i(A)·P_i(B)`, exact. The two blocks may use different element
 * formats but must have the same number of elements.
 */
export function mxDot(a: MxBlock, b: MxBlock): DotResult {
  if (a.codes.length !== b.codes.length)
    fail(`mxDot needs blocks of equal length; got ${a.codes.length} and ${b.codes.length}`);
  if (a.scale === 0xff || b.scale === 0xff) return { kind: 'nan' };
  let sum = 0n;
  let posInf = false;
  let negInf = false;
  for (let i = 0; i < a.codes.length; i++) {
    const pa = decodeFixed(a.format.element, a.codes[i] ?? 0);
    const pb = decodeFixed(b.format.element, b.codes[i] ?? 0);
    if (pa.kind === 'nan' || pb.kind === 'nan') return { kind: 'nan' };
    if (pa.kind === 'inf' || pb.kind === 'inf') {
      const other = pa.kind === 'inf' ? pb : pa;
      if (other.kind === 'finite' && other.sig === 0n) return { kind: 'nan' };
      const negA = pa.kind === 'inf' ? pa.neg : pa.sig < 0n;
      const negB = pb.kind === 'inf' ? pb.neg : pb.sig < 0n;
      if (negA !== negB) negInf = true;
      else posInf = true;
      continue;
    }
    sum += pa.sig * pb.sig;
  }
  if (posInf && negInf) return { kind: 'nan' };
  if (posInf || negInf) return { kind: 'inf', neg: negInf };
  const exp = a.scale - 127 + (b.scale - 127) + a.format.element.lsbExp + b.format.element.lsbExp;
  return { kind: 'finite', sum, exp };
}

/** The exact value of a block result (an exact zero is +0). */
export function dotResultToExact(r: DotResult): Exact {
  if (r.kind === 'nan') return NAN;
  if (r.kind === 'inf') return r.neg ? NEG_INF : POS_INF;
  return finite(false, r.sum, r.exp);
}

/** binary32 bits of a block result, one RNE rounding (7.3); an exact zero is +0. */
export function dotResultToBinary32(r: DotResult): number {
  return toBinary32Bits(dotResultToExact(r));
}

export type DotGeneralMode = 'exact' | 'fp32-blockwise';

export interface DotGeneralResult {
  /** 'exact': the exact sum; 'fp32-blockwise': the binary32 accumulator's value. */
  readonly value: Exact;
  /** The result rounded once (RNE) to binary32 bits. */
  readonly binary32: number;
}

/** `DotGeneral`: Σ_j Dot(A_j, B_j) over equally long lists of blocks (5.2). */
export function dotGeneral(
  as: readonly MxBlock[],
  bs: readonly MxBlock[],
  mode: DotGeneralMode = 'exact',
): DotGeneralResult {
  if (as.length !== bs.length)
    fail(`dotGeneral needs as many blocks on each side; got ${as.length} and ${bs.length}`);
  if (mode !== 'exact' && mode !== 'fp32-blockwise')
    fail(`dotGeneral mode '${String(mode)}' is unknown; use 'exact' or 'fp32-blockwise'`);
  let acc: Exact = POS_ZERO;
  for (let j = 0; j < as.length; j++) {
    const r = dotResultToExact(mxDot(as[j] as MxBlock, bs[j] as MxBlock));
    if (mode === 'exact') acc = add(acc, r);
    else {
      // IEEE binary32 addition is the exact sum rounded once (RNE); block result rounded first.
      const rb = fromBinary32Bits(toBinary32Bits(r));
      acc = fromBinary32Bits(toBinary32Bits(add(acc, rb)));
    }
  }
  return { value: acc, binary32: toBinary32Bits(acc) };
}
