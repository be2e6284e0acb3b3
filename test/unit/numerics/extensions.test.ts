// NVFP4 (9.2), BitMoD (9.1), OliVe edge rules (6.4, 6.6), exact helpers and binary32 parsing.
import { expect } from 'chai';
import {
  bitmodQuantize,
  decode,
  encode,
  fromNumber,
  nvfp4Decode,
  nvfp4Dot,
  nvfp4Quantize,
  oliveDecodePair,
  oliveEncode,
  parseBinary32,
  toDecimalString,
  toBinary32Bits,
} from '../../../src/numerics/index.js';

const f32 = (s: string): number => parseBinary32(s);
const dec = toDecimalString;

describe('NVFP4 (formats.md 9.2)', () => {
  it('quantizes with s = E4M3(amax/6) and P = E2M1(V/s), g = 1', () => {
    // amax 12 → s = 2 (E4M3 0x40); 12/2 = 6 → 0x7; 3/2 = 1.5 → 0x3; -5/2 = -2.5 → tie → -2 (0xC)
    const b = nvfp4Quantize(['12', '3', '-5', '-0'].map(f32));
    expect(b.scale).to.equal(0x40);
    expect(b.codes.slice(0, 4)).to.deep.equal([0x7, 0x3, 0xc, 0x8]);
    expect(nvfp4Decode(b).slice(0, 4).map(dec)).to.deep.equal(['12', '3', '-4', '-0']);
  });
  it('non-finite blocks get scale 0x7F and decode to NaN; a sign-bit scale decodes to NaN', () => {
    const b = nvfp4Quantize([f32('1'), f32('Inf')]);
    expect(b.scale).to.equal(0x7f);
    expect(nvfp4Decode(b).every((v) => v.kind === 'nan')).to.equal(true);
    expect(nvfp4Decode({ scale: 0x80, codes: [1] })[0]?.kind).to.equal('nan');
  });
  it('a scale that rounds to E4M3 0 makes every element +0 (9.2)', () => {
    // amax/6 ≤ 2^-10 rounds to E4M3 0 (2^-10 is the tie between 0 and 2^-9, even → 0):
    // amax = 3·2^-9 = 0.005859375 gives exactly 2^-10 → scale 0x00, every code +0 (0x0),
    // also for the negative input (no -0 code here)
    const tie = nvfp4Quantize(['0.005859375', '-0.001', '0.002'].map(f32));
    expect(tie.scale).to.equal(0x00);
    expect(tie.codes).to.deep.equal(new Array<number>(16).fill(0));
    expect(nvfp4Decode(tie).map(dec)).to.deep.equal(new Array<string>(16).fill('0'));
    // one binary32 ulp above: amax/6 > 2^-10 → scale 2^-9 (0x01); P = amax/2^-9 ≈ 3 → 0x5
    const above = nvfp4Quantize([0x3bc00001, f32('-0.001')]);
    expect(above.scale).to.equal(0x01);
    expect(above.codes.slice(0, 2)).to.deep.equal([0x5, 0x9]); // -0.001/2^-9 = -0.512 → -0.5
    // a large tensor scale g = 2^20 (0x49800000): 1/(6·2^20) < 2^-10 → scale 0, all +0
    const big = nvfp4Quantize(['1', '-1'].map(f32), 0x49800000);
    expect(big.scale).to.equal(0x00);
    expect(big.codes).to.deep.equal(new Array<number>(16).fill(0));
  });
  it('dot of two blocks is exact: (12·1 + 3·1) = 15', () => {
    const a = nvfp4Quantize(['12', '3'].map(f32));
    const b = nvfp4Quantize(['1', '1'].map(f32));
    // b: amax 1 → s = E4M3(1/6) = 0x2B? (1/6 = 0.1666: E4M3 grid 0.15625/0.171875 → 0.171875)
    // P = 1/0.171875 = 5.818 → 6; values 6·0.171875 = 1.03125 each; dot = 15·1.03125
    expect(dec(nvfp4Dot(a, b))).to.equal('15.46875');
  });
});

