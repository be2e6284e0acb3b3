// Integer transformer ops (docs/numerics.md "Integer transformer ops"): hand-computed vectors
// (expected values worked out in the comments), exhaustive error bounds against FP64 for the
// elementwise ops (every int8 input, every int8 × int8 pair) and the exp kernel (every fraction).
import { expect } from 'chai';
import {
  exp2FracQ15,
  intActivation,
  intActivationCode,
  intExp,
  intMul,
  intNorm,
  intSoftmax,
  isqrt,
  normConstants,
  type ActivationOp,
  type IntNormParams,
} from '../../../src/numerics/index.js';
import { erf } from '../../support/erf.js';

describe('int-ops: hand-computed vectors', () => {
  it('exp of 0 is exactly 2^15; 2^-0.5 evaluates the cubic to 23168 (true 23170.5)', () => {
    expect(intExp(0n, -4).e).to.equal(32768n);
    // t2 = 7561 + RNE(-1288·2048/4096 = -644) = 6917; t1 = -22658 + RNE(3458.5 → 3458) = -19200;
    // e0 = 32768 + RNE(-19200·2048/4096 = -9600) = 23168.
    expect(exp2FracQ15(2048n)).to.equal(23168n);
  });
  it('exp(-1) with s = -4, d = -16: w = RNE(16·94548/2^8) = 5909, n = 1, f = 1813, e = 12054', () => {
    // t2 = 7561 + RNE(-570.10) = 6991; t1 = -22658 + RNE(3094.40) = -19564;
    // e0 = 32768 + RNE(-8659.55) = 24108; e = RNE(24108 / 2) = 12054 (true 2^15/e = 12054.6).
    const x = intExp(-16n, -4);
    expect([x.w, x.n, x.f, x.e0, x.e]).to.deep.equal([5909n, 1n, 1813n, 24108n, 12054n]);
  });
  it('softmax of [0, 0] is [128, 128] (0.5 each) in u8 at 2^-8', () => {
    // S = 2^16, R = 2^30, p = RNE(2^15·2^30/2^38) = 128.
    expect(
      intSoftmax([0, 0], { inBits: 8, inScaleExp: -4, outBits: 8, outFracBits: 8 }),
    ).to.deep.equal([128, 128]);
  });
  it('softmax of [16, 0] at 2^-4 (x = 1, 0) is [187, 69]', () => {
    // e = [32768, 12054], S = 44822, R = floor(2^46/44822) = 1569959934;
    // 32768·R/2^38 = 187.15 → 187, 12054·R/2^38 = 68.85 → 69 (true 0.7311·256 = 187.2, 68.8).
    const p = { inBits: 8, inScaleExp: -4, outBits: 8, outFracBits: 8 };
    expect(intSoftmax([16, 0], p)).to.deep.equal([187, 69]);
    expect(intSoftmax([16, 0], { ...p, chunk: 1 })).to.deep.equal([187, 69]);
    expect(intSoftmax([0, 16], { ...p, chunk: 1 })).to.deep.equal([69, 187]);
  });
  it('softmax saturates 1.0 to 255 and underflows e^-255 to 0', () => {
    // d = -255 at s = 0: n ≥ 16, e = 0; S = 2^15, R = 2^31, 2^15·2^31/2^38 = 256 → 255.
    expect(
      intSoftmax([127, -128], { inBits: 8, inScaleExp: 0, outBits: 8, outFracBits: 8 }),
    ).to.deep.equal([255, 0]);
  });
  it('layernorm and rmsnorm of [3, 1, -1, -3] with eps = 1, γ = 1, β = 0 give [39, 13, -13, -39] at 2^-5', () => {
    // LN: S1 = 0, S2 = 20, D = 4·20 - 0 + 16·1 = 96 (= (var 5 + eps 1)·16), K = 18 + ceil(19/2) = 28,
    // r = floor(2^28/sqrt(96)) = 27397079; y = (4x)/sqrt(96) = 1.2247, 0.4082 → ·32 = 39.19, 13.06.
    // RMS: D = 20 + 4 = 24 (= 4·(5 + 1)), y = x/sqrt(6): the same values.
    const p: IntNormParams = {
      kind: 'layernorm',
      n: 4,
      inBits: 8,
      inScaleExp: 0,
      gammaBits: 8,
      gammaScaleExp: -6,
      betaBits: 8,
      betaScaleExp: -6,
      outBits: 8,
      outScaleExp: -5,
      epsMantissa: 1,
      epsExp: 0,
    };
    expect(normConstants(p).k).to.equal(28);
    expect(isqrt((1n << 56n) / 96n)).to.equal(27397079n);
    const g = [64, 64, 64, 64];
    expect(intNorm(p, [3, 1, -1, -3], g, [0, 0, 0, 0])).to.deep.equal([39, 13, -13, -39]);
    expect(intNorm({ ...p, kind: 'rmsnorm' }, [3, 1, -1, -3], g)).to.deep.equal([39, 13, -13, -39]);
    // β = 32 (0.5) adds 16 codes; γ = -64 flips the sign.
    expect(intNorm(p, [3, 1, -1, -3], [-64, 64, 64, 64], [32, 32, 0, 0])).to.deep.equal([
      -23, 29, -13, -39,
    ]);
  });
  it('gelu-erf(2) = 63 and silu(1) = 94, gelu-tanh(-2) = -6 (hand-evaluated integer steps)', () => {
    // gelu-erf, x = 64·2^-5: X = 8192, v = RNE(8192·46341/2^16 = 5792.625) = 5793, t = -1453,
    // E = 2^24 - RNE(18927·1453²/2^16 = 609723.9) = 16167492, out = RNE(64·(2^24 + E)/2^25 = 62.84) = 63.
    expect(
      intActivationCode(64, {
        op: 'gelu-erf',
        inBits: 8,
        inScaleExp: -5,
        outBits: 8,
        outScaleExp: -5,
      }),
    ).to.equal(63);
    // silu, x = 1: t = 4096 → index 36, fraction 0, σ = 23955; out = RNE(23955/2^8 = 93.57) = 94.
    expect(
      intActivationCode(1, { op: 'silu', inBits: 8, inScaleExp: 0, outBits: 8, outScaleExp: -7 }),
    ).to.equal(94);
    // gelu-tanh, x = -2: X³ = -32768 (Q12), inner = -8192 + RNE(-32768·2930/2^16 = -1465) = -9657,
    // t = RNE(-9657·26145/2^14 = -15410.4) = -15410 → index 16, fraction 974: σ = 589 + RNE(164·974/1024
    // = 155.99) = 745; out = RNE(-32·745/2^12 = -5.82) = -6.
    expect(
      intActivationCode(-32, {
        op: 'gelu-tanh',
        inBits: 8,
        inScaleExp: -4,
        outBits: 8,
        outScaleExp: -7,
      }),
    ).to.equal(-6);
  });
  it('mul: 7·(-9)·2^-8 = -7.875 at 2^-5 → -8; ties -1.5 → -2, 2.5 → 2; saturation', () => {
    const p = { aBits: 8, aScaleExp: -4, bBits: 8, bScaleExp: -4, outBits: 8, outScaleExp: -5 };
    expect(intMul([7], [-9], p)).to.deep.equal([-8]);
    const h = { ...p, outScaleExp: -7 }; // shift 1
    expect(intMul([3, 5, 100], [-1, 1, 100], h)).to.deep.equal([-2, 2, 127]);
    expect(intMul([-128], [127], h)).to.deep.equal([-128]);
  });
});

