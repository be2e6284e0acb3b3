// Hand-derived vectors for BitMoD channel quantization (docs/numerics.md "BitMoD per-group
// selection", formats.md 9.1): the per-channel exponent t, the per-variant scale code and the
// least-error variant, with values where a wrong t, a wrong M_v or a reversed tie order give a
// different group. In-process (docs/mutation.md).
import { expect } from 'chai';
import {
  binary32BitsOfNumber,
  bitmodDequantizeChannel,
  bitmodMaxMagnitude,
  bitmodQuantize,
  bitmodQuantizeChannel,
  fromInt,
  fromNumber,
  NumericsError,
  toDecimalString,
} from '../../../src/numerics/index.js';

const b32 = (xs: number[]): number[] => xs.map(binary32BitsOfNumber);

describe('BitMoD channels (9.1, per-group selection)', () => {
  it('largest grid magnitude per base and variant: FP3 4 / 6, FP4 6 / 8', () => {
    const m = (b: 'fp3' | 'fp4', v: 'er+' | 'er-' | 'ea+' | 'ea-'): string =>
      toDecimalString(bitmodMaxMagnitude(b, v));
    expect([m('fp3', 'er+'), m('fp3', 'er-'), m('fp3', 'ea+'), m('fp3', 'ea-')]).to.deep.equal([
      '4',
      '4',
      '6',
      '6',
    ]);
    expect([m('fp4', 'er+'), m('fp4', 'er-'), m('fp4', 'ea+'), m('fp4', 'ea-')]).to.deep.equal([
      '6',
      '6',
      '8',
      '8',
    ]);
  });

  it('t is the smallest integer with 255·6·2^t ≥ amax (FP4): 1530 → 0, 1531 → 1, 765 → -1, 766 → 0', () => {
    const t = (a: number): number => bitmodQuantizeChannel(b32([a]), 'fp4', 1).t;
    expect([1530, 1531, 765, 766, 7].map(t)).to.deep.equal([0, 1, -1, 0, -7]);
    // FP3: 255·4 = 1020
    const t3 = (a: number): number => bitmodQuantizeChannel(b32([a]), 'fp3', 1).t;
    expect([1020, 1021, -510].map(t3)).to.deep.equal([0, 1, -1]);
  });

  it('1530 alone: σ = 255 puts it on 6 exactly with ER+ (first of the zero-error ties)', () => {
    const ch = bitmodQuantizeChannel(b32([1530]), 'fp4', 1);
    expect(ch.groups).to.deep.equal([{ variant: 'er+', codes: [7], scaleCode: 255 }]);
  });

  it('7 alone (t = -7): EA+ with code RNE(7/(8·2^-7)) = 112 holds 7 = 0.875·8 exactly', () => {
    // ER+/ER-: code RNE(149.33) = 149, 7/σ = 6.01 → 6 (error > 0); EA-: 8 saturates at 6.
    const ch = bitmodQuantizeChannel(b32([7]), 'fp4', 1);
    expect(ch).to.deep.equal({ t: -7, groups: [{ variant: 'ea+', codes: [8], scaleCode: 112 }] });
    expect(bitmodDequantizeChannel(ch, 'fp4').map(toDecimalString)).to.deep.equal(['7']);
  });

  it('-7 alone: EA- (code 112, special -8) wins', () => {
    const ch = bitmodQuantizeChannel(b32([-7]), 'fp4', 1);
    expect(ch).to.deep.equal({ t: -7, groups: [{ variant: 'ea-', codes: [8], scaleCode: 112 }] });
  });

  it('groups share t; equal errors keep ER+; codes clamp to 1; a short last group', () => {
    // t = 0 from 1530; group 2 = [7]: every variant gets code 1 (RNE(7/6) = RNE(7/8) = 1) and
    // error 1 (7 → 6), so ER+ stays.
    const ch = bitmodQuantizeChannel(b32([1530, 7]), 'fp4', 1);
    expect(ch.t).to.equal(0);
    expect(ch.groups[1]).to.deep.equal({ variant: 'er+', codes: [7], scaleCode: 1 });
    // an all-zero channel: t = 0, code clamped up to 1, every element +0
    const z = bitmodQuantizeChannel(b32([0, -0, 0]), 'fp4', 2);
    expect(z).to.deep.equal({
      t: 0,
      groups: [
        { variant: 'er+', codes: [0, 0], scaleCode: 1 },
        { variant: 'er+', codes: [0], scaleCode: 1 },
      ],
    });
  });

  it('refuses a bad group size, non-finite weights and a non-positive σ', () => {
    for (const g of [0, 1.5])
      expect(() => bitmodQuantizeChannel([0], 'fp4', g)).to.throw(
        NumericsError,
        `BitMoD groupSize ${g} must be a positive integer`,
      );
    expect(() => bitmodQuantizeChannel([0x7fc00000], 'fp4', 1)).to.throw(
      NumericsError,
      'BitMoD weight 0 is not finite (NaN/Inf cannot be quantized)',
    );
    expect(() => bitmodQuantizeChannel([0, 0xff800000], 'fp4', 1)).to.throw(
      NumericsError,
      'BitMoD weight 1 is not finite',
    );
    for (const s of [0, -1, Infinity, NaN])
      expect(() => bitmodQuantize([fromInt(1n)], 'fp4', fromNumber(s)), `${s}`).to.throw(
        NumericsError,
        'BitMoD scale σ must be positive and finite',
      );
    expect(bitmodQuantize([fromInt(1n)], 'fp4', fromNumber(0.5), 'ea-')).to.deep.equal({
      variant: 'ea-',
      codes: [4],
    });
  });

  it('±Inf elements saturate and take no part in the variant choice', () => {
    // σ = 0.875 puts 7 on EA+'s 8 exactly (error 0); +Inf saturates to that same top code 8. If
    // Inf entered the error sum, every variant's error would be Inf and the ER+ tie rule would win.
    const inf = fromNumber(Infinity);
    expect(bitmodQuantize([fromInt(7n), inf], 'fp4', fromNumber(0.875))).to.deep.equal({
      variant: 'ea+',
      codes: [8, 8],
    });
    expect(bitmodQuantize([inf], 'fp4', fromNumber(1), 'er+')).to.deep.equal({
      variant: 'er+',
      codes: [7],
    });
  });

  it('the scale code is RNE, not floor: 1529 alone gives ER+ with 255 (RNE(254.83))', () => {
    // t = 0. ER+: σ = 255, 1529/255 = 5.996 → 6, error (1529 - 1530)² = 1. EA+: RNE(191.125) =
    // 191, 1529/191 = 8.005 → 8, error 1: a tie, ER+ stays. A floored ER code 254 would give
    // 1529/254 → 6, error 25, and EA+ would win.
    const ch = bitmodQuantizeChannel(b32([1529]), 'fp4', 1);
    expect(ch).to.deep.equal({ t: 0, groups: [{ variant: 'er+', codes: [7], scaleCode: 255 }] });
  });
});
