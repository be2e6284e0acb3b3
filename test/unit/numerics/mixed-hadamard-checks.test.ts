// Hand-derived vectors for mixed-precision format maps (mixed.ts) and the Hadamard helpers
// (hadamard.ts): every check with its one-line message, the σ fallback and code clamp at binary32
// subnormals, and exact dots. In-process, so StrykerJS sees them (docs/mutation.md).
import { expect } from 'chai';
import {
  atomFormatMap,
  binary32BitsOfNumber,
  checkFormatMap,
  dialectDot,
  dialectHalfUnits,
  dialectQuantizeActivation,
  dialectQuantizeWeight,
  type FormatMap,
  hadamardEntry,
  hadamardFoldScale,
  hadamardLog2,
  hadamardNormExp,
  hadamardRequantize,
  isqrtBig,
  mixedDequantize,
  mixedDot,
  mixedQuantize,
  mixedQuantizePow2,
  NAN,
  NumericsError,
  outlierPermutation,
  toDecimalString,
  fromNumber,
} from '../../../src/numerics/index.js';

const f32 = binary32BitsOfNumber;
const R = (start: number, end: number, bits: number, groupSize: number) => ({
  start,
  end,
  bits,
  groupSize,
});

describe('mixed-precision format maps (mixed.ts)', () => {
  it('checkFormatMap names the field and index of the first fault', () => {
    const bad = (m: FormatMap, msg: string, field?: string): void => {
      expect(() => checkFormatMap(m, 8, field)).to.throw(NumericsError, msg);
    };
    bad([], 'map is empty: it must cover channels 0..7');
    bad([], 'weights.map is empty', 'weights.map');
    for (const b of [1, 9, 4.5]) bad([R(0, 8, b, 8)], `map[0].bits ${b} must be an integer 2..8`);
    for (const g of [0, 1.5])
      bad([R(0, 8, 4, g)], `map[0].groupSize ${g} must be a positive integer`);
    bad([R(1, 8, 4, 8)], 'map[0].start is 1: the map must start at channel 0');
    bad(
      [R(0, 4, 4, 4), R(5, 8, 4, 4)],
      'map[1].start is 5: the map leaves a gap or overlap at channel 4',
    );
    bad(
      [R(0, 4, 4, 4), R(3, 8, 4, 4)],
      'map[1].start is 3: the map leaves a gap or overlap at channel 4',
    );
    bad([R(0, 0, 4, 4)], 'map[0].end 0 must be an integer above start 0');
    bad([R(0, 2.5, 4, 4)], 'map[0].end 2.5 must be an integer above start 0');
    bad([R(0, 4, 4, 4)], 'map covers channels 0..3 but the tensor has 8 channels');
    bad([R(0, 4, 4, 4), R(4, 9, 4, 4)], 'map covers channels 0..8 but the tensor has 8 channels');
    for (const m of [[R(0, 8, 2, 1)], [R(0, 8, 8, 8)], [R(0, 3, 4, 2), R(3, 8, 8, 5)]])
      expect(() => checkFormatMap(m, 8)).not.to.throw();
  });

  it("Atom's map: INT4 groups, the last `outliers` channels one INT8 group", () => {
    expect(atomFormatMap(8, 0)).to.deep.equal([R(0, 8, 4, 128)]);
    expect(atomFormatMap(8, 8)).to.deep.equal([R(0, 8, 8, 8)]);
    expect(atomFormatMap(8, 2, 4)).to.deep.equal([R(0, 6, 4, 4), R(6, 8, 8, 2)]);
    for (const o of [9, -1, 1.5])
      expect(() => atomFormatMap(8, o)).to.throw(
        NumericsError,
        `outliers ${o} must be an integer 0..8`,
      );
  });

  it('outlier permutation: largest scores last in increasing order, ties to the higher index', () => {
    expect(outlierPermutation([5, 1, 5, 3], 2)).to.deep.equal([1, 3, 0, 2]);
    expect(outlierPermutation([5, 1, 5, 3], 1)).to.deep.equal([0, 1, 3, 2]);
    expect(outlierPermutation([5, 1, 5, 3], 0)).to.deep.equal([0, 1, 2, 3]);
    expect(outlierPermutation([7, 7, 7, 7], 2)).to.deep.equal([0, 1, 2, 3]);
    expect(outlierPermutation([2, 9, 9, 1], 2)).to.deep.equal([0, 3, 1, 2]);
  });

  it('σ = RNE32(amax/qmax), codes RNE(x/σ): [7, -3.5 | 0, 1] in INT4 groups of 2', () => {
    const g = mixedQuantize([7, -3.5, 0, 1].map(f32), [R(0, 4, 4, 2)]);
    expect(g).to.deep.equal([
      { start: 0, bits: 4, scale: 0x3f800000, codes: [7, -4] }, // -3.5 ties to even -4
      { start: 2, bits: 4, scale: 0x3e124925, codes: [0, 7] }, // σ = RNE32(1/7)
    ]);
    expect(mixedDequantize(g).map(toDecimalString)).to.deep.equal([
      '7',
      '-4',
      '0',
      '1.00000004470348358154296875', // 7 · 9586981·2^-26 = 1 + 3·2^-26
    ]);
  });

  it('at binary32 subnormals σ falls back to 2^-149 and codes clamp to ±qmax', () => {
    // amax 2^-149, INT8: 2^-149/127 rounds to 0, so σ = 2^-149 (pattern 1) and the code is 1
    expect(mixedQuantize([1], [R(0, 1, 8, 1)])).to.deep.equal([
      { start: 0, bits: 8, scale: 1, codes: [1] },
    ]);
    // amax 4·2^-149, INT3 (qmax 3): σ = RNE32(1.33·2^-149) = 2^-149, 4 clamps to 3
    expect(mixedQuantize([4, 0x80000004], [R(0, 2, 3, 2)])).to.deep.equal([
      { start: 0, bits: 3, scale: 1, codes: [3, -3] },
    ]);
    // an all-zero group: scale 0, codes 0
    expect(mixedQuantize([0, 0x80000000], [R(0, 2, 4, 2)])).to.deep.equal([
      { start: 0, bits: 4, scale: 0, codes: [0, 0] },
    ]);
    expect(() => mixedQuantize([0, 0x7fc00000], [R(0, 2, 4, 2)])).to.throw(
      NumericsError,
      'mixed-precision input 1 is not finite',
    );
  });

  it('dot: Σ σa·σb·Σ qa·qb exactly; maps must agree', () => {
    const map = [R(0, 2, 4, 2)];
    const a = mixedQuantize([7, -3.5].map(f32), map); // σ 1, [7, -4]
    const b = mixedQuantize([1, 1].map(f32), map); // σ RNE32(1/7) = 9586981·2^-26, [7, 7]
    expect(toDecimalString(mixedDot(a, a))).to.equal('65');
    // 21 · 9586981·2^-26
    expect(toDecimalString(mixedDot(a, b))).to.equal('3.00000013411045074462890625');
    const two = mixedQuantize([1, 1, 1, 1].map(f32), [R(0, 4, 4, 2)]);
    expect(() => mixedDot(a, two)).to.throw(
      NumericsError,
      'mixed dot: operands have 1 and 2 groups',
    );
    const shifted = [{ ...(a[0] as never as object), start: 1 }] as never;
    expect(() => mixedDot(a, shifted)).to.throw(
      NumericsError,
      'mixed dot: group 0 differs between operands (different format maps)',
    );
    const shorter = [{ ...(a[0] as never as object), codes: [7] }] as never;
    expect(() => mixedDot(a, shorter)).to.throw(NumericsError, 'group 0 differs');
  });
});

