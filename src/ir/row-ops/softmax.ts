// softmax over the token's feature vector: signed int codes in, unsigned probabilities out at
// 2^-bits (uint8 → p = code/256; not calibrated: every probability is in [0, 1]). Golden:
// numerics intSoftmax (two-pass form, the whole row); hardware: the registered `softmax`.
import { intSoftmax } from '../../numerics/index.js';
import { SOFTMAX_CHUNKED_MAX_N } from '../../components/index.js';
import { chunkField, chunkOf } from './chunk.js';
import type { RowOpDef } from './types.js';
import { internalError } from '../../hdl/index.js';

const UINT = /^uint([2-8])$/;

export const softmaxOp: RowOpDef = {
  op: 'softmax',
  operandFields: ['input'],
  params: [],
  fields: chunkField,
  maxFeatures: SOFTMAX_CHUNKED_MAX_N,
  defaultOutput: () => 'uint8',
  fixedOutput(name) {
    const m = UINT.exec(name);
    return m ? { scaleExp: -Number(m[1]) } : undefined;
  },
  outSigned: false,
  inExpRange: [-16, 4],
  component(s) {
    const [x] = s.inputs;
    if (!x) throw internalError('softmax: spec without input');
    const config = {
      n: s.features,
      inBits: x.bits,
      inScaleExp: x.exp,
      outBits: s.out.bits,
      outFracBits: -s.out.exp,
    };
    const chunk = chunkOf(s);
    return chunk === undefined
      ? { kind: 'softmax', config }
      : { kind: 'softmax-chunked', config: { ...config, chunk }, chunk };
  },
  golden(c, [x = []]) {
    const k = c.config;
    return intSoftmax(x, {
      inBits: Number(k.inBits),
      inScaleExp: Number(k.inScaleExp),
      outBits: Number(k.outBits),
      outFracBits: Number(k.outFracBits),
      ...(k.chunk === undefined ? {} : { chunk: Number(k.chunk) }),
    });
  },
  fp64(_attrs, [x = []]) {
    const m = Math.max(...x);
    const e = x.map((v) => Math.exp(v - m));
    const s = e.reduce((a, v) => a + v, 0);
    return e.map((v) => v / s);
  },
};
