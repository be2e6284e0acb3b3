// matmul config: a × b of two activations per beat (attention's Q·Kᵀ and P·V), batched over
// heads with grouped-query sharing of b, the signed codes and their power-of-two scales.
// Golden: numerics intMatmul.
import { z } from 'zod';
import { intMatmulShift, type IntMatmulParams } from '../../numerics/index.js';
import type { Derived } from '../registry.js';
import { expName } from '../softmax/config.js';

const int = (name: string, lo: number, hi: number) =>
  z
    .number({ invalid_type_error: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(lo, `${name} must be at least ${lo}`)
    .max(hi, `${name} must be at most ${hi}`);

/** Most codes per operand and most multipliers (heads·m·n·k) of one unit. */
export const MATMUL_MAX_CODES = 256;
export const MATMUL_MAX_PRODUCTS = 4096;

export const matmulSchema = z
  .object({
    heads: int('heads', 1, 64).default(1),
    kvHeads: int('kvHeads', 1, 64).default(1),
    m: int('m', 1, 64).default(2),
    k: int('k', 1, 256).default(4),
    n: int('n', 1, 64).default(2),
    transposeB: z
      .boolean({ invalid_type_error: 'transposeB must be true or false' })
      .default(false),
    aBits: int('aBits', 2, 16).default(8),
    aScaleExp: int('aScaleExp', -32, 32).default(-4),
    bBits: int('bBits', 2, 16).default(8),
    bScaleExp: int('bScaleExp', -32, 32).default(-4),
    outBits: int('outBits', 2, 16).default(8),
    outScaleExp: int('outScaleExp', -32, 32).default(-4),
    stages: int('stages', 1, 4).default(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    const bad = (path: string, message: string): void => {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    };
    if (c.heads % c.kvHeads !== 0)
      bad('kvHeads', `kvHeads must divide heads (${c.heads}); got ${c.kvHeads}`);
    if (c.heads * c.m * c.k > MATMUL_MAX_CODES)
      bad('k', `heads·m·k = ${c.heads * c.m * c.k} codes of a; at most ${MATMUL_MAX_CODES}`);
    if (c.kvHeads * c.k * c.n > MATMUL_MAX_CODES)
      bad('k', `kvHeads·k·n = ${c.kvHeads * c.k * c.n} codes of b; at most ${MATMUL_MAX_CODES}`);
    if (c.heads * c.m * c.n * c.k > MATMUL_MAX_PRODUCTS)
      bad(
        'k',
        `heads·m·n·k = ${c.heads * c.m * c.n * c.k} multipliers; at most ${MATMUL_MAX_PRODUCTS}`,
      );
  });

export type MatmulConfig = z.infer<typeof matmulSchema>;

export const MATMUL_DEFAULTS: MatmulConfig = Object.freeze({
  heads: 1,
  kvHeads: 1,
  m: 2,
  k: 4,
  n: 2,
  transposeB: false,
  aBits: 8,
  aScaleExp: -4,
  bBits: 8,
  bScaleExp: -4,
  outBits: 8,
  outScaleExp: -4,
  stages: 1,
});

export const matmulParams = (cfg: MatmulConfig): IntMatmulParams => cfg;

export function deriveMatmul(cfg: MatmulConfig): Derived {
  return Object.freeze({
    latencyCycles: cfg.stages,
    beatsPerCycle: 1,
    multipliers: cfg.heads * cfg.m * cfg.n * cfg.k,
    shift: intMatmulShift(cfg),
  });
}

export function matmulName(cfg: MatmulConfig): string {
  const h = cfg.heads === 1 && cfg.kvHeads === 1 ? '' : `_h${cfg.heads}kv${cfg.kvHeads}`;
  const st = cfg.stages === 1 ? '' : `_p${cfg.stages}`;
  return (
    `matmul${h}_${cfg.m}x${cfg.k}x${cfg.n}${cfg.transposeB ? 't' : ''}` +
    `_int${cfg.aBits}s${expName(cfg.aScaleExp)}_int${cfg.bBits}s${expName(cfg.bScaleExp)}` +
    `_int${cfg.outBits}s${expName(cfg.outScaleExp)}${st}`
  );
}
