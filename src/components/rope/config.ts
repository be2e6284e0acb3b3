// rope config: rotary position embedding of one token's q|k|v codes per beat (heads q heads,
// kvHeads k and v heads of headDim), at the unit's own position counter (0..seqLen-1, restarting
// after seqLen tokens: one sequence). Golden: numerics intRope with its cos/sin tables.
import { z } from 'zod';
import { type IntRopeParams, ropeShift } from '../../numerics/index.js';
import type { Derived } from '../registry.js';
import { expName } from '../softmax/config.js';

const int = (name: string, lo: number, hi: number) =>
  z
    .number({ invalid_type_error: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(lo, `${name} must be at least ${lo}`)
    .max(hi, `${name} must be at most ${hi}`);

export const ropeSchema = z
  .object({
    heads: int('heads', 1, 64).default(2),
    kvHeads: int('kvHeads', 1, 64).default(1),
    headDim: int('headDim', 2, 256).default(4),
    /** Positions of one sequence (the cos/sin table rows); the counter restarts after it. */
    seqLen: int('seqLen', 1, 4096).default(8),
    base: int('base', 2, 1_000_000).default(10000),
    /** cos/sin table codes at 2^-fracBits (signed fracBits + 2 bits). */
    fracBits: int('fracBits', 2, 20).default(14),
    inBits: int('inBits', 2, 16).default(8),
    inScaleExp: int('inScaleExp', -32, 32).default(-4),
    outBits: int('outBits', 2, 16).default(8),
    outScaleExp: int('outScaleExp', -32, 32).default(-4),
    stages: int('stages', 1, 4).default(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.headDim % 2 !== 0)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['headDim'],
        message: `headDim must be even (RoPE rotates pairs); got ${c.headDim}`,
      });
  });

export type RopeConfig = z.infer<typeof ropeSchema>;

export const ROPE_DEFAULTS: RopeConfig = Object.freeze({
  heads: 2,
  kvHeads: 1,
  headDim: 4,
  seqLen: 8,
  base: 10000,
  fracBits: 14,
  inBits: 8,
  inScaleExp: -4,
  outBits: 8,
  outScaleExp: -4,
  stages: 1,
});

export const ropeParams = (c: RopeConfig): IntRopeParams => c;

/** Features of one beat: (heads + 2·kvHeads)·headDim. */
export const ropeFeatures = (c: RopeConfig): number => (c.heads + 2 * c.kvHeads) * c.headDim;

export function deriveRope(c: RopeConfig): Derived {
  return Object.freeze({
    latencyCycles: c.stages,
    shift: ropeShift(c),
    tableEntries: 2 * c.seqLen * (c.headDim / 2),
    beatsPerCycle: 1,
  });
}

export function ropeName(c: RopeConfig): string {
  const st = c.stages === 1 ? '' : `_p${c.stages}`;
  return (
    `rope_h${c.heads}kv${c.kvHeads}d${c.headDim}_l${c.seqLen}_b${c.base}_f${c.fracBits}` +
    `_int${c.inBits}s${expName(c.inScaleExp)}_int${c.outBits}s${expName(c.outScaleExp)}${st}`
  );
}
