// layernorm and rmsnorm over the token's feature vector: signed int codes in, γ (and β) per
// feature as constants, signed int codes out. Golden: numerics intNorm (exact sums, exact floor
// rsqrt, one RNE); hardware: the registered `layernorm` / `rmsnorm` components.
import { z } from 'zod';
import { intNorm, type NormKind } from '../../numerics/index.js';
import {
  NORM_CHUNKED_MAX_N,
  NORM_DEFAULTS,
  normParams,
  type NormConfig,
} from '../../components/index.js';
import { chunkField, chunkOf } from './chunk.js';
import type { RowComponent, RowOpDef, RowSpec } from './types.js';
import { internalError } from '../../hdl/index.js';

const fields = {
  // eps = eps_mantissa · 2^eps_exp: an exact dyadic with an even exponent (docs/numerics.md).
  eps_mantissa: z.number().int().min(1).max(65536).default(1),
  eps_exp: z
    .number()
    .int()
    .min(-64)
    .max(0)
    .refine((v) => v % 2 === 0, 'must be even (eps = eps_mantissa · 4^k)')
    .default(-16),
  ...chunkField,
};

function epsOf(attrs: Readonly<Record<string, string | number>>): number {
  return Number(attrs.eps_mantissa ?? 1) * 2 ** Number(attrs.eps_exp ?? -16);
}

function config(kind: NormKind, s: RowSpec): RowComponent {
  const [x] = s.inputs;
  const [g, b] = s.params;
  if (!x || !g) throw internalError(`${kind}: spec without input or γ`);
  const cfg: NormConfig = {
    n: s.features,
    inBits: x.bits,
    inScaleExp: x.exp,
    gammaBits: g.bits,
    gammaScaleExp: g.exp,
    betaBits: b?.bits ?? NORM_DEFAULTS.betaBits,
    betaScaleExp: b?.exp ?? NORM_DEFAULTS.betaScaleExp,
    outBits: s.out.bits,
    outScaleExp: s.out.exp,
    epsMantissa: Number(s.attrs.eps_mantissa ?? 1),
    epsExp: Number(s.attrs.eps_exp ?? -16),
  };
  const chunk = chunkOf(s);
  return chunk === undefined
    ? { kind, config: cfg }
    : { kind: `${kind}-chunked`, config: { ...cfg, chunk }, chunk };
}

function normDef(kind: NormKind): RowOpDef {
  const ln = kind === 'layernorm';
  return {
    op: kind,
    operandFields: ['input'],
    params: ln ? ['gamma', 'beta'] : ['gamma'],
    fields,
    outSigned: true,
    inExpRange: [-32, 32],
    maxFeatures: NORM_CHUNKED_MAX_N,
    component: (s) => config(kind, s),
    golden(c, [x = []], [g = [], b = []]) {
      const p = normParams(kind, c.config as unknown as NormConfig);
      return intNorm(p, x, g, ln ? b : undefined);
    },
    fp64(attrs, [x = []], [g = [], b = []]) {
      const n = Math.max(1, x.length);
      const mean = ln ? x.reduce((a, v) => a + v, 0) / n : 0;
      const ms = x.reduce((a, v) => a + (v - mean) ** 2, 0) / n;
      const inv = 1 / Math.sqrt(ms + epsOf(attrs));
      return x.map((v, i) => (v - mean) * inv * (g[i] ?? 0) + (ln ? (b[i] ?? 0) : 0));
    },
  };
}

export const layernormOp = normDef('layernorm');
export const rmsnormOp = normDef('rmsnorm');
