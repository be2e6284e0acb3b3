// Independent spec vectors for the tables and rules a generator shares with its reference model
// (so a differential test cannot see them change): the scalable-PE mode table, the product and
// accumulator width rules, the element decode tables of the arithmetic formats. Every expected
// value is a literal derived by hand from docs/components.md and formats.md (the derivation is in
// the comments), and each beat runs through BOTH the reference model and the generated hardware
// in the native simulator (with stalls). Operands are chosen so that the plausible confusions give
// a different answer: swapped modes (4×2 read as 2×4), swapped signedness (sa ↔ sb), an off-by-one
// product or accumulator width, a swapped or mis-biased decode table.
import { expect } from 'chai';
import {
  arithFormat,
  exactSumWidth,
  hasSpecials,
  productWidth,
  shortFormatName,
  signedWidthOf,
  type ArithFormatName,
} from '../../src/components/arith/index.js';
import {
  beatRange,
  exactPeWidth,
  getComponent,
  parseConfig,
  type AnyComponentKind,
  type Beat,
} from '../../src/components/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { compile, runStream } from '../../src/sim/index.js';

/** Output beats of `beats` from the reference model and from the hardware (native sim, stalls). */
function both(kind: AnyComponentKind, raw: unknown, beats: readonly Beat[]): [Beat[], Beat[]] {
  const config = parseConfig(kind, raw);
  const f = kind.stream(config);
  const ref = kind.reference(config, beats);
  const run = runStream(compile(elaborate(kind.generate(config))), beats, {
    inFields: f.in.map((x) => x.name),
    outFields: f.out.map((x) => x.name),
    expectedOutBeats: ref.length,
    idleProbability: 0.3,
    stallProbability: 0.3,
    seed: 17,
  });
  return [ref, run.outBeats];
}

/** The field `name` of every output beat, as W-bit two's complement values. */
const signedOf = (beats: readonly Beat[], name: string, w: number): bigint[] =>
  beats.map((b) => BigInt.asIntN(w, b[name] ?? 0n));