const geluErf = (x: number): number => 0.5 * x * (1 + erf(x / Math.SQRT2));
const geluTanh = (x: number): number =>
  0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
const silu = (x: number): number => x / (1 + Math.exp(-x));
const REF: Record<ActivationOp, (x: number) => number> = {
  'gelu-erf': geluErf,
  'gelu-tanh': geluTanh,
  silu,
};
/** Stated approximation bounds (absolute, real units), on top of half an output LSB. */
const ACT_BOUND: Record<ActivationOp, number> = {
  'gelu-erf': 0.018,
  'gelu-tanh': 0.001,
  silu: 0.0027,
};

describe('int-ops: error bounds against FP64, exhaustive', () => {
  it('2^(-f/4096) in Q15 has relative error ≤ 1.35e-4, is non-increasing and ≤ 2^15 for every f', () => {
    let worst = 0;
    let prev = 1n << 16n;
    for (let f = 0; f < 4096; f++) {
      const e = exp2FracQ15(BigInt(f));
      expect(e <= prev && e <= 32768n, `f = ${f}`).to.equal(true);
      prev = e;
      worst = Math.max(worst, Math.abs(Number(e) / 32768 / 2 ** (-f / 4096) - 1));
    }
    expect(worst).to.be.below(1.35e-4);
  });
  for (const op of ['gelu-erf', 'gelu-tanh', 'silu'] as const)
    it(`${op}: every int8 input at 11 input scales is within 2^(so-1) + ${ACT_BOUND[op]} of FP64`, () => {
      let worst = 0;
      for (const sx of [-12, -10, -8, -7, -6, -5, -4, -3, -2, -1, 0])
        for (const [ob, so] of [
          [16, -11],
          [8, sx - 1],
          [8, sx],
        ] as const) {
          const p = { op, inBits: 8, inScaleExp: sx, outBits: ob, outScaleExp: so };
          const codes = Array.from({ length: 256 }, (_, i) => i - 128);
          const out = intActivation(codes, p);
          const lo = -(2 ** (ob - 1)) * 2 ** so;
          const hi = (2 ** (ob - 1) - 1) * 2 ** so;
          codes.forEach((q, i) => {
            const t = Math.min(hi, Math.max(lo, REF[op](q * 2 ** sx)));
            const err = Math.abs((out[i] as number) * 2 ** so - t) - 2 ** (so - 1);
            worst = Math.max(worst, err);
            expect(err, `${op} q=${q} sx=${sx} so=${so}`).to.be.at.most(ACT_BOUND[op]);
          });
        }
      expect(worst).to.be.greaterThan(0); // the bound is not vacuous
    });
  it('mul: every int8 × int8 pair is RNE of the exact product (error ≤ 0.5 LSB, ties to even)', () => {
    const p = { aBits: 8, aScaleExp: -4, bBits: 8, bScaleExp: -3, outBits: 8, outScaleExp: -2 };
    const a: number[] = [];
    const b: number[] = [];
    for (let x = -128; x < 128; x++)
      for (let y = -128; y < 128; y++) {
        a.push(x);
        b.push(y);
      }
    const out = intMul(a, b, p);
    out.forEach((c, i) => {
      const t = Math.min(127, Math.max(-128, ((a[i] as number) * (b[i] as number)) / 32));
      const err = Math.abs(c - t);
      expect(err).to.be.at.most(0.5);
      if (err === 0.5) expect(c % 2).to.equal(0);
    });
  });
});
