// Parameter checks of the integer transformer ops (docs/numerics.md "Integer transformer ops"):
// each range below is written from the interfaces' documentation, and each parameter is tried at
// both ends (accepted) and just outside them and at a fraction (refused with the one-line message
// naming it). Also the operand-shape checks. In-process, so StrykerJS sees them (docs/mutation.md).
import { expect } from 'chai';
import {
  checkIntActivationParams,
  checkIntAttentionParams,
  checkIntMatmulParams,
  checkIntMulParams,
  checkIntNormParams,
  checkIntSoftmaxParams,
  attentionOutShift,
  attentionScoreShift,
  type IntActivationParams,
  type IntAttentionParams,
  intActivation,
  intAttention,
  sigmoidQ15,
  intMatmul,
  type IntMatmulParams,
  intMul,
  type IntMulParams,
  intNorm,
  type IntNormParams,
  intSoftmax,
  type IntSoftmaxParams,
  NumericsError,
} from '../../../src/numerics/index.js';

type Ranges = Record<string, [number, number]>;

/** Every parameter at lo and hi passes; lo-1, hi+1 and lo+0.5 fail naming it and its range. */
function sweep<P extends object>(base: P, check: (p: P) => void, ranges: Ranges): void {
  expect(() => check(base)).not.to.throw();
  for (const [k, [lo, hi]] of Object.entries(ranges)) {
    for (const v of [lo, hi])
      expect(() => check({ ...base, [k]: v }), `${k} = ${v}`).not.to.throw();
    for (const v of [lo - 1, hi + 1, lo + 0.5])
      expect(() => check({ ...base, [k]: v }), `${k} = ${v}`).to.throw(
        NumericsError,
        `${k} must be an integer in ${lo}..${hi}; got ${v}`,
      );
  }
}

const MUL: IntMulParams = {
  aBits: 8,
  aScaleExp: 0,
  bBits: 8,
  bScaleExp: 0,
  outBits: 8,
  outScaleExp: 0,
};
const SOFTMAX: IntSoftmaxParams = { inBits: 8, inScaleExp: -4, outBits: 8, outFracBits: 8 };
const NORM: IntNormParams = {
  kind: 'layernorm',
  n: 4,
  inBits: 8,
  inScaleExp: 0,
  gammaBits: 8,
  gammaScaleExp: 0,
  betaBits: 8,
  betaScaleExp: 0,
  outBits: 8,
  outScaleExp: 0,
  epsMantissa: 1,
  epsExp: 0,
};
const ACT: IntActivationParams = {
  op: 'silu',
  inBits: 8,
  inScaleExp: -4,
  outBits: 8,
  outScaleExp: -4,
};
const MATMUL: IntMatmulParams = {
  heads: 4,
  kvHeads: 2,
  m: 1,
  k: 2,
  n: 1,
  transposeB: false,
  aBits: 8,
  aScaleExp: 0,
  bBits: 8,
  bScaleExp: 0,
  outBits: 8,
  outScaleExp: 0,
};
const ATT: IntAttentionParams = {
  heads: 2,
  kvHeads: 1,
  headDim: 4,
  qBits: 8,
  qScaleExp: 0,
  kvBits: 8,
  kScaleExp: 0,
  vScaleExp: 0,
  scoreBits: 12,
  scoreScaleExp: -4,
  probBits: 8,
  outBits: 8,
  outScaleExp: 0,
};
const att = (
  q: readonly number[],
  k: readonly (readonly number[])[],
  v: readonly (readonly number[])[],
): unknown => intAttention(q, k, v, ATT);
const bits = (ks: string[], lo: number, hi: number): Ranges =>
  Object.fromEntries(ks.map((k) => [k, [lo, hi]]));

