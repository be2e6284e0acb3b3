// Hand-derived vectors for MX scale policies, block quantization edge rules and exact block dot
// products (formats.md 4, 5.2; docs/numerics.md scale policies), and for NVFP4 (9.2) with a
// tensor scale g ≠ 1. Operands are chosen so that each policy, clamp and special-value rule gives
// a different answer from its plausible confusion. In-process (docs/mutation.md).
import { expect } from 'chai';
import {
  binary32BitsOfNumber,
  dequantize,
  dotGeneral,
  dotResultToExact,
  type Exact,
  fromInt,
  getMxFormat,
  type MxBlock,
  mxDot,
  NAN,
  NEG_INF,
  NumericsError,
  nvfp4Decode,
  nvfp4Dot,
  nvfp4Quantize,
  POS_ZERO,
  quantize,
  quantizeBlock,
  type ScalePolicy,
  sharedExponent,
  toDecimalString,
} from '../../../src/numerics/index.js';

const f32 = binary32BitsOfNumber;
const dec = (xs: Exact[]): string[] => xs.map(toDecimalString);
const E4M3 = getMxFormat('mxfp8_e4m3');
const INT8 = getMxFormat('mxint8');
const E5M2 = getMxFormat('mxfp8_e5m2');
const FP4 = getMxFormat('mxfp4_e2m1');
const POLICIES: ScalePolicy[] = ['floor', 'ceil', 'even', 'rceil'];

describe('MX shared exponent per policy (docs/numerics.md)', () => {
  // E4M3: emax 8, M = 3, max 448. [amax as n·2^k, floor, ceil, even, rceil]
  const e4m3: [bigint, number, number[]][] = [
    [1n, 0, [-8, -8, -8, -8]],
    [3n, 0, [-7, -6, -7, -7]], // 3·2^7 = 384 ≤ 448
    [7n, -1, [-7, -6, -7, -7]], // 3.5·2^7 = 448: rceil boundary
    [29n, -3, [-7, -6, -7, -6]], // 3.625: RNA to 4 bits 14.5 → 15 stays; 464 > 448
    [15n, -2, [-7, -6, -7, -6]], // 3.75: 480 > 448
    [31n, -3, [-7, -6, -6, -6]], // 3.875: RNA 15.5 → 16 carries
  ];
  for (const [n, k, want] of e4m3)
    it(`mxfp8_e4m3 amax ${toDecimalString(fromInt(n, k))}: ${POLICIES.join('/')} = ${want.join(', ')}`, () => {
      const a = fromInt(n, k) as never;
      expect(POLICIES.map((p) => sharedExponent(E4M3, a, p))).to.deep.equal(want);
    });
  // MXINT8: emax 0, 6 fraction bits (7 kept by 'even'), max 127·2^-6
  const int8: [bigint, number, number[]][] = [
    [1n, 1, [1, 1, 1, 1]],
    [255n, -7, [0, 1, 1, 1]], // 1.9921875 > 1.984375; RNA to 7 bits carries
    [127n, -6, [0, 1, 0, 0]],
  ];
  for (const [n, k, want] of int8)
    it(`mxint8 amax ${toDecimalString(fromInt(n, k))}: ${want.join(', ')}`, () => {
      const a = fromInt(n, k) as never;
      expect(POLICIES.map((p) => sharedExponent(INT8, a, p))).to.deep.equal(want);
    });
});

