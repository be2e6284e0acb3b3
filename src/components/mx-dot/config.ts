// mx-dot config: the element formats of the two blocks (MX formats, or NVFP4 with E4M3 block
// scales), the block size k, whether a binary32 output is added, and the pipeline depth.
import { z } from 'zod';
import { getMxFormat } from '../../numerics/index.js';
import {
  arithFormat,
  exactSumWidth,
  type ArithFormat,
  type ArithFormatName,
} from '../arith/index.js';
import { blockSizeSchema, MX_FORMAT_NAMES, shortMxName, stagesSchema } from '../mx-scale/index.js';
import type { Derived } from '../registry.js';

export const DOT_FORMATS = [...MX_FORMAT_NAMES, 'nvfp4'] as const;
export type DotFormatName = (typeof DOT_FORMATS)[number];

const formatSchema = (field: string) =>
  z.enum(DOT_FORMATS, {
    errorMap: () => ({ message: `${field} must be one of ${DOT_FORMATS.join(', ')}` }),
  });

export const mxDotSchema = z
  .object({
    format: formatSchema('format'),
    /** The B block's format (default: the same as A). */
    bFormat: formatSchema('bFormat').optional(),
    k: blockSizeSchema.default(32),
    fp32: z.boolean({ invalid_type_error: 'fp32 must be true or false' }).default(true),
    /** Pipeline registers (default 1, or 2 with fp32: products and sum, then the rounding). */
    stages: stagesSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.fp32 && c.stages !== undefined && c.stages < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['stages'],
        message: `stages must be at least 2 with fp32 (the binary32 rounding has its own stage); got ${c.stages}`,
      });
    const b = c.bFormat ?? c.format;
    if ((c.format === 'nvfp4') !== (b === 'nvfp4'))
      ctx.addIssue({
        code: 'custom',
        path: ['bFormat'],
        message: `nvfp4 (E4M3 block scales) cannot be mixed with an E8M0-scaled MX format; got ${c.format} and ${b}`,
      });
  });

export type MxDotConfig = z.infer<typeof mxDotSchema>;

export const MX_DOT_DEFAULTS: MxDotConfig = Object.freeze({
  format: 'mxfp8_e4m3',
  k: 32,
  fp32: true,
});

export interface MxDotDerived extends Derived {
  readonly elementA: ArithFormatName;
  readonly elementB: ArithFormatName;
  readonly bitsA: number;
  readonly bitsB: number;
  /** Exact two's complement width of Σ sig_i(A)·sig_i(B) over k elements (formats.md 5.3). */
  readonly blockSumBits: number;
  /** Width of out_sum: blockSumBits, plus 8 for the NVFP4 scale-significand product. */
  readonly sumBits: number;
  readonly expBits: number;
  readonly nvfp4: boolean;
}

/** The pipeline depth: the configured stages, else 2 with fp32 and 1 without. */
export function stagesOf(cfg: MxDotConfig): number {
  return cfg.stages ?? (cfg.fp32 ? 2 : 1);
}

export function elementOf(name: DotFormatName): ArithFormatName {
  if (name === 'nvfp4') return 'fp4_e2m1';
  return getMxFormat(name).element.name as ArithFormatName;
}

export function deriveMxDot(cfg: MxDotConfig): MxDotDerived {
  const ea = elementOf(cfg.format);
  const eb = elementOf(cfg.bFormat ?? cfg.format);
  const fa: ArithFormat = arithFormat(ea);
  const fb: ArithFormat = arithFormat(eb);
  const nvfp4 = cfg.format === 'nvfp4';
  const blockSumBits = exactSumWidth(fa, fb, cfg.k);
  return Object.freeze({
    latencyCycles: stagesOf(cfg),
    elementA: ea,
    elementB: eb,
    bitsA: fa.bits,
    bitsB: fb.bits,
    blockSumBits,
    // E4M3 scale significands are 0..15 each: the product 0..225 needs 8 more bits.
    sumBits: nvfp4 ? blockSumBits + 8 : blockSumBits,
    // |Eres| ≤ 254 + 32 (E8M0) or 2·14 + 2·9 + 2 (NVFP4): s(10) holds both.
    expBits: 10,
    nvfp4,
  });
}

export function mxDotName(cfg: MxDotConfig): string {
  const b = cfg.bFormat ?? cfg.format;
  const short = (n: DotFormatName): string => (n === 'nvfp4' ? 'e2m1' : shortMxName(n));
  const out = cfg.fp32 ? '_fp32' : '';
  const st = cfg.stages === undefined ? '' : `_p${cfg.stages}`;
  if (cfg.format === 'nvfp4') return `nvfp4_dot_k${cfg.k}${out}${st}`;
  const elems = b === cfg.format ? short(cfg.format) : `${short(cfg.format)}_${short(b)}`;
  return `mx_dot_${elems}_k${cfg.k}${out}${st}`;
}
