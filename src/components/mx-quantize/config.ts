// mx-quantize config: the block format (an OCP MX format, or NVFP4 with an E4M3 block scale and
// a power-of-two tensor scale g = 2^tensorScaleExp), block size k, scale policy (MX only) and
// pipeline depth.
import { z } from 'zod';
import { MxgenError } from '../../hdl/index.js';
import { SCALE_POLICIES, type MxFormat, type ScalePolicy } from '../../numerics/index.js';
import {
  blockSizeSchema,
  MX_FORMAT_NAMES,
  mxScaleFormat,
  shortMxName,
  stagesSchema,
} from '../mx-scale/index.js';
import type { Derived } from '../registry.js';

export const QUANTIZE_FORMATS = [...MX_FORMAT_NAMES, 'nvfp4'] as const;
export type QuantizeFormatName = (typeof QUANTIZE_FORMATS)[number];

/** NVFP4 block size (formats.md 9.2) and the range of g = 2^e that is a positive binary32. */
export const NVFP4_K = 16;
export const TENSOR_SCALE_EXP_MIN = -149;
export const TENSOR_SCALE_EXP_MAX = 127;

const objectSchema = z
  .object({
    format: z.enum(QUANTIZE_FORMATS, {
      errorMap: () => ({ message: `format must be one of ${QUANTIZE_FORMATS.join(', ')}` }),
    }),
    k: blockSizeSchema,
    /** MX formats only (default floor); NVFP4's E4M3 scale is always RNE(amax / 6g). */
    policy: z
      .enum(SCALE_POLICIES as ['floor', 'ceil', 'even', 'rceil'], {
        errorMap: () => ({ message: `policy must be one of ${SCALE_POLICIES.join(', ')}` }),
      })
      .optional(),
    /** NVFP4 only (default 0): the tensor scale is g = 2^tensorScaleExp, a constant. */
    tensorScaleExp: z
      .number({ invalid_type_error: 'tensorScaleExp must be a number' })
      .int('tensorScaleExp must be an integer (g = 2^tensorScaleExp)')
      .min(
        TENSOR_SCALE_EXP_MIN,
        `tensorScaleExp must be at least ${TENSOR_SCALE_EXP_MIN} (g = 2^-149 is the smallest positive binary32)`,
      )
      .max(
        TENSOR_SCALE_EXP_MAX,
        `tensorScaleExp must be at most ${TENSOR_SCALE_EXP_MAX} (g = 2^127 is the largest power of two in binary32)`,
      )
      .optional(),
    stages: stagesSchema.default(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    const nv = c.format === 'nvfp4';
    if (nv && c.k > NVFP4_K)
      ctx.addIssue({
        code: 'custom',
        path: ['k'],
        message: `k must be at most ${NVFP4_K} for nvfp4 (one NVFP4 block holds 16 values); got ${c.k}`,
      });
    if (nv && c.policy !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['policy'],
        message: `policy applies to E8M0-scaled MX formats only; nvfp4's E4M3 scale is always RNE(amax / 6g): remove policy`,
      });
    if (!nv && c.tensorScaleExp !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['tensorScaleExp'],
        message: `tensorScaleExp (g = 2^e) applies to nvfp4 only, not ${c.format}: remove it or use format nvfp4`,
      });
  });

/** The default block size depends on the format: 16 for nvfp4, 32 for the OCP MX formats. */
function fillBlockSize(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const r = raw as Record<string, unknown>;
  if (r['k'] !== undefined) return raw;
  return { ...r, k: r['format'] === 'nvfp4' ? NVFP4_K : 32 };
}

export const mxQuantizeSchema = z.preprocess(fillBlockSize, objectSchema);

export type MxQuantizeConfig = z.infer<typeof objectSchema>;

export const MX_QUANTIZE_DEFAULTS: MxQuantizeConfig = Object.freeze({
  format: 'mxfp8_e4m3',
  k: 32,
  policy: 'floor',
  stages: 1,
});

export const NVFP4_QUANTIZE_DEFAULTS: MxQuantizeConfig = Object.freeze({
  format: 'nvfp4',
  k: NVFP4_K,
  tensorScaleExp: 0,
  stages: 1,
});

export interface MxQuantizeDerived extends Derived {
  readonly elementBits: number;
}

export const isNvfp4 = (cfg: MxQuantizeConfig): boolean => cfg.format === 'nvfp4';

/** The MX scale policy (floor when omitted). */
export const policyOf = (cfg: MxQuantizeConfig): ScalePolicy => cfg.policy ?? 'floor';

/** The NVFP4 tensor scale exponent e of g = 2^e (0 when omitted). */
export const tensorScaleExpOf = (cfg: MxQuantizeConfig): number => cfg.tensorScaleExp ?? 0;

/** binary32 bits of g = 2^e (a subnormal below 2^-126). */
export function tensorScaleBits(e: number): number {
  return e >= -126 ? ((e + 127) << 23) >>> 0 : 2 ** (e + 149);
}

/** The OCP MX format of a config (NVFP4 has none: it is not E8M0-scaled). */
export function mxFormatOf(cfg: MxQuantizeConfig): MxFormat {
  if (cfg.format === 'nvfp4')
    throw new MxgenError('usage', 'mxFormatOf: nvfp4 is not an E8M0-scaled MX format', {
      hint: 'branch on isNvfp4(cfg) first',
    });
  return mxScaleFormat({ format: cfg.format });
}

export function deriveMxQuantize(cfg: MxQuantizeConfig): MxQuantizeDerived {
  const elementBits = isNvfp4(cfg) ? 4 : mxFormatOf(cfg).element.bits;
  return Object.freeze({ latencyCycles: cfg.stages, elementBits });
}

export function mxQuantizeName(cfg: MxQuantizeConfig): string {
  const st = cfg.stages === 1 ? '' : `_p${cfg.stages}`;
  if (cfg.format === 'nvfp4') {
    const e = tensorScaleExpOf(cfg);
    return `nvfp4_quantize_k${cfg.k}_g${e < 0 ? `m${-e}` : e}${st}`;
  }
  return `mx_quantize_${shortMxName(cfg.format)}_k${cfg.k}_${policyOf(cfg)}${st}`;
}