describe('spec vectors: scalable-pe mode table (docs/components.md, scalable-pe)', () => {
  const pe = getComponent('scalable-pe');
  // One beat per (mode, sa, sb); in_last = 1 so each is its own sum. Expected Σ a_i·b_i by hand.
  const cases: {
    mode: number;
    a: bigint;
    b: bigint;
    /** [uu, su, us, ss]: sa = a signed, sb = b signed. */
    sums: [number, number, number, number];
    why: string;
  }[] = [
    {
      mode: 0,
      a: 0xdeadbe80n,
      b: 0x123456ffn,
      sums: [32640, -32640, -128, 128],
      // 8×8, one product; bits above 7 ignored: a = 0x80 (128 | -128), b = 0xFF (255 | -1).
      why: '128·255, -128·255, 128·-1, -128·-1',
    },
    {
      mode: 1,
      a: 0x00007f81n,
      b: 0x00000097n,
      sums: [2046, 254, 14, -1778],
      // 8×4, two products: a = [0x81 (129 | -127), 0x7F (127)], b = [7, 9 (9 | -7)].
      why: '129·7 + 127·9, -127·7 + 127·9, 129·7 + 127·-7, -127·7 + 127·-7',
    },
    {
      mode: 2,
      a: 0x00009f1en,
      b: 0x00002c5an,
      sums: [343, -41, -121, 7],
      // 4×4, four products: a = [14|-2, 1, 15|-1, 9|-7], b = [10|-6, 5, 12|-4, 2].
      why: '140 + 5 + 180 + 18; -20 + 5 - 12 - 14; -84 + 5 - 60 + 18; 12 + 5 + 4 - 14',
    },
    {
      mode: 3,
      a: 0x87654321n,
      b: 0x0000e4e4n,
      sums: [64, 16, -24, -8],
      // 4×2, eight products: a = [1..7, 8|-8] (4-bit), b = [0, 1, 2|-2, 3|-1] twice (2-bit).
      // Read as 2×4 (the swap of issue 17) the same bits give 1·4 + 2·4 = 12 unsigned.
      why: '0+2+6+12+0+6+14+24; ... + 7·2 - 8·3; 0+2-6-4+0+6-14-8; ... + 7·-2 + -8·-1',
    },
    {
      mode: 4,
      a: 0xdedededen,
      b: 0xadadadadn,
      sums: [76, -20, -36, -4],
      // 2×2, sixteen products: per byte a = [2|-2, 3|-1, 1, 3|-1], b = [1, 3|-1, 2|-2, 2|-2];
      // one byte gives 19, -5, -9, -1; four bytes four times that.
      why: '4·(2+9+2+6), 4·(-2-3+2-2), 4·(2-3-2-6), 4·(-2+1-2+2)',
    },
    { mode: 5, a: 0xffffffffn, b: 0xffffffffn, sums: [0, 0, 0, 0], why: 'reserved: no products' },
    { mode: 7, a: 0x12345678n, b: 0x9abcdef0n, sums: [0, 0, 0, 0], why: 'reserved: no products' },
  ];
  for (const c of cases)
    it(`mode ${c.mode}: ${c.why}`, () => {
      const beats: Beat[] = [];
      for (const sa of [0n, 1n])
        for (const sb of [0n, 1n])
          beats.push({ mode: BigInt(c.mode), sa, sb, a: c.a, b: c.b, last: 1n });
      // Order of `beats`: uu, us, su, ss (sa outer) → reorder the table's [uu, su, us, ss].
      const want = [c.sums[0], c.sums[2], c.sums[1], c.sums[3]].map(BigInt);
      const [ref, hw] = both(pe, {}, beats);
      expect(signedOf(ref, 'acc', 25), 'reference').to.deep.equal(want);
      expect(signedOf(hw, 'acc', 25), 'hardware (native sim)').to.deep.equal(want);
    });

  it('beats accumulate until last: mode 0 (-128)·(-128) then mode 3 unsigned 64 gives 16448', () => {
    const beats: Beat[] = [
      { mode: 0n, sa: 1n, sb: 1n, a: 0x80n, b: 0x80n, last: 0n },
      { mode: 3n, sa: 0n, sb: 0n, a: 0x87654321n, b: 0xe4e4n, last: 1n },
    ];
    const [ref, hw] = both(pe, {}, beats);
    expect(signedOf(ref, 'acc', 25)).to.deep.equal([16448n]);
    expect(signedOf(hw, 'acc', 25)).to.deep.equal([16448n]);
  });

  it('accumulator width: one beat spans [-32640, 65025], so 258 beats fit 25 bits and 259 need 26', () => {
    // 258 · 65025 = 16 776 450 ≤ 2^24 - 1 = 16 777 215 < 259 · 65025 = 16 841 475.
    expect([
      exactPeWidth(1),
      exactPeWidth(256),
      exactPeWidth(258),
      exactPeWidth(259),
    ]).to.deep.equal([17, 25, 25, 26]);
    // One beat: 65025 = 255² < 2^16 needs 17 bits signed (-32640 only 16).
    expect(pe.derive(parseConfig(pe, { maxBeats: 259 }))).to.include({ accWidthBits: 26 });
  });
});

