// BitMoD per-group selection with scale codes, the integer Hadamard transform and mixed-precision
// tensors against hand-worked values (literal expectations) and independent constructions.
import { expect } from 'chai';
import {
  atomFormatMap,
  binary32BitsOfNumber,
  bitmodDequantizeChannel,
  bitmodFormat,
  bitmodQuantizeChannel,
  checkFormatMap,
  decode,
  fwht,
  hadamardEntry,
  hadamardFoldScale,
  hadamardOutBits,
  hadamardRequantize,
  mixedDequantize,
  mixedDot,
  mixedQuantize,
  NumericsError,
  outlierPermutation,
  toDecimalString,
} from '../../../src/numerics/index.js';

const b32 = (xs: number[]): number[] => xs.map(binary32BitsOfNumber);

describe('numerics: BitMoD special values and per-group selection', () => {
  it('every FP3/FP4 special value of every variant (code 100 / 1000)', () => {
    const want: Record<string, [string, string]> = {
      'er+': ['3', '5'],
      'er-': ['-3', '-5'],
      'ea+': ['6', '8'],
      'ea-': ['-6', '-8'],
    };
    for (const [v, [fp3, fp4]] of Object.entries(want)) {
      expect(toDecimalString(decode(bitmodFormat('fp3', v as 'er+'), 0x4))).to.equal(fp3);
      expect(toDecimalString(decode(bitmodFormat('fp4', v as 'er+'), 0x8))).to.equal(fp4);
      // every other code is the plain base grid
      const base3 = ['0', '1', '2', '4', null, '-1', '-2', '-4'];
      base3.forEach((s, c) => {
        if (s !== null)
          expect(toDecimalString(decode(bitmodFormat('fp3', v as 'er+'), c))).to.equal(s);
      });
    }
  });

  it('hand-worked group [3, 1, 0, 0] (FP3): EA+ with σ = 128·2^-8 represents it exactly', () => {
    // t: smallest with 255·4·2^t ≥ 3 → -8. ER±: code RNE(3/(4·2^-8)) = 192, σ = 0.75 → 3, 0.75
    // (error 1/16). EA+: code RNE(3/(6·2^-8)) = 128, σ = 0.5 → 6σ = 3 (special), 2σ = 1.
    const ch = bitmodQuantizeChannel(b32([3, 1, 0, 0]), 'fp3', 4);
    expect(ch).to.deep.equal({
      t: -8,
      groups: [{ variant: 'ea+', scaleCode: 128, codes: [4, 2, 0, 0] }],
    });
    expect(bitmodDequantizeChannel(ch, 'fp3').map(toDecimalString)).to.deep.equal([
      '3',
      '1',
      '0',
      '0',
    ]);
  });

  it('hand-worked group [3, -4] (FP3): ER+ (σ = 1, special +3) beats EA+ (σ = 85/128)', () => {
    const ch = bitmodQuantizeChannel(b32([3, -4]), 'fp3', 2);
    expect(ch).to.deep.equal({
      t: -7,
      groups: [{ variant: 'er+', scaleCode: 128, codes: [4, 7] }],
    });
  });

  it('two groups per channel; an all-zero group is ER+ with scale code 1 (tie order)', () => {
    const ch = bitmodQuantizeChannel(b32([-5, 1, 0, 0]), 'fp4', 2);
    // t = -8 (255·6·2^-8 ≥ 5). ER±: code RNE(5·256/6) = 213, -5/σ = -6.009 → -6 for both
    // (error ≈ 0.0283; the tie keeps ER+). EA-: code RNE(5·256/8) = 160, σ = 0.625: -5 = -8σ
    // (special) exactly, 1/σ = 1.6 → 1.5 (error 0.0039): EA- wins.
    expect(ch).to.deep.equal({
      t: -8,
      groups: [
        { variant: 'ea-', scaleCode: 160, codes: [0x8, 0x3] },
        { variant: 'er+', scaleCode: 1, codes: [0, 0] },
      ],
    });
  });

  it('a NaN weight or a bad group size is a one-line error', () => {
    expect(() => bitmodQuantizeChannel([0x7fc00000], 'fp4', 4)).to.throw(
      NumericsError,
      /^BitMoD weight 0/,
    );
    expect(() => bitmodQuantizeChannel([0], 'fp4', 0)).to.throw(/^BitMoD groupSize 0/);
  });
});

