// scalable-pe config: the accumulator is exact for `maxBeats` beats per sum (formats.md 1.3 over
// the largest per-beat range of every mode and signedness); the modes and their operand packing.
import { z } from 'zod';
import { signedWidthOf } from '../arith/index.js';
import type { Derived } from '../registry.js';

/** Runtime modes: operand widths (a × b) and products per beat; in_mode values 0..4. */
export const PE_MODES = [
  { code: 0, wa: 8, wb: 8, products: 1 },
  { code: 1, wa: 8, wb: 4, products: 2 },
  { code: 2, wa: 4, wb: 4, products: 4 },
  { code: 3, wa: 4, wb: 2, products: 8 },
  { code: 4, wa: 2, wb: 2, products: 16 },
] as const;

export type PeMode = (typeof PE_MODES)[number];

export const scalablePeSchema = z
  .object({
    /** Beats per sum the default accumulator holds exactly (more beats wrap modulo 2^W). */
    maxBeats: z
      .number({ invalid_type_error: 'maxBeats must be an integer' })
      .int('maxBeats must be an integer')
      .min(1, 'maxBeats must be at least 1')
      .max(1 << 24, 'maxBeats must be at most 16777216')
      .default(256),
    accWidthBits: z.number().int('accWidthBits must be an integer').optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const w = exactPeWidth(c.maxBeats);
    if (c.accWidthBits !== undefined && (c.accWidthBits < w || c.accWidthBits > 64))
      ctx.addIssue({
        code: 'custom',
        path: ['accWidthBits'],
        message: `accWidthBits must be in ${w}..64 for maxBeats = ${c.maxBeats} (exact width ${w}); got ${c.accWidthBits}`,
      });
  });

export type ScalablePeConfig = z.output<typeof scalablePeSchema>;

const range = (w: number, signed: boolean): [bigint, bigint] =>
  signed ? [-(1n << BigInt(w - 1)), (1n << BigInt(w - 1)) - 1n] : [0n, (1n << BigInt(w)) - 1n];

/** Smallest and largest sum of one beat over every mode and operand signedness. */
export function beatRange(): { min: bigint; max: bigint } {
  let min = 0n;
  let max = 0n;
  for (const md of PE_MODES)
    for (const sa of [false, true])
      for (const sb of [false, true]) {
        const [a0, a1] = range(md.wa, sa);
        const [b0, b1] = range(md.wb, sb);
        const ps = [a0 * b0, a0 * b1, a1 * b0, a1 * b1];
        const n = BigInt(md.products);
        for (const p of ps) {
          if (p * n < min) min = p * n;
          if (p * n > max) max = p * n;
        }
      }
  return { min, max };
}

/** Exact signed width of a sum of `n` beats (formats.md 1.3). */
export function exactPeWidth(n: number): number {
  const r = beatRange();
  return signedWidthOf(BigInt(n) * r.min, BigInt(n) * r.max);
}

export interface ScalablePeDerived extends Derived {
  readonly accWidthBits: number;
  readonly exactAccWidthBits: number;
  /** Signed width of one beat's sum of products. */
  readonly beatWidthBits: number;
  readonly bricks: number;
}

export function deriveScalablePe(c: ScalablePeConfig): ScalablePeDerived {
  const r = beatRange();
  const exact = exactPeWidth(c.maxBeats);
  return Object.freeze({
    // Stage 1 registers the fused brick sum; stage 2 is the accumulator / output register.
    latencyCycles: 2,
    accWidthBits: c.accWidthBits ?? exact,
    exactAccWidthBits: exact,
    beatWidthBits: signedWidthOf(r.min, r.max),
    bricks: 16,
  });
}

/** `scalable_pe_bitfusion_acc25`. */
export function scalablePeName(c: ScalablePeConfig): string {
  return `scalable_pe_bitfusion_acc${deriveScalablePe(c).accWidthBits}`;
}
