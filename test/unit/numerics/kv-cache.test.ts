// KV-cache formats (docs/numerics.md "KV-cache formats"): hand-computed rows per format, the MX
// rows against the OCP quantizer of binary32 values (numerics quantizeBlock), the integer-and-
// width property of every decoded value, and the stated error bounds against the FP64 value of
// each input code on random rows (extreme codes included).
import { expect } from 'chai';
import fc from 'fast-check';
import {
  KV_CACHE_FORMATS,
  type KvCacheFormat,
  type KvCacheSpec,
  kvDecodedBits,
  kvDecodedExp,
  kvDecodeRow,
  kvEncodeRow,
  kvChannelShift,
  kvFormatBits,
  kvRoundTrip,
  kvRowBits,
  NumericsError,
  quantizeBlock,
} from '../../../src/numerics/index.js';

const spec = (format: KvCacheFormat, bits = 8, over: Partial<KvCacheSpec> = {}): KvCacheSpec => ({
  format,
  bits: kvFormatBits(format, bits),
  inBits: 8,
  inScaleExp: 0,
  channels: 4,
  headDim: 4,
  ...over,
});

const binary32 = (v: number): number => {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, v);
  return dv.getUint32(0);
};

describe('numerics: KV-cache formats', () => {
  it('fp8_e4m3: RNE to 4 significant bits, codes per formats.md 2.3', () => {
    const s = spec('fp8_e4m3');
    const row = kvEncodeRow(s, [127, -19, 9, 0]);
    // 127 → 128 = 1.0·2^7 (E = 14); -19 = 10011b → 1010b·2 = -20 (tie to even); 9 = 1.001b·2^3
    expect(row.codes).to.deep.equal([0x70, 0xda, 0x51, 0x00]);
    expect(kvDecodeRow(s, row)).to.deep.equal([128, -20, 9, 0]);
    expect(kvDecodedExp(s)).to.equal(0);
  });
  it('mxfp4_e2m1: scale floor(log2 100) - 2 = 4 (E8M0 131), elements 6, -0, 0.5, 0', () => {
    const s = spec('mxfp4_e2m1', 4);
    const row = kvEncodeRow(s, [100, -3, 7, 0]);
    expect(row.scales).to.deep.equal([131]);
    expect(row.codes).to.deep.equal([0b0111, 0b1000, 0b0001, 0]);
    expect(kvDecodeRow(s, row)).to.deep.equal([96, 0, 8, 0]);
  });
  it('int4 per token: X = bitlen(127) - 3 = 4, codes sat(RNE(c/16))', () => {
    const s = spec('int_per_token', 4);
    const row = kvEncodeRow(s, [127, -128, 5, -6]);
    expect(row.scales).to.deep.equal([4]);
    expect(row.codes).to.deep.equal([7, -8, 0, 0]);
    expect(kvDecodeRow(s, row)).to.deep.equal([112, -128, 0, 0]);
    // int8 codes in an int8 per-token cache keep every value (X = 0 even with -128)
    expect(kvEncodeRow(spec('int_per_token', 8), [127, -128, 1, -1]).scales).to.deep.equal([0]);
  });
  it('int4 per channel: static shifts X_i from calibrated maxima, codes sat(RNE(c_i/2^X_i))', () => {
    const s = spec('int_per_channel', 4);
    // calibrated magnitudes 127, 128 (as -128 → ones' complement 127), 5, 40 → X = 4, 4, 0, 3
    const shifts = [127, 127, 5, 40].map((m) => kvChannelShift(s, m));
    expect(shifts).to.deep.equal([4, 4, 0, 3]);
    const row = kvEncodeRow(s, [100, -128, 5, -60], shifts);
    expect(row.scales).to.deep.equal([]); // nothing stored per token
    // 100/16 = 6.25 → 6; -128/16 = -8; 5 → 5; -60/8 = -7.5 → -8 (tie to even)
    expect(row.codes).to.deep.equal([6, -8, 5, -8]);
    expect(kvDecodeRow(s, row, shifts)).to.deep.equal([96, -128, 5, -64]);
    // a value past the calibrated range saturates: 20 in channel 2 (X = 0) → 7
    expect(kvRoundTrip(s, [0, 0, 20, 0], shifts)).to.deep.equal([0, 0, 7, 0]);
    // a scale field past inBits - bits acts as inBits - bits (4 here): 7 → 4
    expect(kvRoundTrip(s, [127, 0, 0, 0], [7, 0, 0, 0])).to.deep.equal([112, 0, 0, 0]);
    // calibration magnitudes past the input's range are clipped to 2^(inBits-1) - 1
    expect(kvChannelShift(s, 1e9)).to.equal(4);
    expect(kvChannelShift(spec('int_per_channel', 8), 127)).to.equal(0);
  });
  it('int per channel: |decoded - c| ≤ 2^(X_i - 1) when the calibration covered c, ≤ 2^X_i at the saturation edge', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: -2048, max: 2047 }), { minLength: 8, maxLength: 8 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 2, max: 12 }),
        (rowsIn, bits) => {
          const s = spec('int_per_channel', bits, { inBits: 12, channels: 8, headDim: 8 });
          // the "calibration": the per-channel largest ones'-complement magnitude over all rows
          const mags = Array.from({ length: 8 }, (_, i) =>
            Math.max(
              ...rowsIn.map((r) =>
                (r[i] as number) < 0 ? -(r[i] as number) - 1 : (r[i] as number),
              ),
            ),
          );
          const shifts = mags.map((m) => kvChannelShift(s, m));
          for (const c of rowsIn) {
            const d = kvRoundTrip(s, c, shifts);
            d.forEach((v, i) => {
              const x = c[i] as number;
              const X = shifts[i] as number;
              expect(Math.abs(v - x), `c ${x} X ${X} → ${v}`).to.be.at.most(2 ** X);
              // below the top code's midpoint the rounding does not saturate: half a step
              if (Math.abs(x) < (2 ** (bits - 1) - 0.5) * 2 ** X)
                expect(Math.abs(v - x)).to.be.at.most(X === 0 ? 0 : 2 ** (X - 1));
            });
          }
        },
      ),
      { seed: 41, numRuns: 400 },
    );
  });
  it('row bits: codes plus scales (E8M0 per MX block, the per-token shift in 3 bits)', () => {
    const big = { channels: 128, headDim: 64 };
    expect(kvRowBits(spec('int', 8, big))).to.equal(128 * 8);
    expect(kvRowBits(spec('fp8_e4m3', 8, big))).to.equal(128 * 8);
    expect(kvRowBits(spec('mxfp8_e4m3', 8, big))).to.equal(128 * 8 + 4 * 8);
    expect(kvRowBits(spec('mxfp4_e2m1', 4, big))).to.equal(128 * 4 + 4 * 8);
    expect(kvRowBits(spec('int_per_token', 4, big))).to.equal(128 * 4 + 3);
    // per-channel scales are parameters of the design, not stored per token
    expect(kvRowBits(spec('int_per_channel', 4, big))).to.equal(128 * 4);
  });
  it('bad specs are one-line errors', () => {
    expect(() => kvEncodeRow(spec('mxfp4_e2m1', 4, { bits: 8 }), [0, 0, 0, 0])).to.throw(
      NumericsError,
      'bits must be 4 for KV cache mxfp4_e2m1; got 8',
    );
    expect(() => kvEncodeRow(spec('fp8_e4m3', 8, { inBits: 16 }), [0, 0, 0, 0])).to.throw(
      NumericsError,
      'inBits (KV cache fp8_e4m3) must be an integer in 2..15; got 16',
    );
    expect(() => kvEncodeRow(spec('int_per_token', 9), [0, 0, 0, 0])).to.throw(
      NumericsError,
      'bits must be an integer in 2..8; got 9',
    );
    expect(() => kvEncodeRow(spec('int_per_channel', 4), [0, 0, 0, 0], [0, 0])).to.throw(
      NumericsError,
      'KV int_per_channel: 2 channel shifts; the cache row has 4 channels',
    );
    expect(() => kvEncodeRow(spec('int_per_channel', 4), [0, 0, 0, 0], [0, 0, 8, 0])).to.throw(
      NumericsError,
      'KV int_per_channel: a channel shift must be an integer in 0..7; got 8',
    );
  });

  const rows = (inBits: number, n: number) =>
    fc.array(
      fc.oneof(
        fc.integer({ min: -(2 ** (inBits - 1)), max: 2 ** (inBits - 1) - 1 }),
        fc.constantFrom(-(2 ** (inBits - 1)), 2 ** (inBits - 1) - 1, 0, 1, -1),
      ),
      { minLength: n, maxLength: n },
    );

  for (const format of ['mxfp8_e4m3', 'mxfp4_e2m1'] as const)
    it(`${format}: scale and codes equal quantizeBlock of the binary32 values (OCP, floor)`, () => {
      fc.assert(
        fc.property(rows(8, 16), fc.integer({ min: -8, max: 8 }), (c, e) => {
          const s = spec(format, 8, { channels: 16, headDim: 16, inScaleExp: e });
          const row = kvEncodeRow(s, c);
          const blk = quantizeBlock(
            c.map((v) => binary32(v * 2 ** e)),
            format,
            { k: 16 },
          );
          expect(row.scales).to.deep.equal([blk.scale]);
          expect(row.codes).to.deep.equal([...blk.codes]);
        }),
        { seed: 13, numRuns: 400 },
      );
    });

  for (const format of KV_CACHE_FORMATS)
    for (const inBits of [4, 8, 12, 15])
      it(`${format}, int${inBits} input: decoded integers fit kvDecodedBits and the error bound holds`, () => {
        const bits = format.startsWith('int_per') ? Math.min(4, inBits) : 4;
        fc.assert(
          fc.property(rows(inBits, 32), (c) => {
            const s = spec(format, bits, { inBits, channels: 32, headDim: 32 });
            // int_per_channel: every shift 0..inBits - bits over the channels
            const shifts = c.map((_, i) => i % (inBits - bits + 1));
            const row = kvEncodeRow(s, c, shifts);
            const d = kvDecodeRow(s, row, shifts);
            const w = kvDecodedBits(s);
            // the decoded value at 2^kvDecodedExp, against the FP64 value of each code at 2^0
            const k = 2 ** (kvDecodedExp(s) - s.inScaleExp);
            const amax = Math.max(...c.map(Math.abs));
            d.forEach((v, i) => {
              expect(Number.isInteger(v) && v >= -(2 ** (w - 1)) && v < 2 ** (w - 1)).to.equal(
                true,
              );
              const x = c[i] as number;
              const err = Math.abs(v * k - x);
              let bound: number;
              switch (format) {
                case 'int': // one RNE to 2^(inBits - bits), or saturation at the top
                  bound = Math.max(k / 2, x - (2 ** (bits - 1) - 1) * k);
                  break;
                case 'int_per_token': // 2^(X-1), 2^X where the rounding saturates
                  bound = 2 ** (row.scales[0] ?? 0);
                  break;
                case 'int_per_channel': {
                  // a static X_i: half a step, or the saturation at ±2^(bits-1)·2^X_i
                  const X = shifts[i] as number;
                  const top = (x < 0 ? 2 ** (bits - 1) : 2 ** (bits - 1) - 1) * 2 ** X;
                  bound = Math.max(X === 0 ? 0 : 2 ** (X - 1), Math.abs(x) - top);
                  break;
                }
                case 'fp8_e4m3': // 4 significant bits, never subnormal or saturated here
                  bound = Math.abs(x) / 16;
                  break;
                case 'mxfp8_e4m3': // 4 significant bits, or the block max clamped to 448·2^X
                  bound = Math.max(Math.abs(x) / 16, amax / 8);
                  break;
                case 'mxfp4_e2m1': // 2 significant bits, or 6·2^X, or the subnormal step
                  bound = Math.max(Math.abs(x) / 4, amax / 4);
                  break;
              }
              expect(err, `${format} code ${x} → ${v * k}`).to.be.at.most(bound);
            });
          }),
          { seed: 31 + inBits, numRuns: 300 },
        );
      });
});
