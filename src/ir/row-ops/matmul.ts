// matmul of two activations (design op `matmul` with `a` and `b`): per token, a is heads × m × k
// and b is kv_heads × k × n (kv_heads × n × k with `transpose_b`, e.g. the keys for Q·Kᵀ) in
// row-major order; the output is heads × m × n, head h reading kv head h / (heads / kv_heads)
// (grouped-query attention). Signed int codes in and out. Golden: numerics intMatmul (exact sums,
// one RNE, saturation); hardware: the registered `matmul` component.
import { z } from 'zod';
import { intMatmul } from '../../numerics/index.js';
import { matmulParams, type MatmulConfig } from '../../components/index.js';
import { internalError } from '../../hdl/index.js';
import { ROW_UNCHUNKED_ANY } from './chunk.js';
import type { RowOpDef } from './types.js';

const count = z.number().int().positive();

/** heads, kv heads, m, k, n of a node from its attrs and its operands' features. */
export function matmulDims(
  attrs: Readonly<Record<string, string | number>>,
  aFeatures: number,
  bFeatures: number,
): { heads: number; kvHeads: number; m: number; k: number; n: number } | string {
  const heads = Number(attrs.heads ?? 1);
  const kvHeads = Number(attrs.kv_heads ?? heads);
  const m = Number(attrs.m ?? 1);
  if (heads % kvHeads !== 0)
    return `matmul with heads = ${heads} needs kv_heads dividing it; got ${kvHeads}`;
  if (aFeatures % (heads * m) !== 0)
    return `matmul a has ${aFeatures} features, not a multiple of heads·m = ${heads * m}`;
  const k = aFeatures / (heads * m);
  if (bFeatures % (kvHeads * k) !== 0)
    return `matmul b has ${bFeatures} features, not a multiple of kv_heads·k = ${kvHeads}·${k} (k = a's ${aFeatures} features / heads·m)`;
  return { heads, kvHeads, m, k, n: bFeatures / (kvHeads * k) };
}

export const actMatmulOp: RowOpDef = {
  op: 'act_matmul',
  designOp: 'matmul',
  operandFields: ['a', 'b'],
  params: [],
  fields: {
    heads: count.optional(),
    kv_heads: count.optional(),
    m: count.optional(),
    transpose_b: z
      .boolean()
      .optional()
      .transform((v) => (v ? 1 : 0)),
  },
  outFeatures(attrs, [a = 1, b = 1]) {
    const d = matmulDims(attrs, a, b);
    return typeof d === 'string' ? d : d.heads * d.m * d.n;
  },
  outSigned: true,
  inExpRange: [-32, 32],
  // the matmul component bounds its own sizes (codes and products per beat)
  maxFeatures: ROW_UNCHUNKED_ANY,
  component(s) {
    const [a, b] = s.inputs;
    if (!a || !b) throw internalError('matmul: spec without two inputs');
    const d = matmulDims(s.attrs, a.features, b.features);
    if (typeof d === 'string') throw internalError(d); // infer has checked the shapes
    const cfg: MatmulConfig = {
      ...d,
      transposeB: s.attrs.transpose_b === 1,
      aBits: a.bits,
      aScaleExp: a.exp,
      bBits: b.bits,
      bScaleExp: b.exp,
      outBits: s.out.bits,
      outScaleExp: s.out.exp,
      stages: 1,
    };
    return { kind: 'matmul', config: cfg as unknown as Record<string, string | number> };
  },
  golden: (c, [a = [], b = []]) =>
    intMatmul(a, b, matmulParams(c.config as unknown as MatmulConfig)),
  fp64(attrs, [a = [], b = []]) {
    const d = matmulDims(attrs, a.length, b.length);
    if (typeof d === 'string') throw internalError(d);
    const t = attrs.transpose_b === 1;
    const out: number[] = [];
    for (let h = 0; h < d.heads; h++) {
      const kv = Math.floor(h / (d.heads / d.kvHeads));
      for (let r = 0; r < d.m; r++)
        for (let j = 0; j < d.n; j++) {
          let s = 0;
          for (let i = 0; i < d.k; i++)
            s +=
              (a[(h * d.m + r) * d.k + i] ?? 0) *
              (b[kv * d.k * d.n + (t ? j * d.k + i : i * d.n + j)] ?? 0);
          out.push(s);
        }
    }
    return out;
  },
};
