// KV-cache formats, the edges the vectors of kv-cache.test.ts do not reach (docs/numerics.md
// "KV-cache formats"; element codes from formats.md 2.3 (E4M3) and 4 (E2M1: 0, 0.5, 1, 1.5, 2, 3,
// 4, 6 for codes 0..7, bit 3 the sign), worked out by hand in the comments): the plain int format's
// row, a negative or a positive code deciding the per-token shift, several MX blocks per row, an
// all-zero block, MX rows at a non-zero input exponent, the small accessors, and every one-line
// error (spec fields, row length, channel shifts, codes that do not decode to an integer).
import { expect } from 'chai';
import {
  type KvCacheFormat,
  type KvCacheSpec,
  kvChannelScaleCount,
  kvDecodedBits,
  kvDecodedExp,
  kvDecodeRow,
  kvEncodeRow,
  kvFormatBits,
  kvRoundTrip,
} from '../../../src/numerics/index.js';
import { throwsWith } from '../../support/numerics-error.js';

const spec = (
  format: KvCacheFormat,
  bits: number,
  over: Partial<KvCacheSpec> = {},
): KvCacheSpec => ({
  format,
  bits,
  inBits: 8,
  inScaleExp: 0,
  channels: 4,
  headDim: 4,
  ...over,
});

