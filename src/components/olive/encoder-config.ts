// olive-encoder config: variant, pairs per beat, pipeline depth. Input: binary32 values and a
// per-beat power-of-two scale σ = 2^in_sigma_exp (s8), so y = x/σ is exact.
import { z } from 'zod';
import { stagesSchema } from '../mx-scale/index.js';
import type { Derived } from '../registry.js';
import { OLIVE_VARIANTS } from './pe-config.js';

export const oliveEncoderSchema = z
  .object({
    variant: z
      .enum(OLIVE_VARIANTS, {
        errorMap: () => ({ message: `variant must be one of ${OLIVE_VARIANTS.join(', ')}` }),
      })
      .default('olive4'),
    pairs: z
      .number({ invalid_type_error: 'pairs must be a number' })
      .int('pairs must be an integer')
      .min(1, 'pairs must be at least 1')
      .max(32, 'pairs must be at most 32'),
    stages: stagesSchema.default(1),
  })
  .strict();

export type OliveEncoderConfig = z.infer<typeof oliveEncoderSchema>;

export const OLIVE_ENCODER_DEFAULTS: OliveEncoderConfig = Object.freeze({
  variant: 'olive4',
  pairs: 1,
  stages: 1,
});

export interface OliveEncoderDerived extends Derived {
  readonly codeBits: number;
}

export function deriveOliveEncoder(cfg: OliveEncoderConfig): OliveEncoderDerived {
  return Object.freeze({
    latencyCycles: cfg.stages,
    codeBits: (cfg.variant === 'olive4' ? 8 : 16) * cfg.pairs,
  });
}

export function oliveEncoderName(cfg: OliveEncoderConfig): string {
  const st = cfg.stages === 1 ? '' : `_p${cfg.stages}`;
  return `olive_encoder_${cfg.variant}_p${cfg.pairs}${st}`;
}
