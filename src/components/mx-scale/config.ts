// mx-scale config: the MX format whose emax_elem / element max / mantissa bits set the scale, the
// block size k, the scale policy (docs/numerics.md) and the pipeline depth.
import { z } from 'zod';
import { getMxFormat, SCALE_POLICIES, type MxFormat } from '../../numerics/index.js';
import type { Derived } from '../registry.js';

export const MX_FORMAT_NAMES = [
  'mxint8',
  'mxfp8_e4m3',
  'mxfp8_e5m2',
  'mxfp6_e2m3',
  'mxfp6_e3m2',
  'mxfp4_e2m1',
] as const;
export type MxFormatName = (typeof MX_FORMAT_NAMES)[number];

/** `e4m3`, `e2m1`, `int8`: the element part of an MX format name, for module names. */
export function shortMxName(name: MxFormatName): string {
  return name === 'mxint8' ? 'int8' : name.replace(/^mxfp\d_/, '');
}

export const blockSizeSchema = z
  .number({ invalid_type_error: 'k must be a number' })
  .int('k must be an integer')
  .min(1, 'k must be at least 1')
  .max(64, 'k must be at most 64 (one beat carries the whole block)');

export const stagesSchema = z
  .number({ invalid_type_error: 'stages must be a number' })
  .int('stages must be an integer')
  .min(1, 'stages must be at least 1 (the output register)')
  .max(4, 'stages must be at most 4');

export const mxScaleSchema = z
  .object({
    format: z.enum(MX_FORMAT_NAMES, {
      errorMap: () => ({ message: `format must be one of ${MX_FORMAT_NAMES.join(', ')}` }),
    }),
    k: blockSizeSchema.default(32),
    policy: z
      .enum(SCALE_POLICIES as ['floor', 'ceil', 'even', 'rceil'], {
        errorMap: () => ({ message: `policy must be one of ${SCALE_POLICIES.join(', ')}` }),
      })
      .default('floor'),
    stages: stagesSchema.default(1),
  })
  .strict();

export type MxScaleConfig = z.infer<typeof mxScaleSchema>;

export const MX_SCALE_DEFAULTS: MxScaleConfig = Object.freeze({
  format: 'mxfp8_e4m3',
  k: 32,
  policy: 'floor',
  stages: 1,
});

export function mxScaleFormat(cfg: { readonly format: MxFormatName }): MxFormat {
  return getMxFormat(cfg.format);
}

export function deriveMxScale(cfg: MxScaleConfig): Derived {
  const f = mxScaleFormat(cfg);
  return Object.freeze({ latencyCycles: cfg.stages, emaxElem: f.emaxElem, inputBits: 32 * cfg.k });
}

export function mxScaleName(cfg: MxScaleConfig): string {
  const st = cfg.stages === 1 ? '' : `_p${cfg.stages}`;
  return `mx_scale_${shortMxName(cfg.format)}_k${cfg.k}_${cfg.policy}${st}`;
}