describe('int-ops parameter checks', () => {
  it('mul: widths 2..16, scales -32..32', () => {
    sweep(MUL, checkIntMulParams, {
      ...bits(['aBits', 'bBits', 'outBits'], 2, 16),
      ...bits(['aScaleExp', 'bScaleExp', 'outScaleExp'], -32, 32),
    });
  });
  it('softmax: inBits/outBits 2..16, inScaleExp -16..4, outFracBits 1..24, chunk 1..2^20', () => {
    sweep(SOFTMAX, checkIntSoftmaxParams, {
      ...bits(['inBits', 'outBits'], 2, 16),
      inScaleExp: [-16, 4],
      outFracBits: [1, 24],
      chunk: [1, 1 << 20],
    });
  });
  it('norm: n 1..4096, widths 2..16, scales -32..32, eps mantissa 1..2^16, epsExp -64..0 even', () => {
    sweep(NORM, checkIntNormParams, {
      n: [1, 4096],
      ...bits(['inBits', 'gammaBits', 'betaBits', 'outBits'], 2, 16),
      ...bits(['inScaleExp', 'gammaScaleExp', 'betaScaleExp', 'outScaleExp'], -32, 32),
      epsMantissa: [1, 1 << 16],
    });
    expect(() => checkIntNormParams({ ...NORM, epsExp: -64 })).not.to.throw();
    expect(() => checkIntNormParams({ ...NORM, epsExp: -66 })).to.throw(
      NumericsError,
      'epsExp must be an integer in -64..0; got -66',
    );
    expect(() => checkIntNormParams({ ...NORM, epsExp: 2 })).to.throw(
      NumericsError,
      'epsExp must be an integer in -64..0; got 2',
    );
    expect(() => checkIntNormParams({ ...NORM, epsExp: -3 })).to.throw(
      NumericsError,
      'epsExp must be even (eps = m·4^k); got -3',
    );
    expect(() => checkIntNormParams({ ...NORM, kind: 'rmsnorm' })).not.to.throw();
    expect(() => checkIntNormParams({ ...NORM, kind: 'batchnorm' as never })).to.throw(
      NumericsError,
      'norm kind must be layernorm or rmsnorm; got batchnorm',
    );
  });
  it('activation: op, inBits 2..16, inScaleExp -12..4, outBits 2..16, outScaleExp -32..32', () => {
    sweep(ACT, checkIntActivationParams, {
      inBits: [2, 16],
      inScaleExp: [-12, 4],
      outBits: [2, 16],
      outScaleExp: [-32, 32],
    });
    for (const op of ['gelu-erf', 'gelu-tanh'] as const)
      expect(() => checkIntActivationParams({ ...ACT, op })).not.to.throw();
    expect(() => checkIntActivationParams({ ...ACT, op: 'relu' as never })).to.throw(
      NumericsError,
      'activation op must be one of gelu-erf, gelu-tanh, silu; got relu',
    );
  });
  it('matmul: sizes 1..4096, heads a multiple of kvHeads, widths and scales', () => {
    sweep(
      { ...MATMUL, heads: 1, kvHeads: 1 },
      checkIntMatmulParams,
      bits(['heads', 'm', 'k', 'n'], 1, 4096),
    );
    // kvHeads must divide heads: 4096 heads take every kvHeads in range
    sweep({ ...MATMUL, heads: 4096, kvHeads: 1 }, checkIntMatmulParams, {
      kvHeads: [1, 4096],
    });
    sweep(MATMUL, checkIntMatmulParams, {
      ...bits(['aBits', 'bBits', 'outBits'], 2, 16),
      ...bits(['aScaleExp', 'bScaleExp', 'outScaleExp'], -32, 32),
    });
    expect(() => checkIntMatmulParams({ ...MATMUL, heads: 3 })).to.throw(
      NumericsError,
      'heads (3) must be a multiple of kvHeads (2)',
    );
  });
  it('attention: heads 1..256, headDim a power of 4 in 1..4096, probBits 2..15, score scale -16..4', () => {
    sweep({ ...ATT, heads: 1 }, checkIntAttentionParams, { heads: [1, 256] });
    sweep({ ...ATT, heads: 256 }, checkIntAttentionParams, { kvHeads: [1, 256] });
    sweep(ATT, checkIntAttentionParams, {
      ...bits(['qBits', 'kvBits', 'outBits', 'scoreBits'], 2, 16),
      probBits: [2, 15],
      ...bits(['qScaleExp', 'kScaleExp', 'vScaleExp', 'outScaleExp'], -32, 32),
      scoreScaleExp: [-16, 4],
    });
    for (const d of [1, 16, 64, 4096])
      expect(() => checkIntAttentionParams({ ...ATT, headDim: d }), `${d}`).not.to.throw();
    for (const d of [2, 8, 32, 2048])
      expect(() => checkIntAttentionParams({ ...ATT, headDim: d })).to.throw(
        NumericsError,
        `headDim must be a power of 4 (1/√headDim a power of two); got ${d}`,
      );
    expect(() => checkIntAttentionParams({ ...ATT, headDim: 0 })).to.throw(
      NumericsError,
      'headDim must be an integer in 1..4096; got 0',
    );
    expect(() => checkIntAttentionParams({ ...ATT, heads: 3, kvHeads: 2 })).to.throw(
      NumericsError,
      'heads (3) must be a multiple of kvHeads (2)',
    );
  });
});