describe('power-of-two group scales (mixedQuantizePow2, decision 34)', () => {
  it('d is the smallest of 0..dMax with RNE(amax·2^-(base+d)) ≤ qmax, else dMax; codes clamp', () => {
    const xs = [7, -3.5, 0, 1, 20, -0.25, 100, 0].map(fromNumber);
    const map = [R(0, 4, 4, 2), R(4, 6, 3, 2), R(6, 8, 3, 2)];
    expect(mixedQuantizePow2(xs, map, -1, 3)).to.deep.equal([
      // 7·2^1 = 14 > 7, 7·2^0 = 7 fits: d = 1; -3.5 ties to even -4
      { start: 0, bits: 4, d: 1, codes: [7, -4] },
      // amax 1: 1·2^1 = 2 fits at d = 0
      { start: 2, bits: 4, d: 0, codes: [0, 2] },
      // 20·2^-2 = 5 > 3 at d = dMax = 3: stays 3, 5 clamps to 3, -0.0625 rounds to 0
      { start: 4, bits: 3, d: 3, codes: [3, 0] },
      // 100·2^-2 = 25: d stops at dMax (12.5 at d = 4 would still exceed 3)
      { start: 6, bits: 3, d: 3, codes: [3, 0] },
    ]);
    // negative side: -100 at d = dMax = 1 (base 0): RNE(-50) clamps to -3
    expect(mixedQuantizePow2([-100, 1].map(fromNumber), [R(0, 2, 3, 2)], 0, 1)).to.deep.equal([
      { start: 0, bits: 3, d: 1, codes: [-3, 0] },
    ]);
    expect(mixedQuantizePow2([0, -0].map(fromNumber), [R(0, 2, 4, 2)], 5, 3)).to.deep.equal([
      { start: 0, bits: 4, d: 0, codes: [0, 0] },
    ]);
    expect(() => mixedQuantizePow2([fromNumber(1), NAN], [R(0, 2, 4, 2)], 0, 1)).to.throw(
      NumericsError,
      'mixed-precision input 1 is not finite',
    );
    expect(() => mixedQuantizePow2([fromNumber(1)], [R(0, 2, 4, 2)], 0, 1)).to.throw(
      NumericsError,
      'map covers channels 0..1 but the tensor has 1 channels',
    );
  });
});

