// layernorm / rmsnorm config: row length (one row per beat with its γ and β), code widths and
// power-of-two scales, eps = epsMantissa · 2^epsExp. Golden: numerics intNorm / normConstants.
import { z } from 'zod';
import { normConstants, type IntNormParams, type NormKind } from '../../numerics/index.js';
import type { Derived } from '../registry.js';
import { expName } from '../softmax/config.js';

const int = (name: string, lo: number, hi: number) =>
  z
    .number({ invalid_type_error: `${name} must be a number` })
    .int(`${name} must be an integer`)
    .min(lo, `${name} must be at least ${lo}`)
    .max(hi, `${name} must be at most ${hi}`);

export const normSchema = z
  .object({
    n: int('n', 1, 64).default(16),
    inBits: int('inBits', 2, 16).default(8),
    inScaleExp: int('inScaleExp', -32, 32).default(-4),
    gammaBits: int('gammaBits', 2, 16).default(8),
    gammaScaleExp: int('gammaScaleExp', -32, 32).default(-6),
    betaBits: int('betaBits', 2, 16).default(8),
    betaScaleExp: int('betaScaleExp', -32, 32).default(-6),
    outBits: int('outBits', 2, 16).default(8),
    outScaleExp: int('outScaleExp', -32, 32).default(-5),
    epsMantissa: int('epsMantissa', 1, 65536).default(1),
    epsExp: int('epsExp', -64, 0)
      .refine((v) => v % 2 === 0, { message: 'epsExp must be even (eps = m·4^k)' })
      .default(-16),
  })
  .strict();

export type NormConfig = z.infer<typeof normSchema>;

export const NORM_DEFAULTS: NormConfig = Object.freeze({
  n: 16,
  inBits: 8,
  inScaleExp: -4,
  gammaBits: 8,
  gammaScaleExp: -6,
  betaBits: 8,
  betaScaleExp: -6,
  outBits: 8,
  outScaleExp: -5,
  epsMantissa: 1,
  epsExp: -16,
});

export const normParams = (kind: NormKind, cfg: NormConfig): IntNormParams => ({ kind, ...cfg });

export function deriveNorm(kind: NormKind, cfg: NormConfig): Derived {
  const c = normConstants(normParams(kind, cfg));
  const dBits = c.dMax.toString(2).length;
  const qBits = ((c.m << BigInt(2 * c.k)) / c.epsTerm).toString(2).length;
  return Object.freeze({
    latencyCycles: 2,
    rowsPerCycle: 1,
    k: c.k,
    dBits,
    divStages: qBits,
    sqrtStages: Math.ceil(qBits / 2),
  });
}

export function normName(kind: NormKind, cfg: NormConfig): string {
  const b = kind === 'layernorm' ? `_b${cfg.betaBits}s${expName(cfg.betaScaleExp)}` : '';
  return (
    `${kind}_n${cfg.n}_int${cfg.inBits}s${expName(cfg.inScaleExp)}_g${cfg.gammaBits}s${expName(cfg.gammaScaleExp)}` +
    `${b}_o${cfg.outBits}s${expName(cfg.outScaleExp)}_eps${cfg.epsMantissa}e${expName(cfg.epsExp)}`
  );
}
