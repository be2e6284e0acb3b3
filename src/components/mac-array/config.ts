// mac-array config: schema with defaults and sentence-like errors, derived widths and latency,
// and the module name. K (products per output) is `depth` for output-stationary arrays and
// `rows` for weight-stationary ones; the accumulator is exactly wide enough for K products.
import { z } from 'zod';
import { MAX_WIDTH } from '../../hdl/index.js';
import {
  ARITH_FORMATS,
  arithFormat,
  exactSumWidth,
  hasSpecials,
  productWidth,
  shortFormatName,
  type ArithFormatName,
} from '../arith/index.js';
import type { Derived } from '../registry.js';

const formatEnum = z.enum(ARITH_FORMATS, {
  errorMap: () => ({ message: `must be one of ${ARITH_FORMATS.join(', ')}` }),
});
const dim = (what: string) =>
  z
    .number({ invalid_type_error: `${what} must be an integer` })
    .int(`${what} must be an integer`)
    .min(1, `${what} must be at least 1`)
    .max(64, `${what} must be at most 64`);

export const macArraySchema = z
  .object({
    rows: dim('rows').default(4),
    cols: dim('cols').default(4),
    dataflow: z
      .enum(['os', 'ws'], {
        errorMap: () => ({
          message: "must be 'os' (output-stationary) or 'ws' (weight-stationary)",
        }),
      })
      .default('os'),
    aFormat: formatEnum.default('int8'),
    bFormat: formatEnum.default('int8'),
    /** Output-stationary: k-steps accumulated per output tile (weight-stationary: equals rows). */
    depth: z
      .number({ invalid_type_error: 'depth must be an integer' })
      .int('depth must be an integer')
      .min(1, 'depth must be at least 1')
      .max(65536, 'depth must be at most 65536')
      .optional(),
    output: z
      .enum(['fixed', 'fp32'], {
        errorMap: () => ({
          message: "must be 'fixed' (accumulator only) or 'fp32' (also binary32)",
        }),
      })
      .default('fixed'),
    /** Accumulator width; default and minimum: the exact width for K products. */
    accWidthBits: z.number().int('accWidthBits must be an integer').optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.dataflow === 'ws' && c.depth !== undefined && c.depth !== c.rows)
      ctx.addIssue({
        code: 'custom',
        path: ['depth'],
        message: `depth of a weight-stationary array is its rows (${c.rows}); got ${c.depth}: leave depth out`,
      });
    const k = c.dataflow === 'ws' ? c.rows : (c.depth ?? 16);
    const w = exactSumWidth(arithFormat(c.aFormat), arithFormat(c.bFormat), k);
    if (c.accWidthBits !== undefined && (c.accWidthBits < w || c.accWidthBits > 256))
      ctx.addIssue({
        code: 'custom',
        path: ['accWidthBits'],
        message: `accWidthBits must be in ${w}..256 for ${c.aFormat} × ${c.bFormat} with K = ${k} (exact sum width ${w}); got ${c.accWidthBits}`,
      });
    // Every output element of a beat travels in one flat port, at most MAX_WIDTH bits wide.
    const outBits = (c.dataflow === 'ws' ? c.cols : c.rows * c.cols) * (c.accWidthBits ?? w);
    if (outBits > MAX_WIDTH)
      ctx.addIssue({
        code: 'custom',
        path: ['cols'],
        message: `out_acc would be ${outBits} bits (${c.dataflow === 'ws' ? c.cols : `${c.rows}×${c.cols}`} elements of ${c.accWidthBits ?? w} bits); the widest port is ${MAX_WIDTH} bits: use a smaller array, a smaller depth or narrower formats`,
      });
  });

export type MacArrayConfig = z.output<typeof macArraySchema>;

export interface MacArrayDerived extends Derived {
  /** Products summed into one output (depth for os, rows for ws). */
  readonly k: number;
  readonly accWidthBits: number;
  readonly exactAccWidthBits: number;
  readonly productWidthBits: number;
  /** Value of an accumulator LSB: 2^accLsbExp. */
  readonly accLsbExp: number;
  readonly aBits: number;
  readonly bBits: number;
  readonly specials: boolean;
  /** Output elements per beat (rows·cols for os, cols for ws). */
  readonly outElems: number;
}

export function deriveMacArray(c: MacArrayConfig): MacArrayDerived {
  const A = arithFormat(c.aFormat);
  const B = arithFormat(c.bFormat);
  const k = c.dataflow === 'ws' ? c.rows : (c.depth ?? 16);
  const exact = exactSumWidth(A, B, k);
  return Object.freeze({
    // Input registers, skew (i + j), result delay line to the far corner, output register.
    latencyCycles: c.rows + c.cols + 1,
    k,
    accWidthBits: c.accWidthBits ?? exact,
    exactAccWidthBits: exact,
    productWidthBits: productWidth(A, B),
    accLsbExp: A.lsbExp + B.lsbExp,
    aBits: A.bits,
    bBits: B.bits,
    specials: hasSpecials(A) || hasSpecials(B),
    outElems: c.dataflow === 'ws' ? c.cols : c.rows * c.cols,
  });
}

/** `mac_array_4x4_os_e4m3_int4_k16_acc24` (+ `_fp32` with binary32 outputs). */
export function macArrayName(c: MacArrayConfig): string {
  const d = deriveMacArray(c);
  const f = (x: ArithFormatName): string => shortFormatName(x);
  const kPart = c.dataflow === 'os' ? `_k${d.k}` : '';
  return `mac_array_${c.rows}x${c.cols}_${c.dataflow}_${f(c.aFormat)}_${f(c.bFormat)}${kPart}_acc${d.accWidthBits}${c.output === 'fp32' ? '_fp32' : ''}`;
}
