// hadamard: the online rotation of QuaRot / SpinQuant (docs/blockdialect.md): y = H_n·x·2^-ν over
// the token's n = 2^k features (H the ±1 Sylvester matrix, ν = ceil(k/2), so y = Q·x with the
// orthonormal Q for even k and Q·x/√2 for odd k), converted to the output int like a linear
// output: sat(RNE(...)) at its calibrated scale. The normalisation is folded into that scale, so
// the hardware is adders only. Golden: numerics.hadamardRequantize; hardware: the registered
// `fwht` component with its output stage.
import {
  hadamardNormExp,
  hadamardRequantize,
  NumericsError,
  hadamardLog2,
} from '../../numerics/index.js';
import { internalError } from '../../hdl/index.js';
import type { RowOpDef } from './types.js';

export const hadamardOp: RowOpDef = {
  op: 'hadamard',
  operandFields: ['input'],
  params: [],
  fields: {},
  outSigned: true,
  inExpRange: [-32, 32],
  checkFeatures(n) {
    try {
      if (hadamardLog2(n, 'size') < 1) return `hadamard size ${n} must be at least 2`;
    } catch (e) {
      if (e instanceof NumericsError) return e.message;
      throw e;
    }
    return undefined;
  },
  component(s) {
    const [x] = s.inputs;
    if (!x) throw internalError('hadamard: spec without input');
    return {
      kind: 'fwht',
      config: {
        n: s.features,
        inBits: x.bits,
        outBits: s.out.bits,
        outShift: s.out.exp - x.exp + hadamardNormExp(s.features),
      },
    };
  },
  golden: (c, [x = []]) => {
    const shift = Number(c.config.outShift);
    const n = Number(c.config.n);
    return hadamardRequantize(
      x.map((v) => BigInt(v)),
      0,
      shift - hadamardNormExp(n),
      Number(c.config.outBits),
    ).map(Number);
  },
  fp64: (_attrs, [x = []]) => {
    const n = x.length;
    const nu = hadamardNormExp(n);
    return x.map((_, i) => {
      let acc = 0;
      for (let j = 0; j < n; j++) {
        let p = i & j;
        let par = 0;
        while (p) {
          par ^= p & 1;
          p >>>= 1;
        }
        acc += par ? -(x[j] ?? 0) : (x[j] ?? 0);
      }
      return acc * 2 ** -nu;
    });
  },
};