describe('spec vectors: product and sum width rules (formats.md 1.3)', () => {
  // Product ranges in units of 2^(lsbA + lsbB), and the two's complement width they need.
  const cases: [string, string, string, number][] = [
    ['int8', 'int8', '[-16256, 16384]: 16384 = 2^14 needs 16 bits', 16],
    ['uint8', 'int8', '[-32640, 32385]', 16],
    ['uint8', 'uint8', '[0, 65025]', 17],
    ['int4', 'int4', '[-56, 64]', 8],
    ['uint4', 'int8', '[-1920, 1905]', 12],
    ['int2', 'int2', '[-2, 4]', 4],
    ['uint2', 'uint2', '[0, 9]', 5],
    ['fp4_e2m1', 'fp4_e2m1', '±6 in units of 2^-1 is ±12: [-144, 144]', 9],
    ['fp4_e2m1', 'int8', '[-12·128, 12·128] = [-1536, 1536]', 12],
    ['fp6_e2m3', 'fp6_e2m3', '±7.5 in units of 2^-3 is ±60: [-3600, 3600]', 13],
    ['fp6_e3m2', 'fp6_e3m2', '±28 in units of 2^-4 is ±448: [-200704, 200704]', 19],
    ['fp8_e4m3', 'fp8_e4m3', '±448 in units of 2^-9 is ±229376: 229376² = 2^35.6..', 37],
  ];
  for (const [a, b, why, w] of cases)
    it(`${a} × ${b}: ${why} → ${w} bits`, () => {
      expect(
        productWidth(arithFormat(a as ArithFormatName), arithFormat(b as ArithFormatName)),
      ).to.equal(w);
    });

  it('sum widths: int8 × int8 over 3 products needs 17 bits, over 2 products 16', () => {
    // 3 · 16384 = 49152 > 2^15 - 1; 2 · 16384 = 32768 > 32767 as well: 17 bits; 1 product: 16.
    // -128·-128 is the only product reaching 2^14, so a sum of 2 already needs 17.
    const i8 = arithFormat('int8');
    expect([1, 2, 3].map((n) => exactSumWidth(i8, i8, n))).to.deep.equal([16, 17, 17]);
    // uint4 × int8 over 5: [-9600, 9525] → 15 bits.
    expect(exactSumWidth(arithFormat('uint4'), i8, 5)).to.equal(15);
  });

  it('a negative end that needs more bits than the positive one: uint2 × int2 and int2 × uint2', () => {
    // [0, 3] × [-2, 1]: products [-6, 3]; -6 needs 4 bits (-8..7), 3 alone 3 bits. Over 3
    // products [-18, 9]: -18 needs 6 bits (-32..31), 9 alone 5. The operand order is the
    // other corner of the product table (minA·maxB, not maxA·minB).
    const u2 = arithFormat('uint2');
    const s2 = arithFormat('int2');
    expect([productWidth(u2, s2), productWidth(s2, u2)]).to.deep.equal([4, 4]);
    expect([exactSumWidth(u2, s2, 3), exactSumWidth(s2, u2, 3)]).to.deep.equal([6, 6]);
  });

  it("signedWidthOf: two's complement widths at the ends of each range", () => {
    const w = (lo: bigint, hi: bigint): number => signedWidthOf(lo, hi);
    expect([
      w(-1n, 0n),
      w(0n, 0n),
      w(0n, 1n),
      w(-8n, 7n),
      w(-9n, 7n),
      w(-8n, 8n),
      w(-8n, 0n),
    ]).to.deep.equal([1, 1, 2, 4, 5, 5, 4]);
  });

  it('format names and specials: short names, NaN or Inf codes, unsupported formats', () => {
    expect(
      ['mxint8_element', 'fp8_e4m3', 'fp4_e2m1', 'int4', 'uint8'].map((n) =>
        shortFormatName(n as ArithFormatName),
      ),
    ).to.deep.equal(['mxint8', 'e4m3', 'e2m1', 'int4', 'uint8']);
    // e4m3 has NaN and no Inf; e5m2 both; fp6/fp4 and the integers neither.
    expect(
      ['fp8_e4m3', 'fp8_e5m2', 'fp6_e2m3', 'fp4_e2m1', 'int8'].map((n) =>
        hasSpecials(arithFormat(n as ArithFormatName)),
      ),
    ).to.deep.equal([true, true, false, false, false]);
    expect(() => arithFormat('fp16' as ArithFormatName)).to.throw(
      'element format "fp16" is not supported',
    );
  });
});

describe('spec vectors: scalable-pe beat range over the mode table', () => {
  it('one beat spans [-32640, 65025]: mode 0 (one 8×8 product) holds both ends', () => {
    // Per mode, products × the extreme product over operand signedness: mode 0 [-128·255,
    // 255·255]; mode 1 2·[-255·8, 255·15] = [-4080, 7650]; mode 2 4·[-8·15, 225] = [-480, 900];
    // mode 3 8·[-15·2, 45] = [-240, 360]; mode 4 16·[-2·3, 9] = [-96, 144].
    expect(beatRange()).to.deep.equal({ min: -32640n, max: 65025n });
  });
});