describe('numerics: integer Hadamard transform', () => {
  it('hand-worked: H4·[1, 2, 3, 4] = [10, -2, -4, 0]', () => {
    expect(fwht([1n, 2n, 3n, 4n])).to.deep.equal([10n, -2n, -4n, 0n]);
  });

  it('equals the Sylvester matrix built by recursion, n = 1..64', () => {
    let h: number[][] = [[1]];
    for (let k = 0; k <= 6; k++) {
      const n = h.length;
      const x = Array.from({ length: n }, (_, i) => BigInt(((i * 37) % 11) - 5));
      const want = h.map((row) => row.reduce((a, v, j) => a + BigInt(v) * (x[j] ?? 0n), 0n));
      expect(fwht(x), `n=${n}`).to.deep.equal(want);
      h.forEach((row, i) => row.forEach((v, j) => expect(hadamardEntry(i, j)).to.equal(v)));
      h = [...h.map((r) => [...r, ...r]), ...h.map((r) => [...r, ...r.map((v) => -v)])];
    }
  });

  it('bit growth is exactly log2 n: every 3-bit input vector of length 4 fits 5 bits, tightly', () => {
    let lo = 0n;
    let hi = 0n;
    for (let c = 0; c < 8 ** 4; c++) {
      const x = [0, 1, 2, 3].map((i) => BigInt(((c >> (3 * i)) & 7) - 4));
      for (const y of fwht(x)) {
        if (y < lo) lo = y;
        if (y > hi) hi = y;
      }
    }
    expect(hadamardOutBits(4, 3)).to.equal(5);
    // -16 = -2^4 is reached (all -4 in row 0); the largest is 2·3 + 2·4 = 14 ≤ 2^4 - 1
    expect([lo, hi]).to.deep.equal([-16n, 14n]);
  });

  it('normalisation folded into the next binary32 scale (RNE once)', () => {
    expect(hadamardFoldScale(0x3f800000, 4)).to.equal(0x3f000000); // 1/2
    expect(hadamardFoldScale(0x3f800000, 2)).to.equal(0x3f3504f3); // 1/√2
    expect(hadamardFoldScale(0x3f800000, 8)).to.equal(0x3eb504f3); // 1/√8
    expect(hadamardFoldScale(0x40400000, 2)).to.equal(0x4007c3b6); // 3/√2
  });

  it('hand-worked requantized rotation (the IR op): H4·[1,2,3,4]·2^-1 → int4 and int3', () => {
    expect(hadamardRequantize([1n, 2n, 3n, 4n], 0, 0, 4)).to.deep.equal([5n, -1n, -2n, 0n]);
    expect(hadamardRequantize([1n, 2n, 3n, 4n], 0, 0, 3)).to.deep.equal([3n, -1n, -2n, 0n]);
    // n = 2 (ν = 1): [3, 0]·... (3 + 0)/2 = 1.5 → 2 (RNE), (3 - 0)/2 → 2; at 2^-1: 3, 3
    expect(hadamardRequantize([3n, 0n], 0, 0, 8)).to.deep.equal([2n, 2n]);
    expect(hadamardRequantize([3n, 0n], 0, -1, 8)).to.deep.equal([3n, 3n]);
  });

  it('a size that is not a power of two is a one-line error naming the field', () => {
    expect(() => hadamardOutBits(12, 4)).to.throw(
      NumericsError,
      /^hadamard size 12 is not a power of two/,
    );
    expect(() => fwht([1n, 2n, 3n])).to.throw(/^hadamard size \(input length\) 3/);
  });
});

describe('numerics: mixed precision inside a tensor', () => {
  it('hand-worked: INT4 group [0.5, -1] (σ = RNE32(1/7)) and INT8 group [2, 0.25]', () => {
    const map = [
      { start: 0, end: 2, bits: 4, groupSize: 2 },
      { start: 2, end: 4, bits: 8, groupSize: 2 },
    ];
    const g = mixedQuantize(b32([0.5, -1, 2, 0.25]), map);
    expect(g).to.deep.equal([
      { start: 0, bits: 4, scale: 0x3e124925, codes: [3, -7] }, // 0.5/σ = 3.4999998
      { start: 2, bits: 8, scale: 0x3c810204, codes: [127, 16] }, // 0.25/σ = 15.875
    ]);
    expect(mixedDequantize(g).map(toDecimalString)).to.deep.equal([
      '0.42857144773006439208984375',
      '-1.00000004470348358154296875',
      '1.999999992549419403076171875',
      '0.25196850299835205078125',
    ]);
    // σ1²·(9 + 49) + σ2²·(127² + 16²), exact (Python fractions on numpy float32 scales)
    expect(toDecimalString(mixedDot(g, g))).to.equal(
      '5.247161671917320691083119754694052971899509429931640625',
    );
  });

  it('Atom map and outlier reordering', () => {
    expect(atomFormatMap(256, 128, 64)).to.deep.equal([
      { start: 0, end: 128, bits: 4, groupSize: 64 },
      { start: 128, end: 256, bits: 8, groupSize: 128 },
    ]);
    expect(outlierPermutation([1, 9, 2, 9, 0, 5], 2)).to.deep.equal([0, 2, 4, 5, 1, 3]);
  });

  it('a format map that does not cover the tensor is a one-line error naming the field', () => {
    const m = [{ start: 0, end: 96, bits: 4, groupSize: 32 }];
    expect(() => checkFormatMap(m, 128)).to.throw(
      NumericsError,
      /^map covers channels 0\.\.95 but the tensor has 128 channels$/,
    );
    expect(() =>
      checkFormatMap(
        [
          { start: 0, end: 64, bits: 4, groupSize: 32 },
          { start: 80, end: 128, bits: 8, groupSize: 48 },
        ],
        128,
      ),
    ).to.throw(/^map\[1\]\.start is 80: the map leaves a gap or overlap at channel 64$/);
    expect(() => checkFormatMap([{ start: 0, end: 8, bits: 9, groupSize: 8 }], 8)).to.throw(
      /^map\[0\]\.bits 9/,
    );
  });
});
