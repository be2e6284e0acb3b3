// mul config: lanes per beat, the two signed input codes and the output code with their
// power-of-two scales. Golden: numerics intMul.
import { z } from 'zod';
import { intMulShift, type IntMulParams } from '../../numerics/index.js';
import type { Derived } from '../registry.js';
import { expName } from '../softmax/config.js';

const int = (name: string, lo: number, hi: number) =>
  z
    .number({ invalid_type_error: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(lo, `${name} must be at least ${lo}`)
    .max(hi, `${name} must be at most ${hi}`);

export const mulSchema = z
  .object({
    n: int('n', 1, 64).default(16),
    aBits: int('aBits', 2, 16).default(8),
    aScaleExp: int('aScaleExp', -32, 32).default(-4),
    bBits: int('bBits', 2, 16).default(8),
    bScaleExp: int('bScaleExp', -32, 32).default(-4),
    outBits: int('outBits', 2, 16).default(8),
    outScaleExp: int('outScaleExp', -32, 32).default(-4),
    stages: int('stages', 1, 4).default(1),
  })
  .strict();

export type MulConfig = z.infer<typeof mulSchema>;

export const MUL_DEFAULTS: MulConfig = Object.freeze({
  n: 16,
  aBits: 8,
  aScaleExp: -4,
  bBits: 8,
  bScaleExp: -4,
  outBits: 8,
  outScaleExp: -4,
  stages: 1,
});

export const mulParams = (cfg: MulConfig): IntMulParams => cfg;

export function deriveMul(cfg: MulConfig): Derived {
  return Object.freeze({ latencyCycles: cfg.stages, shift: intMulShift(cfg), beatsPerCycle: 1 });
}

export function mulName(cfg: MulConfig): string {
  const st = cfg.stages === 1 ? '' : `_p${cfg.stages}`;
  return (
    `mul_n${cfg.n}_int${cfg.aBits}s${expName(cfg.aScaleExp)}_int${cfg.bBits}s${expName(cfg.bScaleExp)}` +
    `_int${cfg.outBits}s${expName(cfg.outScaleExp)}${st}`
  );
}