describe('Hadamard helpers (hadamard.ts)', () => {
  it('log2 of a power of two up to 2^30; anything else names the field', () => {
    expect([1, 2, 4, 1024, 2 ** 30].map((n) => hadamardLog2(n))).to.deep.equal([0, 1, 2, 10, 30]);
    for (const n of [0, 3, 6, 1.5, -4, 2 ** 31])
      expect(() => hadamardLog2(n)).to.throw(
        NumericsError,
        `hadamard size ${n} is not a power of two (1, 2, 4, … 2^30)`,
      );
    expect(() => hadamardLog2(12, 'rotation')).to.throw(
      NumericsError,
      'hadamard rotation 12 is not',
    );
  });
  it('normalisation exponent ν = ceil(k/2)', () => {
    expect([1, 2, 4, 8, 16, 32].map(hadamardNormExp)).to.deep.equal([0, 1, 1, 2, 2, 3]);
  });
  it('entries (-1)^popcount(i & j)', () => {
    expect([
      hadamardEntry(3, 1),
      hadamardEntry(3, 3),
      hadamardEntry(7, 7),
      hadamardEntry(0, 5),
    ]).to.deep.equal([-1, 1, -1, 1]);
    expect(hadamardEntry(6, 5)).to.equal(-1); // 6 & 5 = 4
    expect(hadamardEntry(12, 10)).to.equal(-1); // 12 & 10 = 8
  });
  it('isqrtBig is floor(sqrt)', () => {
    const rows: [bigint, bigint][] = [
      [0n, 0n],
      [1n, 1n],
      [2n, 1n],
      [3n, 1n],
      [4n, 2n],
      [99n, 9n],
      [100n, 10n],
      [1n << 64n, 1n << 32n],
      [(1n << 64n) - 1n, (1n << 32n) - 1n],
    ];
    expect(rows.map(([v]) => isqrtBig(v))).to.deep.equal(rows.map((r) => r[1]));
  });
  it('fold scale: exact for even k, √2 rounded once for odd k; refuses non-positive scales', () => {
    expect(hadamardFoldScale(0x40400000, 16)).to.equal(0x3f400000); // 3/4
    expect(hadamardFoldScale(0x3f800000, 1)).to.equal(0x3f800000);
    expect(hadamardFoldScale(0x3f800000, 32)).to.equal(0x3e3504f3); // 1/√32 = 0.1767767
    for (const s of [0, 0x80000000, 0xbf800000, 0x7f800000, 0x7fc00000])
      expect(() => hadamardFoldScale(s, 4)).to.throw(
        NumericsError,
        'hadamard scale must be a positive finite binary32',
      );
  });
});

