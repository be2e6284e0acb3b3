// olive-pe config: OliVe pair formats of the weights and activations (or int8 activations), pairs
// per beat, and the dot length N that sizes the exact accumulator (formats.md 6.3).
import { z } from 'zod';
import { oliveDecodePair, type OliveVariant } from '../../numerics/index.js';
import { signedWidthOf } from '../arith/index.js';
import type { Derived } from '../registry.js';

export const OLIVE_VARIANTS = ['olive4', 'olive8'] as const;
export const ACTIVATION_FORMATS = ['int8', 'olive4', 'olive8'] as const;
export type ActivationFormat = (typeof ACTIVATION_FORMATS)[number];

export const olivePeSchema = z
  .object({
    weights: z
      .enum(OLIVE_VARIANTS, {
        errorMap: () => ({ message: `weights must be one of ${OLIVE_VARIANTS.join(', ')}` }),
      })
      .default('olive4'),
    activations: z
      .enum(ACTIVATION_FORMATS, {
        errorMap: () => ({
          message: `activations must be one of ${ACTIVATION_FORMATS.join(', ')}`,
        }),
      })
      .default('int8'),
    pairs: z
      .number({ invalid_type_error: 'pairs must be a number' })
      .int('pairs must be an integer')
      .min(1, 'pairs must be at least 1')
      .max(32, 'pairs must be at most 32'),
    elements: z
      .number({ invalid_type_error: 'elements must be a number' })
      .int('elements must be an integer')
      .min(2, 'elements must be at least 2')
      .max(1 << 20, 'elements must be at most 2^20')
      .default(32),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.elements < 2 * c.pairs || c.elements % 2 !== 0)
      ctx.addIssue({
        code: 'custom',
        path: ['elements'],
        message: `elements must be even and at least 2·pairs = ${2 * c.pairs} (one beat carries ${2 * c.pairs}); got ${c.elements}`,
      });
  });

export type OlivePeConfig = z.infer<typeof olivePeSchema>;

export const OLIVE_PE_DEFAULTS: OlivePeConfig = Object.freeze({
  weights: 'olive4',
  activations: 'int8',
  pairs: 1,
  elements: 32,
});

/** Bits of one pair of a stream: olive4 8, olive8 16, int8 16. */
export function pairBits(f: ActivationFormat): number {
  return f === 'olive4' ? 8 : 16;
}

/** Largest normal and outlier magnitudes of a variant (6.2, 6.6). */
export function oliveMax(v: OliveVariant): { normal: number; outlier: number } {
  return v === 'olive4' ? { normal: 7, outlier: 96 } : { normal: 127, outlier: 2016 };
}

const RANGE_CACHE = new Map<string, { min: bigint; max: bigint }>();

/**
 * Exact range of one pair's contribution w0·a0 + w1·a1 over every weight pair code (decoded by
 * numerics) and every activation pair: int8 slots are independent ([-128, 127]); an OliVe pair is
 * either two normals (|n| ≤ max normal) or one outlier beside a zero victim.
 */
export function pairRange(w: OliveVariant, a: ActivationFormat): { min: bigint; max: bigint } {
  const key = `${w}/${a}`;
  const hit = RANGE_CACHE.get(key);
  if (hit) return hit;
  const r = exactPairRange(w, a);
  RANGE_CACHE.set(key, r);
  return r;
}

/**
 * `pairRange` without the cache (its spec vectors call this: a module-level cache filled by the
 * first call would hide a changed range from every later test in the process).
 */
export function exactPairRange(w: OliveVariant, a: ActivationFormat): { min: bigint; max: bigint } {
  const bits = w === 'olive4' ? 4 : 8;
  let min = 0n;
  let max = 0n;
  for (let c0 = 0; c0 < 1 << bits; c0++)
    for (let c1 = 0; c1 < 1 << bits; c1++) {
      const [t0, t1] = oliveDecodePair(w, c0, c1);
      const v0 = BigInt(t0.int) << BigInt(t0.shift);
      const v1 = BigInt(t1.int) << BigInt(t1.shift);
      let hi: bigint;
      let lo: bigint;
      if (a === 'int8') {
        const slot = (v: bigint): [bigint, bigint] =>
          v >= 0n ? [-128n * v, 127n * v] : [127n * v, -128n * v];
        const [l0, h0] = slot(v0);
        const [l1, h1] = slot(v1);
        [lo, hi] = [l0 + l1, h0 + h1];
      } else {
        const m = oliveMax(a);
        const abs0 = v0 < 0n ? -v0 : v0;
        const abs1 = v1 < 0n ? -v1 : v1;
        const normal = BigInt(m.normal) * (abs0 + abs1);
        const outlier = BigInt(m.outlier) * (abs0 > abs1 ? abs0 : abs1);
        hi = normal > outlier ? normal : outlier;
        lo = -hi;
      }
      if (hi > max) max = hi;
      if (lo < min) min = lo;
    }
  return { min, max };
}

export interface OlivePeDerived extends Derived {
  /** Exact width of one element product (and of one pair's contribution). */
  readonly productBits: number;
  /** Exact width of one beat's sum. */
  readonly beatBits: number;
  /** Accumulator width: exact for `elements` terms (formats.md 6.3: 32 → 19). */
  readonly accBits: number;
  readonly wBits: number;
  readonly aBits: number;
}

export function deriveOlivePe(cfg: OlivePeConfig): OlivePeDerived {
  const r = pairRange(cfg.weights, cfg.activations);
  const n = (k: number): number => signedWidthOf(BigInt(k) * r.min, BigInt(k) * r.max);
  return Object.freeze({
    latencyCycles: 1,
    productBits: n(1),
    beatBits: n(cfg.pairs),
    accBits: n(cfg.elements / 2),
    wBits: pairBits(cfg.weights) * cfg.pairs,
    aBits: pairBits(cfg.activations) * cfg.pairs,
  });
}

export function olivePeName(cfg: OlivePeConfig): string {
  const d = deriveOlivePe(cfg);
  return `olive_pe_${cfg.weights}_${cfg.activations}_p${cfg.pairs}_acc${d.accBits}`;
}
