// gelu (erf or tanh form) and silu, element-wise: signed int codes in, signed int codes out.
// Golden: numerics intActivation (I-BERT i-GELU / tanh form / σ table with interpolation);
// hardware: the registered `gelu` / `silu` components (one table per lane).
import { z } from 'zod';
import { intActivation } from '../../numerics/index.js';
import { activationParams, type ActivationConfig } from '../../components/index.js';
import { chunkField, chunkOf, ROW_ELTWISE_MAX_FEATURES } from './chunk.js';
import type { RowComponent, RowOpDef, RowSpec } from './types.js';
import { internalError } from '../../hdl/index.js';

/** erf(x) in binary64: 2/√π·e^(-x²)·Σ 2^n x^(2n+1) / (1·3·…·(2n+1)) (positive terms only). */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a >= 6) return Math.sign(x); // 1 - erf(6) < 2.2e-17
  let term = a;
  let sum = a;
  for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
    term *= (2 * a * a) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * Math.min(1, (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum);
}

const geluErf = (x: number): number => 0.5 * x * (1 + erf(x / Math.SQRT2));
const geluTanh = (x: number): number =>
  0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
const silu = (x: number): number => x / (1 + Math.exp(-x));

function config(s: RowSpec, form?: string): RowComponent {
  const [x] = s.inputs;
  if (!x) throw internalError('activation: spec without input');
  const chunk = chunkOf(s);
  const cfg = {
    n: chunk ?? s.features,
    inBits: x.bits,
    inScaleExp: x.exp,
    outBits: s.out.bits,
    outScaleExp: s.out.exp,
    stages: 1,
    ...(form === undefined ? {} : { form }),
  };
  return {
    kind: form === undefined ? 'silu' : 'gelu',
    config: cfg,
    ...(chunk === undefined ? {} : { chunk }),
  };
}

const golden: RowOpDef['golden'] = (c, [x = []]) =>
  intActivation(x, activationParams(c.config as unknown as ActivationConfig));

export const geluOp: RowOpDef = {
  op: 'gelu',
  operandFields: ['input'],
  params: [],
  fields: { form: z.enum(['erf', 'tanh']).default('erf'), ...chunkField },
  maxFeatures: ROW_ELTWISE_MAX_FEATURES,
  outSigned: true,
  inExpRange: [-12, 4],
  component: (s) => config(s, String(s.attrs.form ?? 'erf')),
  golden,
  fp64: (attrs, [x = []]) => x.map(attrs.form === 'tanh' ? geluTanh : geluErf),
};

export const siluOp: RowOpDef = {
  op: 'silu',
  operandFields: ['input'],
  params: [],
  fields: chunkField,
  maxFeatures: ROW_ELTWISE_MAX_FEATURES,
  outSigned: true,
  inExpRange: [-12, 4],
  component: (s) => config(s),
  golden,
  fp64: (_attrs, [x = []]) => x.map(silu),
};
