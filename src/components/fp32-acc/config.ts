// fp32-acc config: whether the input beat is registered before the adder (stages 2) or the
// accumulator adds the beat straight from the input ports (stages 1).
import { z } from 'zod';
import type { Derived } from '../registry.js';

export const fp32AccSchema = z
  .object({
    /** 1: in_value feeds the adder directly; 2: an input register stage before the adder. */
    stages: z
      .number({ invalid_type_error: 'stages must be a number' })
      .int('stages must be an integer')
      .min(1, 'stages must be 1 (adder from the ports) or 2 (input register first)')
      .max(2, 'stages must be 1 (adder from the ports) or 2 (input register first)')
      .default(1),
  })
  .strict();

export type Fp32AccConfig = z.output<typeof fp32AccSchema>;

export const FP32_ACC_DEFAULTS: Fp32AccConfig = Object.freeze({ stages: 1 });

export interface Fp32AccDerived extends Derived {
  /** Additions per cycle (one input value per cycle, full throughput). */
  readonly valuesPerCycle: number;
}

export function deriveFp32Acc(cfg: Fp32AccConfig): Fp32AccDerived {
  return Object.freeze({ latencyCycles: cfg.stages, valuesPerCycle: 1 });
}

export function fp32AccName(cfg: Fp32AccConfig): string {
  return `fp32_acc_p${cfg.stages}`;
}
