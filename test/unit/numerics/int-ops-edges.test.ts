// Integer transformer ops, the cases the vectors of int-ops.test.ts and int-rope.test.ts do not
// reach (docs/numerics.md "Integer transformer ops"; every expected value worked out by hand in
// the comments): norm constants at non-zero input and eps exponents, a row with a non-zero mean,
// β ignored by rmsnorm; softmax's online step when the running max holds and when it grows;
// gelu-erf where the i-GELU polynomial and the tanh form give different codes; rope's parameter
// messages, table size and code message.
import { expect } from 'chai';
import {
  intActivationCode,
  intNorm,
  type IntNormParams,
  intRope,
  type IntRopeParams,
  normConstants,
  normStats,
  ropeTableBits,
  ropeTables,
  softmaxStep,
} from '../../../src/numerics/index.js';
import { throwsWith } from '../../support/numerics-error.js';

const LN: IntNormParams = {
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

describe('int-ops: edges of norm, softmax, gelu-erf and rope', () => {
  it('norm constants with eps below the data scale: inScaleExp -3, eps = 3·2^-10', () => {
    const a = { ...LN, inScaleExp: -3, epsMantissa: 3, epsExp: -10 };
    // t = min(-6, -10) = -10, h = -3 + 5 = 2, dataShift = -6 + 10 = 4, epsTerm = 16·3 << 0 = 48;
    // dMax = (16·2^14 << 4) + 48 = 4194352 (23 bits): K = 18 + 12 = 30;
    // c1 = 2 - 30 - 6 + 5 = -29, c2 = -6 + 5 = -1: gShift 0, bShift 28, outShift 29
    expect(normConstants(a)).to.deep.equal({
      t: -10,
      h: 2,
      dataShift: 4,
      epsTerm: 48n,
      m: 1n,
      dMax: 4194352n,
      k: 30,
      gShift: 0,
      bShift: 28,
      outShift: 29,
    });
    // rmsnorm: epsTerm = 4·3 = 12, dMax = (4·2^14 << 4) + 12 = 1048588 (21 bits): K = 29;
    // c1 = c2 = 2 - 29 - 1 = -28
    expect(normConstants({ ...a, kind: 'rmsnorm' })).to.deep.equal({
      t: -10,
      h: 2,
      dataShift: 4,
      epsTerm: 12n,
      m: 4n,
      dMax: 1048588n,
      k: 29,
      gShift: 0,
      bShift: 0,
      outShift: 28,
    });
  });

  it('norm constants with eps above the data scale: inScaleExp -4, eps = 3·2^-2', () => {
    // t = min(-8, -2) = -8, h = 0, dataShift = 0, epsTerm = 48 << 6 = 3072;
    // dMax = 262144 + 3072 = 265216 (19 bits): K = 28; c1 = 0 - 28 - 1 = -29
    expect(normConstants({ ...LN, inScaleExp: -4, epsMantissa: 3, epsExp: -2 })).to.deep.equal({
      t: -8,
      h: 0,
      dataShift: 0,
      epsTerm: 3072n,
      m: 1n,
      dMax: 265216n,
      k: 28,
      gShift: 0,
      bShift: 28,
      outShift: 29,
    });
  });

  it('layernorm of a row with mean 2: [5, 1, -1, 3] gives the codes of [3, 1, -1, -3] reordered', () => {
    // S1 = 8, S2 = 36, D = 4·36 - 64 + 16 = 96 (as for [3, 1, -1, -3]); a = 4x - 8 = [12, -4, -12, 4]
    const st = normStats(LN, [5n, 1n, -1n, 3n]);
    expect(st).to.deep.equal({ s1: 8n, s2: 36n, d: 96n, r: 27397079n });
    expect(intNorm(LN, [5, 1, -1, 3], [64, 64, 64, 64], [0, 0, 0, 0])).to.deep.equal([
      39, -13, -39, 13,
    ]);
  });

  it('rmsnorm ignores β whatever its values; layernorm without β is an error', () => {
    const g = [64, 64, 64, 64];
    expect(
      intNorm({ ...LN, kind: 'rmsnorm' }, [3, 1, -1, -3], g, [2 ** 40, 0, 0, 0]),
    ).to.deep.equal([39, 13, -13, -39]);
    throwsWith(
      () => intNorm(LN, [3, 1, -1, -3], g),
      'intNorm: layernorm needs n = 4 beta codes; got 0',
    );
  });

  it('softmax step: a held running max rescales by exactly 1, a grown one by exp(old - new)', () => {
    // max 16 holds: sum = RNE(32768·2^15·2^-15) + intExp(-16, -4).e = 32768 + 12054
    expect(softmaxStep({ max: 16n, sum: 32768n }, [0n], -4)).to.deep.equal({
      max: 16n,
      sum: 44822n,
    });
    // max grows 0 → 16: sum = RNE(32768·24108·2^-16) = 12054, + intExp(0).e = 32768
    expect(softmaxStep({ max: 0n, sum: 32768n }, [16n], -4)).to.deep.equal({
      max: 16n,
      sum: 44822n,
    });
  });

  it('gelu-erf(-1) at 2^-10 is -167 (i-GELU), where the tanh form is near -163', () => {
    // X = -4096 (Q12); v = RNE(4096·46341/2^16 = 2896.31) = 2896; t = 2896 - 7246 = -4350;
    // 18927·4350² = 358146157500, /2^16 = 5464876.67 → 5464877; E = 2^24 - 5464877 = 11312339;
    // f = 2^24 - E = 5464877 (x < 0); out = RNE(-5464877 / 2^(25 - 10) = -166.78) = -167
    expect(
      intActivationCode(-1, {
        op: 'gelu-erf',
        inBits: 8,
        inScaleExp: 0,
        outBits: 16,
        outScaleExp: -10,
      }),
    ).to.equal(-167);
  });

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

  it('rope: tables of exactly seqLen rows, codes of fracBits + 2 bits', () => {
    const t = ropeTables(P);
    expect([t.cos.length, t.sin.length]).to.deep.equal([4, 4]);
    expect(ropeTableBits({ fracBits: 14 })).to.equal(16);
  });

  it('rope: every parameter out of range is a one-line error naming it', () => {
    const cases: [Partial<IntRopeParams>, string][] = [
      [{ heads: 0 }, 'heads must be an integer in 1..256; got 0'],
      [{ kvHeads: 257 }, 'kvHeads must be an integer in 1..256; got 257'],
      [{ headDim: 0 }, 'headDim must be an integer in 2..4096; got 0'],
      [{ headDim: 3 }, 'headDim must be even (pairs are rotated); got 3'],
      [{ seqLen: 0 }, 'seqLen must be an integer in 1..65536; got 0'],
      [{ base: 1 }, 'base must be an integer in 2..1000000; got 1'],
      [{ fracBits: 21 }, 'fracBits must be an integer in 2..20; got 21'],
      [{ outBits: 17 }, 'outBits must be an integer in 2..16; got 17'],
      [{ inScaleExp: -33 }, 'inScaleExp must be an integer in -32..32; got -33'],
    ];
    for (const [over, msg] of cases) throwsWith(() => ropeTables({ ...P, ...over }), msg);
    throwsWith(
      () => intRope([200, 0, 0, 0, 0, 0], 0, P),
      'x[0] = 200 is not a signed 8-bit code (-128..127)',
    );
  });
});
