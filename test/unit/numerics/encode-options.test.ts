// encode() options: every policy name outside the allowed sets is rejected (never silently
// mapped to another policy). Expected values are hand-computed in the comments.
import { expect } from 'chai';
import {
  encode,
  type EncodeOptions,
  type MxQuantizeOptions,
  NumericsError,
  parseBinary32,
  quantizeBlock,
} from '../../../src/numerics/index.js';

const f32 = (s: string): number => parseBinary32(s);
/** Options as a user's untyped input would arrive (a CLI string, a YAML field). */
const raw = (o: Record<string, string>): EncodeOptions => o as unknown as EncodeOptions;

function rejects(fn: () => unknown, msg: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a NumericsError').to.be.instanceOf(NumericsError);
  expect((caught as NumericsError).kind).to.equal('config');
  expect((caught as NumericsError).message).to.match(msg);
}

describe('encode(): misspelled policies are errors', () => {
  it('overflow outside {saturate, special, wrap} is rejected for every format kind', () => {
    // Before the fix: fp8_e4m3 500 with 'nonsat' gave 0x7E (saturated), int4 9 with 'wrapp'
    // gave 0x9 (wrapped).
    rejects(
      () => encode('fp8_e4m3', { binary32: f32('500') }, raw({ overflow: 'nonsat' })),
      /overflow 'nonsat' is unknown; use saturate, special or wrap/,
    );
    rejects(
      () => encode('int4', { binary32: f32('9') }, raw({ overflow: 'wrapp' })),
      /overflow 'wrapp' is unknown/,
    );
    rejects(
      () => encode('e8m0', { binary32: f32('1') }, raw({ overflow: 'nan' })),
      /overflow 'nan' is unknown/,
    );
    rejects(
      () => encode('bitmod_fp4_er+', { binary32: f32('1') }, raw({ overflow: 'SATURATE' })),
      /overflow 'SATURATE' is unknown/,
    );
  });

  it('range outside {full, symmetric} is rejected; symmetric applies to signed integers only', () => {
    // Before the fix: int4 -9 with 'symmetrical' gave 0x8 (-8, the full range).
    rejects(
      () => encode('int4', { binary32: f32('-9') }, raw({ range: 'symmetrical' })),
      /range 'symmetrical' is unknown; use full or symmetric/,
    );
    rejects(
      () =>
        encode('fp8_e4m3', { binary32: f32('1') }, { overflow: 'saturate', range: 'symmetric' }),
      /range 'symmetric' applies to signed integers only, not fp8_e4m3/,
    );
    // The valid spellings keep working: -9 → -7 (0x9) symmetric, -8 (0x8) full.
    expect(encode('int4', { binary32: f32('-9') }, { range: 'symmetric' })).to.equal(0x9);
    expect(encode('int4', { binary32: f32('-9') }, { range: 'full' })).to.equal(0x8);
  });

  it('rounding and scale policy names are checked too', () => {
    rejects(
      () => encode('int4', { binary32: f32('1') }, raw({ rounding: 'rnee' })),
      /rounding 'rnee' is unknown/,
    );
    rejects(
      () =>
        quantizeBlock([f32('1')], 'mxfp4_e2m1', {
          scalePolicy: 'flor',
        } as unknown as MxQuantizeOptions),
      /scale policy 'flor' is unknown/,
    );
  });
});

