// The OliVe cast of the golden model (binary32 RNE, then oliveEncode with σ = 2^e) against hand
// calculations. The hardware's fixed → binary32 step is components/arith's fixedToBinary32,
// tested against numerics.toBinary32Bits in test/components/mac-array-arith.test.ts.
import { expect } from 'chai';
import { quantizeOlive } from '../../src/ir/index.js';
import { fromInt, fromNumber } from '../../src/numerics/index.js';

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
