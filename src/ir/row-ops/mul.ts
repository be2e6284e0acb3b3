// mul: the element-wise product of two activations of the same shape (SwiGLU's gate × up):
// signed int codes in, signed int codes out. Golden: numerics intMul (exact product, one RNE,
// saturation); hardware: the registered `mul` component.
import { intMul } from '../../numerics/index.js';
import { mulParams, type MulConfig } from '../../components/index.js';
import { chunkField, chunkOf, ROW_ELTWISE_MAX_FEATURES } from './chunk.js';
import type { RowOpDef } from './types.js';
import { internalError } from '../../hdl/index.js';

export const mulOp: RowOpDef = {
  op: 'mul',
  operandFields: ['a', 'b'],
  params: [],
  fields: chunkField,
  maxFeatures: ROW_ELTWISE_MAX_FEATURES,
  outSigned: true,
  inExpRange: [-32, 32],
  component(s) {
    const [a, b] = s.inputs;
    if (!a || !b) throw internalError('mul: spec without two inputs');
    const chunk = chunkOf(s);
    const cfg: MulConfig = {
      n: chunk ?? s.features,
      aBits: a.bits,
      aScaleExp: a.exp,
      bBits: b.bits,
      bScaleExp: b.exp,
      outBits: s.out.bits,
      outScaleExp: s.out.exp,
      stages: 1,
    };
    return { kind: 'mul', config: cfg, ...(chunk === undefined ? {} : { chunk }) };
  },
  golden: (c, [a = [], b = []]) => intMul(a, b, mulParams(c.config as unknown as MulConfig)),
  fp64: (_attrs, [a = [], b = []]) => a.map((v, i) => v * (b[i] ?? 0)),
};