describe('E8M0 encode in the lowest binade [2^-127, 2^-126) (hand-computed)', () => {
  // binary32 0x00400000 = 2^-127 (code 0x00), 0x00800000 = 2^-126 (code 0x01). Rounding the
  // significand to 0 mantissa bits: 1.25·2^-127 → 2^-127 under rne and rtz; the tie
  // 1.5·2^-127 → 2^-126 under rne (kept bit 1 is odd, so the tie rounds up), 2^-127 under rtz.
  const rows: [number, number, number][] = [
    [0x00400000, 0x00, 0x00],
    [0x00400001, 0x00, 0x00], // 2^-127 + 2^-149 (ml_dtypes astype gives 0x01 here)
    [0x00500000, 0x00, 0x00], // 1.25·2^-127
    [0x005fffff, 0x00, 0x00], // just below the tie
    [0x00600000, 0x01, 0x00], // 1.5·2^-127: the tie
    [0x007fffff, 0x01, 0x00], // just below 2^-126
    [0x00200000, 0x00, 0x00], // 2^-128: below the range, clamps to 0x00
  ];
  for (const [b, rne, rtz] of rows)
    it(`0x${b.toString(16)}: rne 0x${rne.toString(16)}, rtz 0x${rtz.toString(16)}`, () => {
      expect(encode('e8m0', { binary32: b }, { rounding: 'rne', overflow: 'special' })).to.equal(
        rne,
      );
      expect(encode('e8m0', { binary32: b }, { rounding: 'rtz' })).to.equal(rtz);
    });
});

describe('encode from binary64 bit patterns (hand-computed)', () => {
  const b64 = (hex: string): { binary64: bigint } => ({ binary64: BigInt(hex) });
  const SAT: EncodeOptions = { overflow: 'saturate' };
  it('uses every binary64 bit: values binary32 cannot hold round on their own', () => {
    // 0x3FF1000000000000 = 1.0625, the E4M3 tie between 1 (0x38) and 1.125 (0x39) → even 0x38;
    // 0x3FF1000000000001 = 1.0625 + 2^-52 is above the tie → 0x39 (as binary32 it would be 1.0625)
    expect(encode('fp8_e4m3', b64('0x3FF1000000000000'), SAT)).to.equal(0x38);
    expect(encode('fp8_e4m3', b64('0x3FF1000000000001'), SAT)).to.equal(0x39);
    // 0x4004000000000000 = 2.5 → RNE 2; 0x4004000000000001 = 2.5 + 2^-51 → 3
    expect(encode('int8', b64('0x4004000000000000'))).to.equal(2);
    expect(encode('int8', b64('0x4004000000000001'))).to.equal(3);
    // 0xC004000000000001 = -(2.5 + 2^-51) → -3 = 0xFD
    expect(encode('int8', b64('0xC004000000000001'))).to.equal(0xfd);
  });
  it('binary64 subnormals, NaN, Inf and values beyond binary32 range', () => {
    // 2^-1074 rounds to +0; its negative to -0 (0x80)
    expect(encode('fp8_e4m3', b64('0x0000000000000001'), SAT)).to.equal(0x00);
    expect(encode('fp8_e4m3', b64('0x8000000000000001'), SAT)).to.equal(0x80);
    // NaN keeps its sign: E5M2 canonical 0x7E / 0xFE; -Inf: SAT -57344 (0xFB), NONSAT -Inf (0xFC)
    expect(encode('fp8_e5m2', b64('0x7FF8000000000000'), SAT)).to.equal(0x7e);
    expect(encode('fp8_e5m2', b64('0xFFF8000000000001'), SAT)).to.equal(0xfe);
    expect(encode('fp8_e5m2', b64('0xFFF0000000000000'), SAT)).to.equal(0xfb);
    expect(encode('fp8_e5m2', b64('0xFFF0000000000000'), { overflow: 'special' })).to.equal(0xfc);
    // 0x47F0000000000000 = 2^128 > 2^127: E8M0 saturate 0xFE, special 0xFF;
    // 0x3730000000000000 = 2^-140 (biased 883): below 2^-127, clamps to 0x00
    expect(encode('e8m0', b64('0x47F0000000000000'), { rounding: 'rtz' })).to.equal(0xfe);
    expect(encode('e8m0', b64('0x47F0000000000000'), { overflow: 'special' })).to.equal(0xff);
    expect(encode('e8m0', b64('0x3730000000000000'), { rounding: 'rtz' })).to.equal(0x00);
  });
  it('rejects patterns outside 0..2^64-1', () =>
    rejects(() => encode('int8', { binary64: 1n << 64n }), /binary64 pattern/));
});