describe('spec vectors: signed × signed and unsigned × signed mac-array examples', () => {
  const mac = getComponent('mac-array');

  it('int8 × int8, K = 3: three (-128)·(-128) give 49152 (17 bits); 127·-128 + -128·127 + 0·99', () => {
    const raw = { rows: 1, cols: 1, aFormat: 'int8', bFormat: 'int8', depth: 3 };
    expect(mac.derive(parseConfig(mac, raw))).to.include({ accWidthBits: 17 });
    const beats: Beat[] = [
      ...[0, 1, 2].map(() => ({ a: 0x80n, b: 0x80n })),
      { a: 0x7fn, b: 0x80n },
      { a: 0x80n, b: 0x7fn },
      { a: 0x00n, b: 0x63n },
    ];
    const [ref, hw] = both(mac, raw, beats);
    // A one-bit-narrower product (15 bits) would wrap 16384 to -16384: -49152, not 49152.
    expect(signedOf(ref, 'acc', 17)).to.deep.equal([49152n, -32512n]);
    expect(signedOf(hw, 'acc', 17)).to.deep.equal([49152n, -32512n]);
  });

  it('uint4 × int8 2×1, K = 5: rows (15, 0) × -128 and rows (8, 15) × 127', () => {
    const raw = { rows: 2, cols: 1, aFormat: 'uint4', bFormat: 'int8', depth: 5 };
    expect(mac.derive(parseConfig(mac, raw))).to.include({ accWidthBits: 15 });
    // in_a: row 0 at bits [3:0], row 1 at [7:4]; out element i at bits [15i + 14 : 15i].
    const beats: Beat[] = [
      ...[0, 1, 2, 3, 4].map(() => ({ a: 0x0fn, b: 0x80n })),
      ...[0, 1, 2, 3, 4].map(() => ({ a: 0xf8n, b: 0x7fn })),
    ];
    const split = (bs: readonly Beat[]): bigint[][] =>
      bs.map((b) => [0, 1].map((i) => BigInt.asIntN(15, (b.acc ?? 0n) >> BigInt(15 * i))));
    // 5·15·-128 = -9600; 5·8·127 = 5080; 5·15·127 = 9525. Read as int4, 15 and 8 would be -1, -8.
    const want = [
      [-9600n, 0n],
      [5080n, 9525n],
    ];
    const [ref, hw] = both(mac, raw, beats);
    expect(split(ref)).to.deep.equal(want);
    expect(split(hw)).to.deep.equal(want);
  });
});

describe('spec vectors: element decode tables through the mac-array (formats.md 2)', () => {
  const mac = getComponent('mac-array');
  // F × int8 with b = 1, K = 1: the accumulator is the element's value in units of its lsb.
  const cases: [string, number, string, number][] = [
    ['fp4_e2m1', 0x7, '6.0 = 12 · 2^-1', 12],
    ['fp4_e2m1', 0x1, 'min subnormal 0.5', 1],
    ['fp4_e2m1', 0xb, '-1.5 = -3 · 2^-1 (sign bit 3)', -3],
    ['fp6_e2m3', 0x1f, '7.5 = 60 · 2^-3', 60],
    ['fp6_e2m3', 0x08, 'min normal 1.0 = 8 · 2^-3', 8],
    ['fp6_e3m2', 0x1f, '28 = 448 · 2^-4', 448],
    ['fp6_e3m2', 0x04, 'min normal 0.25 = 4 · 2^-4', 4],
    ['fp8_e4m3', 0x7e, '448 = 229376 · 2^-9', 229376],
    ['fp8_e4m3', 0x08, 'min normal 2^-6 = 8 · 2^-9', 8],
    ['fp8_e4m3', 0x01, 'min subnormal 2^-9', 1],
    ['fp8_e4m3', 0xb8, '-1.0 = -512 · 2^-9', -512],
    ['fp8_e5m2', 0x7b, '57344 = 3758096384 · 2^-16', 3758096384],
    ['fp8_e5m2', 0x04, 'min normal 2^-14 = 4 · 2^-16', 4],
    ['int8', 0x80, '-128', -128],
    ['uint8', 0x80, '128', 128],
  ];
  for (const [f, code, why, units] of cases)
    it(`${f} 0x${code.toString(16)}: ${why}`, () => {
      const raw = { rows: 1, cols: 1, aFormat: f, bFormat: 'int8', depth: 1 };
      const w = (mac.derive(parseConfig(mac, raw)) as unknown as { accWidthBits: number })
        .accWidthBits;
      const [ref, hw] = both(mac, raw, [{ a: BigInt(code), b: 1n }]);
      expect(signedOf(ref, 'acc', w), 'reference').to.deep.equal([BigInt(units)]);
      expect(signedOf(hw, 'acc', w), 'hardware (native sim)').to.deep.equal([BigInt(units)]);
    });
});