describe('numerics: KV-cache format edges', () => {
  it('kvFormatBits: 8 for both E4M3 forms, 4 for E2M1, the int width otherwise', () => {
    expect(kvFormatBits('fp8_e4m3', 4)).to.equal(8);
    expect(kvFormatBits('mxfp8_e4m3', 4)).to.equal(8);
    expect(kvFormatBits('mxfp4_e2m1', 8)).to.equal(4);
    expect(kvFormatBits('int', 5)).to.equal(5);
    expect(kvFormatBits('int_per_token', 3)).to.equal(3);
    expect(kvFormatBits('int_per_channel', 6)).to.equal(6);
  });

  it('decoded width and exponent: int keeps its own bits at 2^(e + inBits - bits), the others inBits + 1 at 2^e', () => {
    expect(kvDecodedBits(spec('int', 4))).to.equal(4);
    expect(kvDecodedExp(spec('int', 4, { inScaleExp: -2 }))).to.equal(2); // -2 + 8 - 4
    expect(kvDecodedBits(spec('int_per_token', 4))).to.equal(9);
    expect(kvDecodedExp(spec('int_per_token', 4, { inScaleExp: -2 }))).to.equal(-2);
    expect(kvDecodedBits(spec('fp8_e4m3', 8, { inBits: 12 }))).to.equal(13);
  });

  it('kvChannelScaleCount: one static shift per channel for int_per_channel only', () => {
    expect(kvChannelScaleCount(spec('int_per_channel', 4, { channels: 8 }))).to.equal(8);
    expect(kvChannelScaleCount(spec('int_per_token', 4, { channels: 8 }))).to.equal(0);
    expect(kvChannelScaleCount(spec('mxfp8_e4m3', 8, { channels: 8 }))).to.equal(0);
  });

  it('int: one fixed shift inBits - bits, no scale stored, extra scales ignored on decode', () => {
    const s = spec('int', 4);
    // shift 4: 24/16 = 1.5 → 2 (tie to even), -40/16 = -2.5 → -2, 8/16 = 0.5 → 0, 127/16 → 8 → sat 7
    const row = kvEncodeRow(s, [24, -40, 8, 127]);
    expect(row).to.deep.equal({ codes: [2, -2, 0, 7], scales: [] });
    // small codes still use the fixed shift (a per-token shift would be 0 here)
    expect(kvEncodeRow(s, [3, -5, 1, 0])).to.deep.equal({ codes: [0, 0, 0, 0], scales: [] });
    expect(kvDecodeRow(s, row)).to.deep.equal([2, -2, 0, 7]);
    expect(kvDecodeRow(s, { codes: [2, -2, 0, 7], scales: [3] })).to.deep.equal([2, -2, 0, 7]);
    // inBits 16 is allowed for int (the float and scaled forms stop at 15): shift 8
    // 32767/256 = 127.996 → 128 → sat 127; -32768/256 = -128; 128/256 = 0.5 → 0
    expect(
      kvEncodeRow(spec('int', 8, { inBits: 16 }), [32767, -32768, 128, 0]).codes,
    ).to.deep.equal([127, -128, 0, 0]);
  });

  it('int_per_token: the largest ones-complement magnitude decides X, whether its code is negative or positive', () => {
    const s = spec('int_per_token', 4);
    // m = [127, 1, 0, 0]: X = bitlen(127) - 3 = 4; -128/16 = -8, 1/16 → 0
    expect(kvEncodeRow(s, [-128, 1, 0, 0])).to.deep.equal({ codes: [-8, 0, 0, 0], scales: [4] });
    // m = [100, 2, 0, 0]: X = bitlen(100) - 3 = 4; 100/16 = 6.25 → 6, -3/16 → 0
    expect(kvEncodeRow(s, [100, -3, 0, 0])).to.deep.equal({ codes: [6, 0, 0, 0], scales: [4] });
    // m = [63, 63]: X = bitlen(63) - 3 = 3 (|-64| = 64 would give 4); -64/8 = -8, 63/8 = 7.875 → 8 → sat 7
    expect(kvEncodeRow(s, [-64, 63, 0, 0])).to.deep.equal({ codes: [-8, 7, 0, 0], scales: [3] });
  });

  it('fp8_e4m3 stores no scale', () => {
    expect(kvEncodeRow(spec('fp8_e4m3', 8), [127, -19, 9, 0]).scales).to.deep.equal([]);
  });

  it('mxfp4_e2m1 with two blocks per row: each block its own amax and E8M0 scale', () => {
    const s = spec('mxfp4_e2m1', 4, { channels: 8, headDim: 4 });
    // block 0 as in docs/numerics.md: amax 100, X = 6 - 2 = 4 (131); 6.25 → 6, -0.1875 → -0, 0.4375 → 0.5
    // block 1: amax 3, X = floor(log2 3) - 2 = -1 (126); elements 2, 4, -6, 0 → codes 4, 6, 15, 0
    const row = kvEncodeRow(s, [100, -3, 7, 0, 1, 2, -3, 0]);
    expect(row.scales).to.deep.equal([131, 126]);
    expect(row.codes).to.deep.equal([7, 8, 1, 0, 4, 6, 15, 0]);
    expect(kvDecodeRow(s, row)).to.deep.equal([96, 0, 8, 0, 1, 2, -3, 0]);
  });

  it('an all-zero MX block: scale field 0, zero codes, decoded zeros', () => {
    const s = spec('mxfp8_e4m3', 8, { channels: 8, headDim: 4 });
    // block 0: amax 64 = 2^6, X = 6 - 8 = -2 (125); 64·4 = 256 = 1.0·2^8 → 0x78, -1·4 = -4 → 0xC8
    const row = kvEncodeRow(s, [0, 0, 0, 0, 64, -1, 0, 0]);
    expect(row.scales).to.deep.equal([0, 125]);
    expect(row.codes).to.deep.equal([0, 0, 0, 0, 0x78, 0xc8, 0, 0]);
    expect(kvDecodeRow(s, row)).to.deep.equal([0, 0, 0, 0, 64, -1, 0, 0]);
  });

  it('MX rows at a non-zero input exponent decode to integers at 2^inScaleExp', () => {
    const c = [100, -3, 7, 0];
    // e = -3: amax 12.5, X = 3 - 2 = 1 (128); c·2^-4 = 6.25, -0.1875, 0.4375, 0 → 6, -0, 0.5, 0
    const lo = spec('mxfp4_e2m1', 4, { inScaleExp: -3 });
    const rlo = kvEncodeRow(lo, c);
    expect(rlo).to.deep.equal({ codes: [7, 8, 1, 0], scales: [128] });
    expect(kvDecodedExp(lo)).to.equal(-3);
    expect(kvDecodeRow(lo, rlo)).to.deep.equal([96, 0, 8, 0]); // 12 = 96·2^-3, 1 = 8·2^-3
    // e = 3: amax 800, X = 9 - 2 = 7 (134); the same elements; the zeros sit below 2^3
    const hi = spec('mxfp4_e2m1', 4, { inScaleExp: 3 });
    const rhi = kvEncodeRow(hi, c);
    expect(rhi).to.deep.equal({ codes: [7, 8, 1, 0], scales: [134] });
    expect(kvDecodeRow(hi, rhi)).to.deep.equal([96, 0, 8, 0]); // 768 = 96·2^3, 64 = 8·2^3
  });

  it('bad specs, rows and shifts are one-line errors naming the field', () => {
    throwsWith(
      () => kvEncodeRow(spec('int9' as KvCacheFormat, 8), [0, 0, 0, 0]),
      "KV cache format 'int9' is unknown; use int, int_per_token, int_per_channel, fp8_e4m3, mxfp8_e4m3, mxfp4_e2m1",
    );
    throwsWith(
      () => kvEncodeRow(spec('int', 8, { inBits: 17 }), [0, 0, 0, 0]),
      'inBits must be an integer in 2..16; got 17',
    );
    throwsWith(
      () => kvEncodeRow(spec('int', 8, { inScaleExp: 33 }), [0, 0, 0, 0]),
      'inScaleExp must be an integer in -32..32; got 33',
    );
    throwsWith(
      () => kvEncodeRow(spec('int', 8, { headDim: 0 }), [0, 0, 0, 0]),
      'headDim must be an integer in 1..4096; got 0',
    );
    throwsWith(
      () => kvEncodeRow(spec('int', 8, { channels: 0 }), []),
      'channels must be an integer in 1..1048576; got 0',
    );
    throwsWith(
      () => kvEncodeRow(spec('int', 8, { channels: 6 }), [0, 0, 0, 0, 0, 0]),
      'channels 6 must be a multiple of headDim 4',
    );
    throwsWith(
      () => kvEncodeRow(spec('int', 17, { inBits: 16 }), [0, 0, 0, 0]),
      'bits must be an integer in 2..16; got 17',
    );
    throwsWith(
      () =>
        kvEncodeRow(spec('mxfp8_e4m3', 8, { channels: 48, headDim: 48 }), new Array(48).fill(0)),
      'headDim 48 is not a whole number of 32-channel scale blocks',
    );
    throwsWith(
      () => kvEncodeRow(spec('int', 8), [1, 2, 3]),
      'KV encode: 3 codes; the cache row has 4 channels',
    );
    throwsWith(
      () => kvEncodeRow(spec('int', 8), [128, 0, 0, 0]),
      'k/v[0] = 128 is not a signed 8-bit code (-128..127)',
    );
    const pc = spec('int_per_channel', 4); // shift fields of ubits(8 - 4) = 3 bits: 0..7
    for (const x of [-1, 1.5])
      throwsWith(
        () => kvEncodeRow(pc, [0, 0, 0, 0], [0, x, 0, 0]),
        `KV int_per_channel: a channel shift must be an integer in 0..7; got ${x}`,
      );
    const none = 'KV int_per_channel: 0 channel shifts; the cache row has 4 channels';
    throwsWith(() => kvEncodeRow(pc, [0, 0, 0, 0]), none);
    throwsWith(() => kvDecodeRow(pc, { codes: [0, 0, 0, 0], scales: [] }), none);
    throwsWith(() => kvRoundTrip(pc, [0, 0, 0, 0]), none);
  });

  it('a stored code that is not finite or not an integer at the decoded exponent is an error', () => {
    const fp8 = spec('fp8_e4m3', 8);
    // E4M3 0x7F is NaN; 0x01 is the smallest subnormal 2^-9
    throwsWith(
      () => kvDecodeRow(fp8, { codes: [0x7f, 0, 0, 0], scales: [] }),
      'KV decode: fp8_e4m3 code 127 is not finite',
    );
    throwsWith(
      () => kvDecodeRow(fp8, { codes: [0x01, 0, 0, 0], scales: [] }),
      'KV decode: 1·2^-9 is not an integer at 2^0',
    );
    // E2M1 code 1 = 0.5 at scale 2^(125 - 127): 2^-3
    throwsWith(
      () => kvDecodeRow(spec('mxfp4_e2m1', 4), { codes: [1, 0, 0, 0], scales: [125] }),
      'KV decode: 1·2^-3 is not an integer at 2^0',
    );
  });
});
