// The OliVe cast of the golden model (binary32 RNE, then oliveEncode with σ = 2^e) against hand
// calculations, and the units' fixed → binary32 converter against numerics.toBinary32Bits.
import { expect } from 'chai';
import fc from 'fast-check';
import { elaborate, ModuleBuilder, s, u } from '../../src/hdl/index.js';
import { quantizeOlive, toBinary32Static } from '../../src/ir/index.js';
import { fromInt, fromNumber, toBinary32Bits } from '../../src/numerics/index.js';
import { compile } from '../../src/sim/index.js';

const RUNS = 200 * Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1') || 1);

describe('ir: golden OliVe cast', () => {
  it('olive4 at σ = 1: 3.25 -> 3, -0.5 -> RNE(-0.5) = 0: byte 0x03', () => {
    expect([
      ...quantizeOlive([fromNumber(3.25), fromNumber(-0.5)], 'olive4', 0).codes,
    ]).to.deep.equal([0x03]);
  });
  it('rounds to binary32 first: 9.5 + 2^-40 becomes the tie 9.5, which goes to the normal 7', () => {
    // Exact 9.5 + 2^-40 would be an outlier (2|y| > 7 + 12); binary32 RNE gives exactly 9.5
    // (2^-40 is far below half an ulp of 9.5, 2^-21), and the 9.5 tie goes to the normal max 7.
    const v = fromInt((19n << 39n) + 1n, -40);
    expect([...quantizeOlive([v, fromInt(0n)], 'olive4', 0).codes]).to.deep.equal([0x07]);
  });
  it('olive4 at σ = 2^-2: 4 = 16σ is an outlier, its partner 0.25 = 1σ becomes the victim', () => {
    // 16 = (2^M + m)·2^(E+2) with M = 1: E = 1, m = 0 → magnitude code E·2^M + m = 2 (6.2);
    // c0 = 0x2, c1 = the identifier 0x8 → byte 0x82.
    expect([...quantizeOlive([fromNumber(4), fromNumber(0.25)], 'olive4', -2).codes]).to.deep.equal(
      [0x82],
    );
  });
});

describe('ir: toBinary32Static (exact total → binary32, RNE)', () => {
  for (const [w, e] of [
    [12, -3],
    [24, 0],
    [25, -10],
    [41, -20],
  ] as const)
    it(`s${w}·2^${e}: every sampled total equals toBinary32Bits`, () => {
      const m = new ModuleBuilder(`b32_${w}_${e < 0 ? `m${-e}` : e}`);
      const tot = m.input('tot', s(w));
      m.output('bits', u(32)).set(toBinary32Static(tot, e));
      const sim = compile(elaborate(m));
      const lim = 1n << BigInt(w - 1);
      const edge = [
        0n,
        1n,
        -1n,
        lim - 1n,
        -lim,
        (1n << 24n) + 1n,
        (1n << 25n) + 3n,
        -(1n << 24n) - 1n,
      ];
      const check = (t: bigint): void => {
        if (t < -lim || t >= lim) return;
        sim.poke('tot', BigInt.asUintN(w, t));
        expect(Number(sim.peek('bits')), `${t}`).to.equal(toBinary32Bits(fromInt(t, e)));
      };
      edge.forEach(check);
      fc.assert(
        fc.property(fc.bigInt({ min: -lim, max: lim - 1n }), (t) => check(t)),
        { seed: 31 + w, numRuns: RUNS },
      );
    });
});
