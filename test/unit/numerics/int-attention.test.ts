// intAttention (one decode step over an integer KV cache, docs/numerics.md): a hand-computed step,
// kvQuantize, and on fast-check caches the stated bound against FP64 attention on the same q, k, v
// values (scores not saturated): |ctx − FP64| ≤ 2^(so−1) + max|v|·L·(2^-(F+1) + 1.5e-4 +
// (e^(2^(ss−1)·2) − 1)), i.e. the output rounding plus what the score rounding and the integer
// softmax move each probability.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  intAttention,
  type IntAttentionParams,
  kvQuantize,
  NumericsError,
} from '../../../src/numerics/index.js';

const P: IntAttentionParams = {
  heads: 1,
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
  outScaleExp: -2,
};

describe('int-ops: intAttention (decode step over a KV cache)', () => {
  it('one position: p = 255/256 (1 saturates), ctx = RNE(255·v/256 at 2^-2)', () => {
    // q·k = 4, /√4 = 2 → score 32 at 2^-4; softmax of one element: 256 → saturated 255.
    const r = intAttention([1, 1, 1, 1], [[1, 1, 1, 1]], [[4, -8, 1, 0]], P);
    expect(r.scores).to.deep.equal([[32]]);
    expect(r.probs).to.deep.equal([[255]]);
    // 255·4/256 = 3.984 → 15.94 quarters → 16; -7.97 → -31.875 → -32; 0.996 → 3.98 → 4
    expect(r.out).to.deep.equal([16, -32, 4, 0]);
  });
  it('two equal scores split evenly: [128, 128], ctx = the mean of the values', () => {
    const r = intAttention(
      [1, 0, 0, 0],
      [
        [2, 0, 0, 0],
        [2, 5, 5, 5],
      ],
      [
        [4, 0, 0, 0],
        [0, 4, 0, 0],
      ],
      P,
    );
    expect(r.probs).to.deep.equal([[128, 128]]);
    expect(r.out).to.deep.equal([8, 8, 0, 0]); // 2 and 2 at 2^-2
  });
  it('kvQuantize keeps the range: int8 at 2^-4 → int4 at 2^0 is sat(RNE(c/16))', () => {
    expect(kvQuantize([127, -128, 24, 8, -8, 40], -4, 4, 0)).to.deep.equal([7, -8, 2, 0, 0, 2]);
  });
  it('bad parameters are NumericsErrors naming the field', () => {
    expect(() =>
      intAttention([1, 1, 1, 1, 1, 1, 1, 1], [[1]], [[1]], { ...P, headDim: 8 }),
    ).to.throw(NumericsError, /headDim must be a power of 4/);
    expect(() => intAttention([1, 1, 1, 1], [], [], P)).to.throw(NumericsError, /at least 1/);
  });
  it('within the stated bound of FP64 attention (fast-check, GQA, int4..int8 caches)', () => {
    let worst = 0;
    fc.assert(
      fc.property(
        fc
          .record({
            kvHeads: fc.integer({ min: 1, max: 2 }),
            group: fc.integer({ min: 1, max: 2 }),
            headDim: fc.constantFrom(1, 4, 16),
            L: fc.integer({ min: 1, max: 8 }),
            kvBits: fc.integer({ min: 4, max: 8 }),
            probBits: fc.integer({ min: 6, max: 10 }),
          })
          .chain((r) => {
            const p: IntAttentionParams = {
              ...P,
              heads: r.kvHeads * r.group,
              kvHeads: r.kvHeads,
              headDim: r.headDim,
              qBits: 6,
              qScaleExp: -4,
              kvBits: r.kvBits,
              kScaleExp: -2,
              vScaleExp: -2,
              scoreBits: 14,
              scoreScaleExp: -6,
              probBits: r.probBits,
              outBits: 12,
              outScaleExp: -6,
            };
            const codes = (len: number, bits: number) =>
              fc.array(fc.integer({ min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 }), {
                minLength: len,
                maxLength: len,
              });
            const kv = r.kvHeads * r.headDim;
            return fc.tuple(
              fc.constant(p),
              fc.constant(r.L),
              codes(p.heads * r.headDim, 6),
              fc.array(codes(kv, r.kvBits), { minLength: r.L, maxLength: r.L }),
              fc.array(codes(kv, r.kvBits), { minLength: r.L, maxLength: r.L }),
            );
          }),
        ([p, L, q, keys, values]) => {
          const r = intAttention(q, keys, values, p);
          const d = p.headDim;
          const g = p.heads / p.kvHeads;
          const vmax = 2 ** (p.kvBits - 1) * 2 ** p.vScaleExp;
          const bound =
            2 ** (p.outScaleExp - 1) +
            vmax * L * (2 ** -(p.probBits + 1) + 1.5e-4 + (Math.exp(2 ** p.scoreScaleExp) - 1));
          for (let h = 0; h < p.heads; h++) {
            const kv = Math.floor(h / g);
            const s = keys.map(
              (k) =>
                q
                  .slice(h * d, (h + 1) * d)
                  .reduce(
                    (a, x, i) =>
                      a + x * 2 ** p.qScaleExp * (k[kv * d + i] as number) * 2 ** p.kScaleExp,
                    0,
                  ) / Math.sqrt(d),
            );
            const mx = Math.max(...s);
            const e = s.map((x) => Math.exp(x - mx));
            const sum = e.reduce((a, x) => a + x, 0);
            for (let i = 0; i < d; i++) {
              const f = e.reduce(
                (a, x, j) => a + (x / sum) * (values[j]?.[kv * d + i] as number) * 2 ** p.vScaleExp,
                0,
              );
              const y = (r.out[h * d + i] as number) * 2 ** p.outScaleExp;
              const err = Math.abs(y - f);
              worst = Math.max(worst, err / bound);
              expect(err, `head ${h} feature ${i}`).to.be.at.most(bound);
            }
          }
        },
      ),
      { numRuns: 1500, seed: 13 },
    );
    expect(worst).to.be.greaterThan(0.05); // the bound is not vacuous
  });
});