describe('BlockDialect checks (blockdialect.ts)', () => {
  it('4-bit codes only; sign bit 3, index bits 2..0', () => {
    expect(dialectHalfUnits(0, 15)).to.equal(-15); // dialect 0 index 7 = 7.5
    expect(dialectHalfUnits(15, 13)).to.equal(-5); // dialect 15 index 5 = 2.5
    expect(dialectHalfUnits(15, 5)).to.equal(5);
    for (const c of [16, -1, 1.5])
      expect(() => dialectHalfUnits(0, c)).to.throw(
        NumericsError,
        `code ${c} is not a 4-bit DialectFP4 code (0..15)`,
      );
  });
  it('block inputs: k a positive integer, at most k values, a short tail padded to k', () => {
    for (const q of [dialectQuantizeWeight, dialectQuantizeActivation]) {
      for (const k of [0, 1.5])
        expect(() => q([0], k)).to.throw(
          NumericsError,
          `block size ${k} must be a positive integer`,
        );
      expect(() => q([0, 0, 0], 2)).to.throw(
        NumericsError,
        'a block holds at most k = 2 values; got 3',
      );
      expect(q([f32(1)], 4).codes).to.have.length(4);
      // a block of one value: s = floor(log2 1) - 2 = -2
      expect(q([f32(-1)], 1)).to.include({ scale: 125 });
      expect(q([f32(-1)], 1).codes).to.have.length(1);
      expect(q([f32(1), 0x7fc00000], 3)).to.deep.equal({
        scale: 0xff,
        dialect: 0,
        codes: [0, 0, 0],
      });
      expect(q([0, 0x80000000], 2)).to.deep.equal({ scale: 0, dialect: 0, codes: [0, 0] });
    }
  });
  it('dot: both dialects checked by name, equal lengths, NaN scales', () => {
    const a = { scale: 127, dialect: 0, codes: [1] };
    expect(dialectDot(a, a)).to.deep.equal({ kind: 'finite', sum: 1n, exp: -2 });
    expect(() => dialectDot({ ...a, dialect: 16 }, a)).to.throw(
      NumericsError,
      'a.dialect 16 is out of range: DialectFP4 dialect ids are 0..15',
    );
    expect(() => dialectDot(a, { ...a, dialect: -1 })).to.throw(
      NumericsError,
      'b.dialect -1 is out',
    );
    expect(() => dialectDot(a, { ...a, codes: [1, 1] })).to.throw(
      NumericsError,
      'blocks of different lengths (1 and 2) cannot be dotted',
    );
    expect(dialectDot({ ...a, scale: 0xff }, a)).to.deep.equal({ kind: 'nan' });
    expect(dialectDot(a, { ...a, scale: 0xff })).to.deep.equal({ kind: 'nan' });
  });
});

describe('Hadamard requantization with an input scale', () => {
  it('H4·[1,2,3,4] at 2^-1 to 2^0: shift outExp - inExp + ν = 2: [2.5, -0.5, -1, 0] → [2, 0, -1, 0]', () => {
    expect(hadamardRequantize([1n, 2n, 3n, 4n], -1, 0, 8)).to.deep.equal([2n, 0n, -1n, 0n]);
  });
});