describe('BitMoD (formats.md 9.1)', () => {
  it('FP4 ER-: -4.5 ties to the smaller magnitude -4; the special code means -5', () => {
    expect(encode('bitmod_fp4_er-', fromNumber(-4.5))).to.equal(0xe); // -4
    expect(dec(decode('bitmod_fp4_er-', 0x8))).to.equal('-5');
    expect(encode('bitmod_fp4_er-', fromNumber(-5.2))).to.equal(0x8);
    expect(encode('bitmod_fp4_er+', fromNumber(-2.5))).to.equal(0xc); // -2, not -3
  });
  it('-0 encodes as +0, Inf saturates to the variant extreme, NaN is an error', () => {
    expect(encode('bitmod_fp3_ea+', fromNumber(-0))).to.equal(0);
    expect(encode('bitmod_fp3_ea+', fromNumber(Infinity))).to.equal(4); // +6
    expect(encode('bitmod_fp3_ea+', fromNumber(-Infinity))).to.equal(7); // -4
    expect(() => encode('bitmod_fp3_ea+', fromNumber(NaN))).to.throw(/no NaN/);
  });
  it('picks the variant with the least squared error', () => {
    // σ = 1: values {5, 1}: ER+ holds 5 exactly (error 0); the others do not.
    expect(bitmodQuantize([5, 1].map(fromNumber), 'fp4', fromNumber(1)).variant).to.equal('er+');
    // {-8, 1}: EA- holds -8 exactly
    expect(bitmodQuantize([-8, 1].map(fromNumber), 'fp4', fromNumber(1)).variant).to.equal('ea-');
  });
});

describe('OliVe edge rules (6.4, 6.6)', () => {
  it('two equal outliers keep element 2j; odd length pads with +0', () => {
    expect([...oliveEncode([20, -20].map(fromNumber), fromNumber(1))]).to.deep.equal([0x82]); // 16 kept, c0 = 0010
    expect([...oliveEncode([3].map(fromNumber), fromNumber(1))]).to.deep.equal([0x03]);
  });
  it('olive8: 129.5 ties to the normal 127, 130 becomes the outlier 132, 3000 saturates at 2016', () => {
    const b = oliveEncode([129.5, 0, 130, 0, 3000, 0].map(fromNumber), fromNumber(1), 'olive8');
    // 132 = 33·4: E = 0, m = 1 → code 0x01; 2016 = 63·32: E = 3, m = 31 → 0x7F
    expect([...b]).to.deep.equal([0x7f, 0x00, 0x01, 0x80, 0x7f, 0x80]);
    expect(oliveDecodePair('olive8', 0x7f, 0x80)).to.deep.equal([
      { int: 63, shift: 5 },
      { int: 0, shift: 0 },
    ]);
  });
  it('σ ≤ 0 and NaN inputs are errors', () => {
    expect(() => oliveEncode([fromNumber(1)], fromNumber(0))).to.throw(/σ/);
    expect(() => oliveEncode([fromNumber(NaN)], fromNumber(1))).to.throw(/NaN/);
  });
});

describe('exact helpers and binary32 parsing', () => {
  it('prints exact decimals', () => {
    expect(dec(decode('fp8_e4m3', 0x01))).to.equal('0.001953125');
    expect(dec(decode('fp8_e4m3', 0x80))).to.equal('-0');
    expect(dec(decode('fp8_e5m2', 0xfc))).to.equal('-Inf');
  });
  it('parses decimals with one rounding to binary32 (RNE)', () => {
    expect(f32('0.1')).to.equal(0x3dcccccd);
    expect(f32('1e-45')).to.equal(1); // nearest binary32 to 1e-45 is 2^-149
    expect(f32('7.006492321624085e-46')).to.equal(0); // just below half of 2^-149 → 0
    expect(f32('16777217')).to.equal(0x4b800000); // tie between 2^24 and 2^24+2 → even
    expect(() => f32('-0x0')).to.throw(/not a number/); // hex is a bit pattern: no sign
    expect(() => f32('1e')).to.throw(/not a number/);
  });
  it('rounds an exact value above binary32 range to Inf', () => {
    expect(toBinary32Bits(fromNumber(2 ** 128))).to.equal(0x7f800000);
  });
});
