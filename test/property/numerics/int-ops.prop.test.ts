// Error bounds of the integer softmax and norms against FP64 on random rows (fast-check, fixed
// seeds; MXGEN_FUZZ_N scales the runs). The bounds are the ones stated in docs/numerics.md.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  intNorm,
  intSoftmax,
  normConstants,
  type IntNormParams,
  type IntSoftmaxParams,
} from '../../../src/numerics/index.js';

const RUNS = 400 * Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1'));

/** Rows of int8 codes around an offset with a random spread (tight rows, wide rows, ties). */
const rowArb = (n: number, bits = 8): fc.Arbitrary<number[]> =>
  fc
    .tuple(fc.integer({ min: -128, max: 127 }), fc.constantFrom(0, 1, 3, 15, 63, 255))
    .chain(([off, spread]) =>
      fc.array(
        fc
          .integer({ min: -spread, max: spread })
          .map((d) => Math.max(-(2 ** (bits - 1)), Math.min(2 ** (bits - 1) - 1, off + d))),
        { minLength: n, maxLength: n },
      ),
    );

const SOFTMAX_CASES: readonly { p: IntSoftmaxParams; n: number }[] = [
  { p: { inBits: 8, inScaleExp: -4, outBits: 8, outFracBits: 8 }, n: 16 },
  { p: { inBits: 8, inScaleExp: -3, outBits: 16, outFracBits: 16 }, n: 64 },
  { p: { inBits: 8, inScaleExp: -5, outBits: 16, outFracBits: 15, chunk: 8 }, n: 64 },
  { p: { inBits: 8, inScaleExp: -2, outBits: 8, outFracBits: 8, chunk: 1 }, n: 8 },
  { p: { inBits: 8, inScaleExp: 0, outBits: 8, outFracBits: 7, chunk: 4 }, n: 32 },
  { p: { inBits: 6, inScaleExp: -1, outBits: 8, outFracBits: 8 }, n: 5 },
];

/** Stated: |p_i - P_i| ≤ 2^-(F+1) + 1.5e-4 (P_i the FP64 softmax, clamped to the largest code). */
const SOFTMAX_ABS = 1.5e-4;

describe('int-ops: softmax against FP64 on random rows', () => {
  for (const { p, n } of SOFTMAX_CASES)
    it(`${JSON.stringify(p)}, N = ${n}: every p_i within 2^-(F+1) + ${SOFTMAX_ABS}; the row sums to 1 within the stated bound`, () => {
      const lsb = 2 ** -p.outFracBits;
      const chunks = Math.ceil(n / (p.chunk ?? n));
      // Stated: |Σ p_i - 1| ≤ (N/2 + 1)·2^-F + 3e-4·(chunks - 1) (online rescales).
      const sumBound = (n / 2 + 1) * lsb + 3e-4 * (chunks - 1);
      let worst = 0;
      let worstSum = 0;
      fc.assert(
        fc.property(rowArb(n, p.inBits), (row) => {
          const y = intSoftmax(row, p);
          const x = row.map((v) => v * 2 ** p.inScaleExp);
          const m = Math.max(...x);
          const ex = x.map((v) => Math.exp(v - m));
          const s = ex.reduce((a, b) => a + b, 0);
          const top = (2 ** p.outBits - 1) * lsb;
          y.forEach((c, i) => {
            const err = Math.abs(c * lsb - Math.min(top, (ex[i] as number) / s)) - lsb / 2;
            worst = Math.max(worst, err);
            expect(err).to.be.at.most(SOFTMAX_ABS);
          });
          const dev = Math.abs(y.reduce((a, b) => a + b, 0) * lsb - 1);
          worstSum = Math.max(worstSum, dev);
          expect(dev).to.be.at.most(sumBound);
        }),
        { seed: 1301, numRuns: RUNS },
      );
      if (process.env.MXGEN_INTOPS_STATS)
        console.log(
          `softmax ${JSON.stringify(p)} N=${n}: worst ${worst}, sum ${worstSum / lsb} LSB`,
        );
    });
  it('the online form with chunk = N is the two-pass form; rising rows rescale at every chunk', () => {
    const p = { inBits: 8, inScaleExp: -4, outBits: 16, outFracBits: 16 };
    const rising = Array.from({ length: 64 }, (_, i) => 2 * i - 64);
    const two = intSoftmax(rising, p);
    expect(intSoftmax(rising, { ...p, chunk: 64 })).to.deep.equal(two);
    for (const chunk of [1, 2, 4, 8, 16]) {
      const on = intSoftmax(rising, { ...p, chunk });
      on.forEach((c, i) => expect(Math.abs(c - (two[i] as number))).to.be.at.most(64));
      const dev = Math.abs(on.reduce((a, b) => a + b, 0) / 65536 - 1);
      expect(dev).to.be.at.most(33 / 65536 + 3e-4 * (64 / chunk - 1));
    }
  });
});