describe('MX block quantization edge rules (formats.md 4)', () => {
  it('rceil avoids the saturation floor gives: 3.75 → scale 121, code 0x77 vs 120, 0x7E', () => {
    expect(quantizeBlock([f32(3.75)], E4M3, { k: 1, scalePolicy: 'rceil' })).to.deep.include({
      scale: 121,
      codes: [0x77],
    });
    expect(quantizeBlock([f32(3.75)], E4M3, { k: 1 })).to.deep.include({
      scale: 120,
      codes: [0x7e],
    });
  });
  it('amax is taken over magnitudes: [-3, 1] → floor(log2 3) - 8 = -7', () => {
    expect(quantizeBlock([f32(-3), f32(1)], E4M3, { k: 2 }).scale).to.equal(120);
  });
  it('the scale exponent clamps to -127 and +127', () => {
    // 2^-149: floor gives -157 → -127 (code 0); the element 2^-22 underflows to +0
    expect(quantizeBlock([1], E4M3, { k: 1 })).to.deep.include({ scale: 0, codes: [0] });
    // largest binary32 with ceil on MXINT8: 128 → 127 (code 254); 1.99999988 saturates to 127
    expect(quantizeBlock([0x7f7fffff], INT8, { k: 1, scalePolicy: 'ceil' })).to.deep.include({
      scale: 254,
      codes: [0x7f],
    });
  });
  it('an all-zero block has scale code 0 and keeps -0 as the element code', () => {
    expect(quantizeBlock([0x80000000, 0], E4M3, { k: 2 })).to.deep.include({
      scale: 0,
      codes: [0x80, 0],
    });
    expect(quantizeBlock([0x80000000], INT8, { k: 2 })).to.deep.include({
      scale: 0,
      codes: [0, 0],
    });
  });
  it('a non-finite input makes the block NaN (scale 0xFF, k zero codes)', () => {
    expect(quantizeBlock([0x7f800000], E4M3, { k: 3 })).to.deep.include({
      scale: 0xff,
      codes: [0, 0, 0],
    });
    expect(dec(dequantize({ format: E4M3, scale: 0xff, codes: [0x38, 0] }))).to.deep.equal([
      'NaN',
      'NaN',
    ]);
    expect(dec(dequantize({ format: E4M3, scale: 128, codes: [0x38, 0xb0] }))).to.deep.equal([
      '2',
      '-1',
    ]);
  });
  it('quantize splits into blocks of k and pads the last; an empty vector is one zero block', () => {
    const q = quantize([f32(1), f32(2), f32(4)], INT8, { k: 2 });
    expect(q.map((b) => [b.scale, ...b.codes])).to.deep.equal([
      [128, 32, 64], // amax 2: X = 2, elements 0.5 and 1
      [129, 64, 0], // amax 4: X = 4
    ]);
    expect(quantize([], INT8, { k: 2 }).map((b) => [b.scale, ...b.codes])).to.deep.equal([
      [0, 0, 0],
    ]);
  });
  it('refuses a bad block size, an unknown policy and too many values', () => {
    for (const k of [0, 1.5])
      expect(() => quantizeBlock([0], E4M3, { k })).to.throw(
        NumericsError,
        `block size ${k} must be a positive integer`,
      );
    expect(() => quantizeBlock([0], E4M3, { scalePolicy: 'round' as never })).to.throw(
      NumericsError,
      "scale policy 'round' is unknown; use floor, ceil, even, rceil",
    );
    expect(() => quantizeBlock([0, 0, 0], E4M3, { k: 2 })).to.throw(
      NumericsError,
      'a block holds at most k = 2 values; got 3',
    );
    expect(() => getMxFormat('mxfp9')).to.throw(
      NumericsError,
      "unknown MX format 'mxfp9'; known: mxint8, mxfp8_e4m3, mxfp8_e5m2, mxfp6_e2m3, mxfp6_e3m2, mxfp4_e2m1, nvfp4 (k = 16, E4M3 scale: nvfp4Quantize)",
    );
  });
});

describe('MX dot products (formats.md 5.2)', () => {
  const blk = (format: typeof E4M3, scale: number, codes: number[]): MxBlock => ({
    format,
    scale,
    codes,
  });
  it('mixed formats: 2·0.5·(1·1 + (-0.5)·3) = -64·2^-7', () => {
    const a = blk(INT8, 128, [64, 0xe0]); // X = 2; 1.0, -0.5
    const b = blk(FP4, 126, [0x2, 0x5]); // X = 0.5; 1.0, 3.0
    expect(mxDot(a, b)).to.deep.equal({ kind: 'finite', sum: -64n, exp: -7 });
    expect(toDecimalString(dotResultToExact(mxDot(a, b)))).to.equal('-0.5');
  });
  it('specials: NaN scale or element, Inf × 0, Inf signs, +Inf and -Inf together', () => {
    const one = 0x3c; // E5M2 1.0
    const neg1 = 0xbc;
    const inf = 0x7c;
    const ninf = 0xfc;
    const d = (a: number[], b: number[], sa = 127, sb = 127): unknown =>
      mxDot(blk(E5M2, sa, a), blk(E5M2, sb, b));
    expect(d([one], [one], 0xff)).to.deep.equal({ kind: 'nan' });
    expect(d([one], [one], 127, 0xff)).to.deep.equal({ kind: 'nan' });
    expect(d([0x7e, one], [one, one])).to.deep.equal({ kind: 'nan' });
    expect(d([one, one], [one, 0x7d])).to.deep.equal({ kind: 'nan' });
    expect(d([inf, one], [0, one])).to.deep.equal({ kind: 'nan' });
    expect(d([0x80], [ninf])).to.deep.equal({ kind: 'nan' });
    expect(d([inf, one], [one, one])).to.deep.equal({ kind: 'inf', neg: false });
    expect(d([inf], [neg1])).to.deep.equal({ kind: 'inf', neg: true });
    expect(d([one], [inf])).to.deep.equal({ kind: 'inf', neg: false });
    expect(d([neg1], [inf])).to.deep.equal({ kind: 'inf', neg: true });
    expect(d([one], [ninf])).to.deep.equal({ kind: 'inf', neg: true });
    expect(d([ninf], [neg1])).to.deep.equal({ kind: 'inf', neg: false });
    expect(d([inf, inf], [one, neg1])).to.deep.equal({ kind: 'nan' });
    expect(dotResultToExact({ kind: 'inf', neg: true })).to.deep.equal(NEG_INF);
    expect(dotResultToExact({ kind: 'nan' })).to.deep.equal(NAN);
    expect(dotResultToExact({ kind: 'finite', sum: 0n, exp: 5 })).to.deep.equal(POS_ZERO);
    expect(() => mxDot(blk(E5M2, 127, [one]), blk(E5M2, 127, [one, one]))).to.throw(
      NumericsError,
      'mxDot needs blocks of equal length; got 1 and 2',
    );
  });
  it('dotGeneral: exact keeps 2^24 + 2, fp32-blockwise rounds each partial sum', () => {
    const big = blk(INT8, 127 + 24, [64]); // 2^24
    const one = blk(INT8, 127, [64]);
    const as = [big, one, one];
    const bs = [one, one, one];
    const ex = dotGeneral(as, bs);
    expect(toDecimalString(ex.value)).to.equal('16777218');
    expect(ex.binary32).to.equal(0x4b800001);
    const bw = dotGeneral(as, bs, 'fp32-blockwise');
    expect(toDecimalString(bw.value)).to.equal('16777216');
    expect(bw.binary32).to.equal(0x4b800000);
    expect(() => dotGeneral(as, bs.slice(1))).to.throw(
      NumericsError,
      'dotGeneral needs as many blocks on each side; got 3 and 2',
    );
    expect(() => dotGeneral(as, bs, 'fast' as never)).to.throw(
      NumericsError,
      "dotGeneral mode 'fast' is unknown; use 'exact' or 'fp32-blockwise'",
    );
    expect(toDecimalString(dotGeneral([], []).value)).to.equal('0');
  });
});