describe('int-ops operand checks', () => {
  it('mul: equal lengths, codes within their widths', () => {
    expect(() => intMul([1, 2], [3], MUL)).to.throw(
      NumericsError,
      'intMul: a has 2 elements, b has 1',
    );
    expect(() => intMul([128], [1], MUL)).to.throw(
      NumericsError,
      'a[0] = 128 is not a signed 8-bit code',
    );
    expect(() => intMul([1], [-129], MUL)).to.throw(
      NumericsError,
      'b[0] = -129 is not a signed 8-bit',
    );
    expect(() => intMul([1], [1], { ...MUL, bBits: 17 })).to.throw(NumericsError, 'bBits must be');
  });
  it('softmax: a non-empty row of codes within inBits', () => {
    expect(() => intSoftmax([], SOFTMAX)).to.throw(NumericsError, 'intSoftmax: the row is empty');
    expect(() => intSoftmax([0, 128], SOFTMAX)).to.throw(NumericsError, 'row[1] = 128');
    expect(() => intSoftmax([0], { ...SOFTMAX, outFracBits: 0 })).to.throw(
      NumericsError,
      'outFracBits must be',
    );
  });
  it('norm: row, gamma and (layernorm) beta of n codes each', () => {
    const r = [1, 2, 3, 4];
    expect(() => intNorm(NORM, [1, 2, 3], r, r)).to.throw(
      NumericsError,
      'intNorm: row and gamma must have n = 4 elements; got 3, 4',
    );
    expect(() => intNorm(NORM, r, [1], r)).to.throw(NumericsError, 'got 4, 1');
    expect(() => intNorm(NORM, r, r, [1, 2])).to.throw(
      NumericsError,
      'intNorm: layernorm needs n = 4 beta codes; got 2',
    );
    expect(() => intNorm({ ...NORM, kind: 'rmsnorm' }, r, r)).not.to.throw();
    expect(() => intNorm(NORM, [1, 2, 3, 200], r, r)).to.throw(NumericsError, 'row[3] = 200');
    expect(() => intNorm(NORM, r, [1, 2, -200, 4], r)).to.throw(NumericsError, 'gamma[2] = -200');
    expect(() => intNorm(NORM, r, r, [300, 2, 3, 4])).to.throw(NumericsError, 'beta[0] = 300');
    expect(() => intNorm({ ...NORM, kind: 'rmsnorm' }, r, r, [300, 2, 3, 4])).not.to.throw();
  });
  it('matmul: a holds heads·m·k codes, b kvHeads·k·n', () => {
    // heads 4, kvHeads 2, m 1, k 2, n 1: a 8 codes, b 4 codes
    const a = [1, 1, 1, 1, 1, 1, 1, 1];
    const b = [1, 1, 1, 1];
    expect(() => intMatmul(a, b, MATMUL)).not.to.throw();
    expect(() => intMatmul(a.slice(1), b, MATMUL)).to.throw(
      NumericsError,
      'intMatmul: a has 7 elements; heads·m·k = 8',
    );
    expect(() => intMatmul(a, [...b, 1], MATMUL)).to.throw(
      NumericsError,
      'intMatmul: b has 5 elements; kvHeads·k·n = 4',
    );
    // n = 2: b holds kvHeads·k·n = 2·2·2 = 8 codes
    expect(() => intMatmul(a, b, { ...MATMUL, n: 2 })).to.throw(
      NumericsError,
      'intMatmul: b has 4 elements; kvHeads·k·n = 8',
    );
    expect(() => intMatmul([...a.slice(1), 128], b, MATMUL)).to.throw(NumericsError, 'a[7] = 128');
    expect(() => intMatmul(a, [1, 1, -129, 1], MATMUL)).to.throw(NumericsError, 'b[2] = -129');
  });
  it('attention: q of heads·headDim codes, as many keys as values, at least one', () => {
    const q = new Array<number>(8).fill(1);
    const kv = [[1, 1, 1, 1]];
    expect(() => att(q, kv, kv)).not.to.throw();
    expect(() => att(q.slice(1), kv, kv)).to.throw(
      NumericsError,
      'intAttention: q has 7 codes; heads·headDim = 8',
    );
    expect(() => att(q, [], [])).to.throw(
      NumericsError,
      'intAttention: 0 keys and 0 values; need the same number, at least 1',
    );
    expect(() => att(q, [...kv, ...kv], kv)).to.throw(
      NumericsError,
      'intAttention: 2 keys and 1 values',
    );
    expect(() => att([...q.slice(1), 200], kv, kv)).to.throw(NumericsError, 'q[7] = 200');
    expect(() =>
      att(
        q,
        [
          [1, 1, 1, 1],
          [1, 200, 1, 1],
        ],
        [...kv, ...kv],
      ),
    ).to.throw(NumericsError, 'keys[1][1] = 200');
    // regression: a cache row of the wrong length was silently cut (too long) or failed inside
    // intMatmul with a message about b (too short)
    expect(() => att(q, [[1, 1, 1, 1, 1]], kv)).to.throw(
      NumericsError,
      'intAttention: keys[0] has 5 codes; kvHeads·headDim = 4',
    );
    expect(() =>
      att(
        q,
        [...kv, ...kv],
        [
          [1, 1, 1, 1],
          [1, 1, 1],
        ],
      ),
    ).to.throw(NumericsError, 'intAttention: values[1] has 3 codes; kvHeads·headDim = 4');
    expect(() => att(q, kv, [[1, 1, 1, -200]])).to.throw(NumericsError, 'values[0][3] = -200');
  });
});

