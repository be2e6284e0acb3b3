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