const NORM_CASES: readonly Omit<IntNormParams, 'kind'>[] = [
  {
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
  },
  {
    n: 64,
    inBits: 8,
    inScaleExp: -3,
    gammaBits: 8,
    gammaScaleExp: -7,
    betaBits: 8,
    betaScaleExp: -5,
    outBits: 8,
    outScaleExp: -4,
    epsMantissa: 1,
    epsExp: -20,
  },
  {
    n: 7,
    inBits: 8,
    inScaleExp: 0,
    gammaBits: 6,
    gammaScaleExp: -4,
    betaBits: 4,
    betaScaleExp: -2,
    outBits: 8,
    outScaleExp: -4,
    epsMantissa: 3,
    epsExp: 0,
  },
  {
    n: 32,
    inBits: 8,
    inScaleExp: -6,
    gammaBits: 8,
    gammaScaleExp: -6,
    betaBits: 8,
    betaScaleExp: -6,
    outBits: 12,
    outScaleExp: -8,
    epsMantissa: 5,
    epsExp: -10,
  },
];

describe('int-ops: layernorm and rmsnorm against FP64 on random rows', () => {
  for (const kind of ['layernorm', 'rmsnorm'] as const)
    for (const base of NORM_CASES) {
      const p: IntNormParams = { ...base, kind };
      it(`${kind} N = ${p.n}, eps = ${p.epsMantissa}·2^${p.epsExp}: |code - clamp(y·γ + β)| ≤ 1/2 + 2^-17·|y·γ| (LSB)`, () => {
        const c = normConstants(p);
        const code = (b: number) => fc.integer({ min: -(2 ** (b - 1)), max: 2 ** (b - 1) - 1 });
        const vec = (b: number) => fc.array(code(b), { minLength: p.n, maxLength: p.n });
        let worst = 0;
        fc.assert(
          fc.property(rowArb(p.n), vec(p.gammaBits), vec(p.betaBits), (row, g, b) => {
            const y = intNorm(p, row, g, b);
            const x = row.map((v) => v * 2 ** p.inScaleExp);
            const mu = kind === 'layernorm' ? x.reduce((a, v) => a + v, 0) / p.n : 0;
            const v = x.reduce((a, t) => a + (t - mu) ** 2, 0) / p.n;
            const den = Math.sqrt(v + p.epsMantissa * 2 ** p.epsExp);
            const lo = -(2 ** (p.outBits - 1));
            const hi = 2 ** (p.outBits - 1) - 1;
            y.forEach((q, i) => {
              const yg =
                (((x[i] as number) - mu) / den) *
                (g[i] as number) *
                2 ** (p.gammaScaleExp - p.outScaleExp);
              const beta =
                kind === 'layernorm' ? (b[i] as number) * 2 ** (p.betaScaleExp - p.outScaleExp) : 0;
              const t = Math.min(hi, Math.max(lo, yg + beta));
              const err = Math.abs(q - t) - 0.5;
              worst = Math.max(worst, err);
              expect(err).to.be.at.most(2 ** -17 * Math.abs(yg) + 1e-9);
            });
          }),
          { seed: 1302, numRuns: RUNS },
        );
        expect(c.k).to.equal(18 + Math.ceil(c.dMax.toString(2).length / 2));
        if (process.env.MXGEN_INTOPS_STATS)
          console.log(`${kind} N=${p.n}: worst beyond 1/2: ${worst}`);
      });
    }
});