describe('NVFP4 with a tensor scale (formats.md 9.2)', () => {
  const G2 = 0x40000000; // 2.0
  const G4 = 0x40800000; // 4.0
  it('s = E4M3(amax/(6g)), P = E2M1(V/(g·s)): g = 2, [3, -12, 6] → s = 1, P = [1.5, -6, 3]', () => {
    const b = nvfp4Quantize([3, -12, 6].map(f32), G2);
    expect(b.scale).to.equal(0x38);
    expect(b.codes.slice(0, 4)).to.deep.equal([0x3, 0xf, 0x5, 0]);
    expect(b.codes).to.have.length(16);
    expect(dec(nvfp4Decode(b, G2).slice(0, 3))).to.deep.equal(['3', '-12', '6']);
    // read with g = 1 the same block is half as large
    expect(dec(nvfp4Decode(b).slice(0, 3))).to.deep.equal(['1.5', '-6', '3']);
  });
  it('the largest magnitude wins amax whatever its sign and position', () => {
    expect(nvfp4Quantize([6, -12].map(f32)).scale).to.equal(0x40); // 12/6 = 2
    expect(nvfp4Quantize([-12, 6].map(f32)).scale).to.equal(0x40);
    expect(nvfp4Quantize([0.75, 0.5].map(f32)).scale).to.equal(0x20); // 0.125 = 2^-3
    // magnitudes compared exactly across exponents: 1.5 (3·2^-1) beats 1 → 0.25 = 0x28, not
    // E4M3(1/6) = 1.375·2^-3 = 0x23
    expect(nvfp4Quantize([1, 1.5].map(f32)).scale).to.equal(0x28);
    expect(nvfp4Quantize([f32(1), 0x7f800000])).to.deep.equal({
      scale: 0x7f,
      codes: new Array<number>(16).fill(0),
    });
  });
  it('decode: 0x7F and sign-bit scales are NaN blocks, 0x7E is 448', () => {
    for (const s of [0x7f, 0x80, 0xff])
      expect(dec(nvfp4Decode({ scale: s, codes: [0x2] }))).to.deep.equal(['NaN']);
    expect(dec(nvfp4Decode({ scale: 0x7e, codes: [0x2, 0xa] }))).to.deep.equal(['448', '-448']);
  });
  it('dot with gA = 2, gB = 4: 1·1·2·4 = 8; an exact cancellation is +0; NaN propagates', () => {
    const one = { scale: 0x38, codes: [0x2] };
    expect(toDecimalString(nvfp4Dot(one, one, G2, G4))).to.equal('8');
    const a = { scale: 0x38, codes: [0x2, 0x2] };
    const b = { scale: 0x38, codes: [0x2, 0xa] };
    expect(nvfp4Dot(a, b)).to.deep.equal(POS_ZERO);
    expect(dec([nvfp4Dot({ scale: 0x7f, codes: [0x2] }, one)])).to.deep.equal(['NaN']);
    expect(() => nvfp4Dot(a, one)).to.throw(NumericsError, 'nvfp4Dot needs blocks of equal length');
  });
  it('refuses more than 16 values and a tensor scale that is not positive and finite', () => {
    expect(() => nvfp4Quantize(new Array<number>(17).fill(0))).to.throw(
      NumericsError,
      'an NVFP4 block holds 16 values; got 17',
    );
    for (const g of [0, 0xbf800000, 0x7f800000, 0x80000000])
      expect(() => nvfp4Quantize([0], g)).to.throw(
        NumericsError,
        `NVFP4 tensor scale 0x${g.toString(16)} must be a positive finite binary32`,
      );
    expect(() => nvfp4Decode({ scale: 0x38, codes: [0] }, 0)).to.throw(NumericsError, '0x0');
  });
});
