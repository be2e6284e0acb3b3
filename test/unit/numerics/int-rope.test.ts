// RoPE in integers (docs/numerics.md "rope"): a hand-computed vector, the tables against binary64
// cos/sin, and on fast-check tokens the stated error bound against the FP64 rotation of the same
// codes: |y·2^so − exact| ≤ 2^(so−1) + (|x0| + |x1|)·2^(si−F−1) for every output that does not
// saturate (v codes: 2^(so−1)), and saturation only where the FP64 value is past the range.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  intRope,
  NumericsError,
  ropeAngle,
  ropeTables,
  type IntRopeParams,
} from '../../../src/numerics/index.js';

const P: IntRopeParams = {
  heads: 1,
  kvHeads: 1,
  headDim: 2,
  seqLen: 4,
  base: 10000,
  fracBits: 14,
  inBits: 8,
  inScaleExp: -4,
  outBits: 8,
  outScaleExp: -4,
};

describe('int-ops: rope', () => {
  it('position 1, pair 0 (θ = 1 rad): C = RNE(8852.31) = 8852, S = RNE(13786.86) = 13787', () => {
    const t = ropeTables(P);
    expect(t.cos[1]?.[0]).to.equal(8852);
    expect(t.sin[1]?.[0]).to.equal(13787);
    // q = (10, 3): y0 = RNE((10·8852 − 3·13787)/2^14 = 47159/16384 = 2.878) = 3,
    //              y1 = RNE((10·13787 + 3·8852)/2^14 = 164426/16384 = 10.036) = 10;
    // k = (-7, 2): y0 = RNE((-61964 − 27574)/16384 = -5.465) = -5, y1 = RNE((-96509 + 17704)/16384 = -4.810) = -5;
    // v = (5, -6) passes unchanged (same exponent).
    expect(intRope([10, 3, -7, 2, 5, -6], 1, P)).to.deep.equal([3, 10, -5, -5, 5, -6]);
  });

  it('tables without a row for the position, or with too few pairs, are an error (not a rotation by 0)', () => {
    const t = ropeTables(P);
    const short = { cos: t.cos.slice(0, 2), sin: t.sin.slice(0, 2) };
    expect(intRope([10, 3, -7, 2, 5, -6], 1, P, short)).to.deep.equal([3, 10, -5, -5, 5, -6]);
    expect(() => intRope([10, 3, -7, 2, 5, -6], 2, P, short)).to.throw(
      NumericsError,
      "intRope: the tables' row for position 2 has 0 pairs; expected headDim/2 = 1",
    );
    const noSin = { cos: t.cos, sin: t.sin.map(() => []) };
    expect(() => intRope([10, 3, -7, 2, 5, -6], 1, P, noSin)).to.throw(
      NumericsError,
      "intRope: the tables' row for position 1 has 0 pairs; expected headDim/2 = 1",
    );
    // each table checked on its own: cos without the row (or without pairs) beside a full sin,
    // and sin without the row beside a full cos
    const cosRowless = { cos: t.cos.slice(0, 1), sin: t.sin };
    const cosEmpty = { cos: t.cos.map(() => []), sin: t.sin };
    const sinRowless = { cos: t.cos, sin: t.sin.slice(0, 1) };
    for (const [name, tab] of [
      ['cos rowless', cosRowless],
      ['cos empty', cosEmpty],
      ['sin rowless', sinRowless],
    ] as const)
      expect(() => intRope([10, 3, -7, 2, 5, -6], 1, P, tab), name).to.throw(
        NumericsError,
        "intRope: the tables' row for position 1 has 0 pairs; expected headDim/2 = 1",
      );
  });

  it('position 0 is the identity rotation (C = 2^F, S = 0) for every pair', () => {
    const t = ropeTables({ ...P, headDim: 16 });
    expect(t.cos[0]).to.deep.equal(Array(8).fill(2 ** 14));
    expect(t.sin[0]).to.deep.equal(Array(8).fill(0));
  });

  it('every table code is within 1/2 of cos/sin·2^F (binary64), |code| ≤ 2^F', () => {
    const p = { ...P, headDim: 64, seqLen: 256, fracBits: 12 };
    const t = ropeTables(p);
    for (let pos = 0; pos < p.seqLen; pos++)
      for (let i = 0; i < 32; i++) {
        const a = ropeAngle(p, pos, i);
        const c = t.cos[pos]?.[i] ?? NaN;
        const s = t.sin[pos]?.[i] ?? NaN;
        expect(Math.abs(c - Math.cos(a) * 4096)).to.be.at.most(0.5 + 1e-9);
        expect(Math.abs(s - Math.sin(a) * 4096)).to.be.at.most(0.5 + 1e-9);
        expect(Math.abs(c)).to.be.at.most(4096);
        expect(Math.abs(s)).to.be.at.most(4096);
      }
  });

  it('within the stated bound of the FP64 rotation (fast-check: heads, dims, scales, positions)', () => {
    const cfg = fc.record({
      heads: fc.integer({ min: 1, max: 3 }),
      kvHeads: fc.integer({ min: 1, max: 2 }),
      headDim: fc.integer({ min: 1, max: 8 }).map((h) => 2 * h),
      seqLen: fc.integer({ min: 1, max: 40 }),
      base: fc.constantFrom(100, 10000, 500000),
      fracBits: fc.integer({ min: 4, max: 18 }),
      inBits: fc.integer({ min: 2, max: 12 }),
      inScaleExp: fc.integer({ min: -10, max: 4 }),
      outBits: fc.integer({ min: 2, max: 12 }),
      outScaleExp: fc.integer({ min: -10, max: 4 }),
    });
    fc.assert(
      fc.property(
        cfg,
        fc.nat(),
        fc.array(fc.integer(), { minLength: 64, maxLength: 64 }),
        (p, k, raw) => {
          const n = (p.heads + 2 * p.kvHeads) * p.headDim;
          const half = 2 ** (p.inBits - 1);
          const x = Array.from(
            { length: n },
            (_, i) => (((((raw[i % 64] ?? 0) + i * 7919) % half) + half) % (2 * half)) - half,
          );
          const pos = k % p.seqLen;
          const y = intRope(x, pos, p);
          const si = 2 ** p.inScaleExp;
          const so = 2 ** p.outScaleExp;
          const top = (2 ** (p.outBits - 1) - 1) * so;
          const bot = -(2 ** (p.outBits - 1)) * so;
          const rot = (p.heads + p.kvHeads) * p.headDim;
          for (let j = 0; j < n; j += 2) {
            const x0 = x[j] ?? 0;
            const x1 = x[j + 1] ?? 0;
            const a = j < rot ? ropeAngle(p, pos, (j % p.headDim) / 2) : 0;
            const exact = [
              (x0 * Math.cos(a) - x1 * Math.sin(a)) * si,
              (x0 * Math.sin(a) + x1 * Math.cos(a)) * si,
            ];
            const bound =
              so / 2 + (j < rot ? (Math.abs(x0) + Math.abs(x1)) * si * 2 ** (-p.fracBits - 1) : 0);
            for (const e of [0, 1]) {
              const got = (y[j + e] ?? NaN) * so;
              const want = exact[e] ?? NaN;
              if (got === top && want > top) continue; // saturated above: FP64 past the range
              if (got === bot && want < bot) continue;
              expect(Math.abs(got - want), `j ${j + e} pos ${pos}`).to.be.at.most(
                bound * (1 + 1e-9),
              );
            }
          }
        },
      ),
      { numRuns: 3000, seed: 13 },
    );
  });

  it('a bad position or length is a one-line numerics error', () => {
    expect(() => intRope([1, 2, 3, 4, 5, 6], 4, P)).to.throw(
      NumericsError,
      /pos must be an integer in 0\.\.3/,
    );
    expect(() => intRope([1, 2], 0, P)).to.throw(NumericsError, /intRope: 2 codes; expected/);
  });
});
