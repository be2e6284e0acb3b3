// intMatmul (matmul of two activations, docs/numerics.md): hand-computed products, and on
// fast-check operands every output is the FP64 product (exact here: the sums are small integers)
// rounded to nearest even and saturated, error ≤ half an output LSB; grouped-query heads share b.
import { expect } from 'chai';
import fc from 'fast-check';
import { intMatmul, type IntMatmulParams, NumericsError } from '../../../src/numerics/index.js';

const P: IntMatmulParams = {
  heads: 1,
  kvHeads: 1,
  m: 2,
  k: 2,
  n: 2,
  transposeB: false,
  aBits: 8,
  aScaleExp: 0,
  bBits: 8,
  bScaleExp: 0,
  outBits: 8,
  outScaleExp: 0,
};

/** FP64 reference: the same product on the real values, clamped to the output range. */
function fp64(a: number[], b: number[], p: IntMatmulParams): number[] {
  const out: number[] = [];
  const g = p.heads / p.kvHeads;
  for (let h = 0; h < p.heads; h++)
    for (let r = 0; r < p.m; r++)
      for (let j = 0; j < p.n; j++) {
        let s = 0;
        const kv = Math.floor(h / g);
        for (let i = 0; i < p.k; i++) {
          const bi = kv * p.k * p.n + (p.transposeB ? j * p.k + i : i * p.n + j);
          s +=
            (a[(h * p.m + r) * p.k + i] as number) *
            2 ** p.aScaleExp *
            (b[bi] as number) *
            2 ** p.bScaleExp;
        }
        const lo = -(2 ** (p.outBits - 1)) * 2 ** p.outScaleExp;
        const hi = (2 ** (p.outBits - 1) - 1) * 2 ** p.outScaleExp;
        out.push(Math.min(hi, Math.max(lo, s)));
      }
  return out;
}

describe('int-ops: intMatmul', () => {
  it('[[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]; transposed b gives A·Bᵀ', () => {
    expect(intMatmul([1, 2, 3, 4], [5, 6, 7, 8], P)).to.deep.equal([19, 22, 43, 50]);
    // A·Bᵀ: rows of b are the columns: [[1·5+2·6, 1·7+2·8], [3·5+4·6, 3·7+4·8]]
    expect(intMatmul([1, 2, 3, 4], [5, 6, 7, 8], { ...P, transposeB: true })).to.deep.equal([
      17, 23, 39, 53,
    ]);
  });
  it('rescale: 19·2^-2 = 4.75 → 5, 22/4 = 5.5 → 6 (even), 43/4 → 11, 50/4 = 12.5 → 12; saturation', () => {
    expect(intMatmul([1, 2, 3, 4], [5, 6, 7, 8], { ...P, outScaleExp: 2 })).to.deep.equal([
      5, 6, 11, 12,
    ]);
    expect(intMatmul([127, 127], [127, 127], { ...P, m: 1, n: 1 })).to.deep.equal([127]);
    expect(intMatmul([-128, -128], [127, 127], { ...P, m: 1, n: 1 })).to.deep.equal([-128]);
  });
  it('grouped-query: 4 heads on 2 kv heads, heads 0 and 1 read kv head 0', () => {
    const p = { ...P, heads: 4, kvHeads: 2, m: 1, k: 2, n: 1 };
    // a heads: [1,0], [0,1], [1,1], [2,0]; b kv heads: [3,4], [5,6]
    expect(intMatmul([1, 0, 0, 1, 1, 1, 2, 0], [3, 4, 5, 6], p)).to.deep.equal([3, 4, 11, 10]);
  });
  it('bad shapes and parameters are NumericsErrors', () => {
    expect(() => intMatmul([1, 2, 3], [5, 6, 7, 8], P)).to.throw(NumericsError, /heads·m·k = 4/);
    expect(() => intMatmul([1, 2, 3, 4], [5, 6, 7, 8], { ...P, heads: 3, kvHeads: 2 })).to.throw(
      NumericsError,
      /multiple of kvHeads/,
    );
    expect(() => intMatmul([1, 2, 3, 400], [5, 6, 7, 8], P)).to.throw(NumericsError, /a\[3\]/);
  });
  it('error vs FP64 ≤ half an output LSB, ties to even (fast-check shapes, widths, scales)', () => {
    let ties = 0;
    fc.assert(
      fc.property(
        fc
          .record({
            kvHeads: fc.integer({ min: 1, max: 2 }),
            group: fc.integer({ min: 1, max: 2 }),
            m: fc.integer({ min: 1, max: 3 }),
            k: fc.integer({ min: 1, max: 6 }),
            n: fc.integer({ min: 1, max: 3 }),
            transposeB: fc.boolean(),
            aBits: fc.integer({ min: 2, max: 8 }),
            bBits: fc.integer({ min: 2, max: 8 }),
            outBits: fc.integer({ min: 4, max: 12 }),
            aScaleExp: fc.integer({ min: -8, max: 2 }),
            bScaleExp: fc.integer({ min: -8, max: 2 }),
            shift: fc.integer({ min: -2, max: 10 }),
          })
          .chain((r) => {
            const p: IntMatmulParams = {
              ...r,
              heads: r.kvHeads * r.group,
              outScaleExp: r.aScaleExp + r.bScaleExp + r.shift,
            };
            const codes = (len: number, bits: number) =>
              fc.array(fc.integer({ min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 }), {
                minLength: len,
                maxLength: len,
              });
            return fc.tuple(
              fc.constant(p),
              codes(p.heads * p.m * p.k, p.aBits),
              codes(p.kvHeads * p.k * p.n, p.bBits),
            );
          }),
        ([p, a, b]) => {
          const y = intMatmul(a, b, p);
          const t = fp64(a, b, p);
          y.forEach((c, i) => {
            const err = Math.abs(c - (t[i] as number) / 2 ** p.outScaleExp);
            expect(err).to.be.at.most(0.5);
            if (err === 0.5) {
              ties++;
              expect(Math.abs(c % 2)).to.equal(0);
            }
          });
        },
      ),
      { numRuns: 2000, seed: 13 },
    );
    expect(ties).to.be.greaterThan(0);
  });
});