describe('attention shifts (docs/numerics.md attention decode step)', () => {
  it('score shift ss + log4(d) - sq - sk; output shift so - sv + probBits', () => {
    const p = { ...ATT, headDim: 16, scoreScaleExp: -4, qScaleExp: -3, kScaleExp: -2 };
    expect(attentionScoreShift(p)).to.equal(3); // -4 + 2 + 3 + 2
    expect(attentionOutShift({ ...ATT, outScaleExp: -2, vScaleExp: -3, probBits: 8 })).to.equal(9);
  });
});

describe('activation edges (docs/numerics.md: σ table over [-8, 8] in Q12 steps of 1/4)', () => {
  it('σ is 0 below -8, T[0] = 11 at -8, interpolates to 32757 just below 8, 2^15 from 8 on', () => {
    const lo = -8n << 12n;
    expect(sigmoidQ15(lo - 1n)).to.equal(0n);
    expect(sigmoidQ15(lo)).to.equal(11n);
    // u = 65535: j = 63, frac = 1023: 32754 + RNE(3·1023/1024) = 32757
    expect(sigmoidQ15(-lo - 1n)).to.equal(32757n);
    expect(sigmoidQ15(-lo)).to.equal(32768n);
  });
  it('codes are checked by name', () => {
    expect(() => intActivation([1, 200], ACT)).to.throw(
      NumericsError,
      'codes[1] = 200 is not a signed 8-bit code (-128..127)',
    );
  });
});
