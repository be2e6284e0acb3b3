// Matrix product of two activations (attention's Q·Kᵀ and P·V), batched over heads, with
// grouped-query sharing of the b operand: exact integer sums of products, one RNE rescale,
// saturation (docs/numerics.md "matmul of two activations").
import { fail } from '../errors.js';
import { checkIntParam, checkSignedCodes, rneShift, satSigned } from './fixed.js';

export interface IntMatmulParams {
  /** Heads of a and of the output; b has `kvHeads` heads, each shared by heads / kvHeads. */
  readonly heads: number;
  readonly kvHeads: number;
  /** Per head: a is m × k, b is k × n (or n × k when `transposeB`), the output m × n. */
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** b holds n × k per head (row j = column j of the product's right operand): Q·Kᵀ. */
  readonly transposeB: boolean;
  /** Signed code widths (2..16) and power-of-two scales: value = code · 2^scaleExp. */
  readonly aBits: number;
  readonly aScaleExp: number;
  readonly bBits: number;
  readonly bScaleExp: number;
  readonly outBits: number;
  readonly outScaleExp: number;
}

export function checkIntMatmulParams(p: IntMatmulParams): void {
  for (const k of ['heads', 'kvHeads', 'm', 'k', 'n'] as const) checkIntParam(k, p[k], 1, 4096);
  if (p.heads % p.kvHeads !== 0)
    fail(`heads (${p.heads}) must be a multiple of kvHeads (${p.kvHeads})`);
  for (const k of ['aBits', 'bBits', 'outBits'] as const) checkIntParam(k, p[k], 2, 16);
  for (const k of ['aScaleExp', 'bScaleExp', 'outScaleExp'] as const)
    checkIntParam(k, p[k], -32, 32);
}

/** Right shift applied to each exact sum: `outScaleExp - aScaleExp - bScaleExp`. */
export function intMatmulShift(p: IntMatmulParams): number {
  return p.outScaleExp - p.aScaleExp - p.bScaleExp;
}

/** Index into b (flattened, head-major) of element (row i of k, column j of n) for head h. */
export function matmulBIndex(p: IntMatmulParams, h: number, i: number, j: number): number {
  const kv = Math.floor(h / (p.heads / p.kvHeads));
  return kv * p.k * p.n + (p.transposeB ? j * p.k + i : i * p.n + j);
}

/**
 * `y[h][r][j] = sat(RNE(Σ_i a[h][r][i] · b[h'][i][j] · 2^(sa + sb - so)))`, h' = the kv head of
 * h; a is heads·m·k codes (head, row, column order), b kvHeads·k·n (kvHeads·n·k transposed), the
 * result heads·m·n. The sum is exact (BigInt), so the order of the additions does not matter.
 */
export function intMatmul(
  a: readonly number[],
  b: readonly number[],
  p: IntMatmulParams,
): number[] {
  checkIntMatmulParams(p);
  if (a.length !== p.heads * p.m * p.k)
    fail(`intMatmul: a has ${a.length} elements; heads·m·k = ${p.heads * p.m * p.k}`);
  if (b.length !== p.kvHeads * p.k * p.n)
    fail(`intMatmul: b has ${b.length} elements; kvHeads·k·n = ${p.kvHeads * p.k * p.n}`);
  checkSignedCodes('a', a, p.aBits);
  checkSignedCodes('b', b, p.bBits);
  const shift = intMatmulShift(p);
  const out: number[] = [];
  for (let h = 0; h < p.heads; h++)
    for (let r = 0; r < p.m; r++)
      for (let j = 0; j < p.n; j++) {
        let s = 0n;
        for (let i = 0; i < p.k; i++)
          s +=
            BigInt(a[(h * p.m + r) * p.k + i] as number) *
            BigInt(b[matmulBIndex(p, h, i, j)] as number);
        out.push(Number(satSigned(rneShift(s, shift), p.outBits)));
      }
  return out;
}