describe('stochastic rounding of FP6, FP4 and integers (7.1, hand-computed)', () => {
  // Rounds up iff D + Rnd ≥ 2^r, D = the top r dropped bits of the magnitude (r = 8 by default).
  const sr = (f: string, x: string, random: number, randomBits?: number): number =>
    encode(f, { binary32: f32(x) }, { rounding: 'stochastic', random, randomBits });
  it('fp4_e2m1: 1.25 lies half-way between 1 (0x2) and 1.5 (0x3): D = 128', () => {
    expect(sr('fp4_e2m1', '1.25', 127)).to.equal(0x2);
    expect(sr('fp4_e2m1', '1.25', 128)).to.equal(0x3);
    expect(sr('fp4_e2m1', '-1.25', 128)).to.equal(0xb); // sign applied after rounding
    // 5.5 = 4 + 0.75·2 (quantum 2): D = 192, up (to 6, 0x7) iff Rnd ≥ 64
    expect(sr('fp4_e2m1', '5.5', 63)).to.equal(0x6);
    expect(sr('fp4_e2m1', '5.5', 64)).to.equal(0x7);
    // 6.5 = 6 + 0.25·2: up would give 8 > max, which saturates to 6 (0x7) either way
    expect(sr('fp4_e2m1', '6.5', 0)).to.equal(0x7);
    expect(sr('fp4_e2m1', '6.5', 255)).to.equal(0x7);
  });
  it('fp6_e2m3: 1.046875 = 1 + 0.375·2^-3: D = 96, up iff Rnd ≥ 160', () => {
    expect(sr('fp6_e2m3', '1.046875', 159)).to.equal(0x08);
    expect(sr('fp6_e2m3', '1.046875', 160)).to.equal(0x09);
    expect(sr('fp6_e2m3', '-1.046875', 160)).to.equal(0x29);
    // 1 + 2^-11 = 1 + 2^-8 quanta: D = 1, up only with Rnd = 255
    expect(sr('fp6_e2m3', '1.00048828125', 254)).to.equal(0x08);
    expect(sr('fp6_e2m3', '1.00048828125', 255)).to.equal(0x09);
    // 1 + 2^-12 = 1 + 2^-9 quanta: bits below the top r are ignored, D = 0, never up
    expect(sr('fp6_e2m3', '1.000244140625', 255)).to.equal(0x08);
  });
  it('int4, int8 and mxint8_element', () => {
    // 2.75: D = 0.75·256 = 192, up iff Rnd ≥ 64; -2.75 → -2 (0xE) or -3 (0xD)
    expect(sr('int4', '2.75', 63)).to.equal(0x2);
    expect(sr('int4', '2.75', 64)).to.equal(0x3);
    expect(sr('int4', '-2.75', 64)).to.equal(0xd);
    expect(sr('int4', '-2.75', 63)).to.equal(0xe);
    // r = 2: D = 0b11 = 3, up iff Rnd ≥ 1
    expect(sr('int4', '2.75', 0, 2)).to.equal(0x2);
    expect(sr('int4', '2.75', 1, 2)).to.equal(0x3);
    // 0.5 has one dropped bit (k = 1 < r = 8): D = 1 << 7 = 128
    expect(sr('int8', '0.5', 127)).to.equal(0);
    expect(sr('int8', '0.5', 128)).to.equal(1);
    // mxint8_element: 2^-7 = 0.5/64: D = 128
    expect(sr('mxint8_element', '0.0078125', 127)).to.equal(0x00);
    expect(sr('mxint8_element', '0.0078125', 128)).to.equal(0x01);
    // saturation after the round-up: 7.5 → 8 > 7 → 7 (int4 full range)
    expect(sr('int4', '7.5', 200)).to.equal(0x7);
  });
});
