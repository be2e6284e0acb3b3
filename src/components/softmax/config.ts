// softmax config: row length (one row per beat), input code width and scale, output code width
// and fraction bits. Golden: numerics intSoftmax (two-pass form: chunk = n).
import { z } from 'zod';
import { SOFTMAX_RECIP_BITS } from '../../numerics/index.js';
import type { Derived } from '../registry.js';

const int = (name: string, lo: number, hi: number) =>
  z
    .number({ invalid_type_error: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(lo, `${name} must be at least ${lo}`)
    .max(hi, `${name} must be at most ${hi}`);

export const softmaxSchema = z
  .object({
    n: int('n', 1, 64).default(16),
    inBits: int('inBits', 2, 16).default(8),
    inScaleExp: int('inScaleExp', -16, 4).default(-4),
    outBits: int('outBits', 2, 16).default(8),
    outFracBits: int('outFracBits', 1, 24).default(8),
  })
  .strict();

export type SoftmaxConfig = z.infer<typeof softmaxSchema>;

export const SOFTMAX_DEFAULTS: SoftmaxConfig = Object.freeze({
  n: 16,
  inBits: 8,
  inScaleExp: -4,
  outBits: 8,
  outFracBits: 8,
});

/** `m3` for -3 in module names. */
export const expName = (e: number): string => (e < 0 ? `m${-e}` : `${e}`);

export function deriveSoftmax(cfg: SoftmaxConfig): Derived {
  const sumBits = (BigInt(cfg.n) << 15n).toString(2).length;
  return Object.freeze({
    latencyCycles: 2,
    sumBits,
    recipBits: SOFTMAX_RECIP_BITS - 15 + 1,
    rowsPerCycle: 1,
  });
}

export function softmaxName(cfg: SoftmaxConfig): string {
  return `softmax_n${cfg.n}_int${cfg.inBits}_s${expName(cfg.inScaleExp)}_u${cfg.outBits}f${cfg.outFracBits}`;
}
