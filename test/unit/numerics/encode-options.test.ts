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
