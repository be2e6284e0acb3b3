// gelu / silu config: lanes per beat, input code width (≤ 8: the unit is a table of every code)
// and scale, output code width and scale; gelu also picks the erf (i-GELU) or tanh form.
// Golden: numerics intActivationCode.
import { z } from 'zod';
import type { ActivationOp, IntActivationParams } from '../../numerics/index.js';
import type { Derived } from '../registry.js';
import { expName } from '../softmax/config.js';

const int = (name: string, lo: number, hi: number) =>
  z
    .number({ invalid_type_error: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(lo, `${name} must be at least ${lo}`)
    .max(hi, `${name} must be at most ${hi}`);

const fields = {
  n: int('n', 1, 64).default(16),
  inBits: int('inBits', 2, 8).default(8),
  inScaleExp: int('inScaleExp', -12, 4).default(-4),
  outBits: int('outBits', 2, 16).default(8),
  outScaleExp: int('outScaleExp', -32, 32).default(-5),
  stages: int('stages', 1, 4).default(1),
};

export const geluSchema = z
  .object({
    ...fields,
    form: z
      .enum(['erf', 'tanh'], { errorMap: () => ({ message: 'form must be erf or tanh' }) })
      .default('erf'),
  })
  .strict();
export const siluSchema = z.object(fields).strict();

export type GeluConfig = z.infer<typeof geluSchema>;
export type SiluConfig = z.infer<typeof siluSchema>;
export type ActivationConfig = SiluConfig & { readonly form?: 'erf' | 'tanh' };

export const SILU_DEFAULTS: SiluConfig = Object.freeze({
  n: 16,
  inBits: 8,
  inScaleExp: -4,
  outBits: 8,
  outScaleExp: -5,
  stages: 1,
});
export const GELU_DEFAULTS: GeluConfig = Object.freeze({ ...SILU_DEFAULTS, form: 'erf' });

export function activationOp(cfg: ActivationConfig): ActivationOp {
  return cfg.form === undefined ? 'silu' : cfg.form === 'erf' ? 'gelu-erf' : 'gelu-tanh';
}

export function activationParams(cfg: ActivationConfig): IntActivationParams {
  return {
    op: activationOp(cfg),
    inBits: cfg.inBits,
    inScaleExp: cfg.inScaleExp,
    outBits: cfg.outBits,
    outScaleExp: cfg.outScaleExp,
  };
}

export function deriveActivation(cfg: ActivationConfig): Derived {
  return Object.freeze({
    latencyCycles: cfg.stages,
    tableEntries: 2 ** cfg.inBits,
    beatsPerCycle: 1,
  });
}

export function activationName(cfg: ActivationConfig): string {
  const st = cfg.stages === 1 ? '' : `_p${cfg.stages}`;
  return (
    `${activationOp(cfg).replace('-', '_')}_n${cfg.n}_int${cfg.inBits}s${expName(cfg.inScaleExp)}` +
    `_int${cfg.outBits}s${expName(cfg.outScaleExp)}${st}`
  );
}
