// mx-quantize config: the MX format, block size k, scale policy and pipeline depth.
import { z } from 'zod';
import { SCALE_POLICIES } from '../../numerics/index.js';
import {
  blockSizeSchema,
  MX_FORMAT_NAMES,
  mxScaleFormat,
  shortMxName,
  stagesSchema,
} from '../mx-scale/index.js';
import type { Derived } from '../registry.js';

export const mxQuantizeSchema = z
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

export type MxQuantizeConfig = z.infer<typeof mxQuantizeSchema>;

export const MX_QUANTIZE_DEFAULTS: MxQuantizeConfig = Object.freeze({
  format: 'mxfp8_e4m3',
  k: 32,
  policy: 'floor',
  stages: 1,
});

export interface MxQuantizeDerived extends Derived {
  readonly elementBits: number;
}

export function deriveMxQuantize(cfg: MxQuantizeConfig): MxQuantizeDerived {
  const f = mxScaleFormat(cfg);
  return Object.freeze({ latencyCycles: cfg.stages, elementBits: f.element.bits });
}

export function mxQuantizeName(cfg: MxQuantizeConfig): string {
  const st = cfg.stages === 1 ? '' : `_p${cfg.stages}`;
  return `mx_quantize_${shortMxName(cfg.format)}_k${cfg.k}_${cfg.policy}${st}`;
}
