// formats.md section 8 (and 5.4, 6.5, 1.1) test vectors, transcribed from the spec tables.
import { expect } from 'chai';
import {
  decode,
  dequantize,
  dotGeneral,
  dotResultToBinary32,
  encode,
  type EncodeOptions,
  getMxFormat,
  mxDot,
  type MxBlock,
  oliveDecode,
  oliveDot,
  oliveEncode,
  oliveValues,
  packCodes,
  parseBinary32,
  quantizeBlock,
  toDecimalString,
  unpackCodes,
  fromNumber,
} from '../../../src/numerics/index.js';

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;
const enc = (f: string, b: number, o: EncodeOptions = {}): number => encode(f, { binary32: b }, o);
const SAT: EncodeOptions = { overflow: 'saturate' };
const NONSAT: EncodeOptions = { overflow: 'special' };

describe('formats.md 8.2.1 binary32 → E4M3', () => {
  // [input, SAT code, NONSAT code]
  const rows: [number, number, number][] = [
    [0x3f800000, 0x38, 0x38],
    [0x3f880000, 0x38, 0x38],
    [0x3f980000, 0x3a, 0x3a],
    [0x3f880001, 0x39, 0x39],
    [0x43e00000, 0x7e, 0x7e],
    [0x43e80000, 0x7e, 0x7e],
    [0x43e80001, 0x7e, 0x7f],
    [0x7f800000, 0x7e, 0x7f],
    [0xff800000, 0xfe, 0xff],
    [0x7fc00000, 0x7f, 0x7f],
    [0x3a800000, 0x00, 0x00],
    [0x3a800001, 0x01, 0x01],
    [0x3b400000, 0x02, 0x02],
    [0x3c700000, 0x08, 0x08],
    [0x80000000, 0x80, 0x80],
    [0xc3a00000, 0xfa, 0xfa],
    [0x00000001, 0x00, 0x00],
  ];
  for (const [b, sat, nonsat] of rows)
    it(`${hex(b)} gives ${hex(sat)} (SAT) and ${hex(nonsat)} (NONSAT)`, () => {
      expect(hex(enc('fp8_e4m3', b, SAT))).to.equal(hex(sat));
      expect(hex(enc('fp8_e4m3', b, NONSAT))).to.equal(hex(nonsat));
    });
  it('refuses a conversion without an overflow policy', () => {
    expect(() => enc('fp8_e4m3', 0x3f800000)).to.throw(/overflow policy/);
  });
});

describe('formats.md 8.2.2 binary32 → E5M2', () => {
  const rows: [number, number, number][] = [
    [0x3f800000, 0x3c, 0x3c],
    [0x3f900000, 0x3c, 0x3c],
    [0x3fb00000, 0x3e, 0x3e],
    [0x42f00000, 0x58, 0x58],
    [0x47600000, 0x7b, 0x7b],
    [0x476fffff, 0x7b, 0x7b],
    [0x47700000, 0x7b, 0x7c],
    [0x7f800000, 0x7b, 0x7c],
    [0xff800000, 0xfb, 0xfc],
    [0x7fc00000, 0x7e, 0x7e],
    [0x37000000, 0x00, 0x00],
    [0x37400000, 0x01, 0x01],
    [0x38600000, 0x04, 0x04],
    [0x80000000, 0x80, 0x80],
  ];
  for (const [b, sat, nonsat] of rows)
    it(`${hex(b)} gives ${hex(sat)} (SAT) and ${hex(nonsat)} (NONSAT)`, () => {
      expect(hex(enc('fp8_e5m2', b, SAT))).to.equal(hex(sat));
      expect(hex(enc('fp8_e5m2', b, NONSAT))).to.equal(hex(nonsat));
    });
  it('-NaN keeps its sign (0xFE)', () => expect(enc('fp8_e5m2', 0xffc00000, SAT)).to.equal(0xfe));
});

describe('formats.md 8.2.3-8.2.5 binary32 → FP6 / FP4 (SAT only)', () => {
  const rows: [string, number, number][] = [
    ['fp6_e2m3', 0x3f800000, 0x08],
    ['fp6_e2m3', 0x40f00000, 0x1f],
    ['fp6_e2m3', 0x40f80000, 0x1f],
    ['fp6_e2m3', 0x41000000, 0x1f],
    ['fp6_e2m3', 0x7f800000, 0x1f],
    ['fp6_e2m3', 0x3e000000, 0x01],
    ['fp6_e2m3', 0x3d800000, 0x00],
    ['fp6_e2m3', 0x3e400000, 0x02],
    ['fp6_e2m3', 0x3f700000, 0x08],
    ['fp6_e2m3', 0xc0a40000, 0x3a],
    ['fp6_e2m3', 0x40b40000, 0x1b],
    ['fp6_e2m3', 0x40b80000, 0x1c],
    ['fp6_e2m3', 0x80000000, 0x20],
    ['fp6_e3m2', 0x3f800000, 0x0c],
    ['fp6_e3m2', 0x41e00000, 0x1f],
    ['fp6_e3m2', 0x41f00000, 0x1f],
    ['fp6_e3m2', 0x3d800000, 0x01],
    ['fp6_e3m2', 0x3d000000, 0x00],
    ['fp6_e3m2', 0x3dc00000, 0x02],
    ['fp6_e3m2', 0x3e600000, 0x04],
    ['fp6_e3m2', 0x40900000, 0x14],
    ['fp6_e3m2', 0xc1500000, 0x3a],
    ['fp6_e3m2', 0xff800000, 0x3f],
    ['fp6_e3m2', 0x80000000, 0x20],
    ['fp4_e2m1', 0x3f800000, 0x2],
    ['fp4_e2m1', 0x40c00000, 0x7],
    ['fp4_e2m1', 0x40e00000, 0x7],
    ['fp4_e2m1', 0x40a00000, 0x6],
    ['fp4_e2m1', 0x40200000, 0x4],
    ['fp4_e2m1', 0x3e800000, 0x0],
    ['fp4_e2m1', 0x3e800001, 0x1],
    ['fp4_e2m1', 0x3f400000, 0x2],
    ['fp4_e2m1', 0x3fe00000, 0x4],
    ['fp4_e2m1', 0xc0600000, 0xe],
    ['fp4_e2m1', 0x80000000, 0x8],
    ['fp4_e2m1', 0xff800000, 0xf],
  ];
  for (const [f, b, code] of rows)
    it(`${f}: ${hex(b)} gives ${hex(code)}`, () => {
      expect(hex(enc(f, b))).to.equal(hex(code));
      expect(hex(enc(f, b, SAT))).to.equal(hex(code));
    });
  for (const f of ['fp6_e2m3', 'fp6_e3m2', 'fp4_e2m1']) {
    it(`${f}: NaN input is an error`, () => expect(() => enc(f, 0x7fc00000)).to.throw(/no NaN/));
    it(`${f}: NONSAT is an error`, () =>
      expect(() => enc(f, 0x3f800000, NONSAT)).to.throw(/special/));
  }
});

describe('formats.md 8.2.6 binary32 → INT4 / INT8', () => {
  // [input, full sat, full wrap, symmetric sat] as signed values
  const int4: [number, number, number, number][] = [
    [0x40e00000, 7, 7, 7],
    [0x40f00000, 7, -8, 7],
    [0xc1000000, -8, -8, -7],
    [0x40200000, 2, 2, 2],
    [0x40600000, 4, 4, 4],
    [0xbfc00000, -2, -2, -2],
    [0xc0200000, -2, -2, -2],
    [0x41880000, 7, 1, 7],
    [0xc1500000, -8, 3, -7],
    [0x3f000000, 0, 0, 0],
    [0x7fc00000, 0, 0, 0],
  ];
  const int8: [number, number, number, number][] = [
    [0x42ff0000, 127, -128, 127],
    [0xc3000000, -128, -128, -127],
    [0xc3010000, -128, 127, -127],
    [0x43800000, 127, 0, 127],
    [0x43c80000, 127, -112, 127],
    [0xbf000000, 0, 0, 0],
    [0x3fc00000, 2, 2, 2],
    [0xff800000, -128, 0, -127],
  ];
  for (const [f, n, rows] of [
    ['int4', 4, int4],
    ['int8', 8, int8],
  ] as const)
    for (const [b, sat, wrap, sym] of rows)
      it(`${f}: ${hex(b)} gives ${sat} / ${wrap} / ${sym}`, () => {
        const code = (v: number): number => v & ((1 << n) - 1);
        expect(enc(f, b)).to.equal(code(sat));
        expect(enc(f, b, { overflow: 'wrap' })).to.equal(code(wrap));
        expect(enc(f, b, { range: 'symmetric' })).to.equal(code(sym));
      });
  it('wrap with symmetric range is an error', () =>
    expect(() => enc('int8', 0, { overflow: 'wrap', range: 'symmetric' })).to.throw(/symmetric/));
});

describe('formats.md 8.2.7 binary32 → MXINT8 element', () => {
  const rows: [number, number][] = [
    [0x3f800000, 0x40],
    [0x3fff0000, 0x7f],
    [0xbfff0000, 0x80],
    [0xc0000000, 0x80],
    [0x40000000, 0x7f],
    [0x3c000000, 0x00],
    [0x3cc00000, 0x02],
    [0x3c200000, 0x01],
    [0xbe800000, 0xf0],
    [0x3f7e0000, 0x40],
    [0x80000000, 0x00],
    [0x7f800000, 0x7f],
  ];
  for (const [b, code] of rows)
    it(`${hex(b)} gives ${hex(code)}`, () => expect(enc('mxint8_element', b)).to.equal(code));
});

describe('formats.md 8.2.8 E8M0 by the MX floor rule (rounding rtz)', () => {
  const rows: [number, number, number][] = [
    // [input, floor-rule code, ml_dtypes astype code (our rne with overflow 'special')]
    [0x3f800000, 0x7f, 0x7f],
    [0x3fc00000, 0x7f, 0x80],
    [0x3fffffff, 0x7f, 0x80],
    [0x40000000, 0x80, 0x80],
    [0x3e000000, 0x7c, 0x7c],
    [0x4b7fffff, 0x96, 0x97],
    [0x00800000, 0x01, 0x01],
    [0x00000001, 0x00, 0x00],
    [0x7f7fffff, 0xfe, 0xff],
  ];
  for (const [b, floor, ml] of rows)
    it(`${hex(b)} gives ${hex(floor)}; rne gives ${hex(ml)}`, () => {
      expect(enc('e8m0', b, { rounding: 'rtz' })).to.equal(floor);
      expect(enc('e8m0', b, { rounding: 'rne', overflow: 'special' })).to.equal(ml);
    });
});

describe('formats.md 8.3 MX block quantization (k = 32)', () => {
  const f32 = (s: string): number => parseBinary32(s);
  const B2 = ['1000', '3.0', '0xBC23D70A', '448', '-0.001', '0.0025', '500', '100'];
  const B3 = ['3.0', '-2.99', '1.0', '0.015625', '-3.0', '0.0078125', '2.9921875', '-0.5'];
  // [name, format, inputs, X, first codes, decoded values]
  const rows: [string, string, string[], number, number[], string[]][] = [
    [
      'B1',
      'mxfp4_e2m1',
      ['7.0', '0.3', '-2.5', '1.25', '5.0', '-0.0', '0.2', '6.5'],
      0x7f,
      [0x7, 0x1, 0xc, 0x2, 0x6, 0x8, 0x0, 0x7],
      ['6', '0.5', '-2', '1', '4', '-0', '0', '6'],
    ],
    [
      'B2',
      'mxfp8_e4m3',
      B2,
      0x80,
      [0x7e, 0x3c, 0x83, 0x76, 0x80, 0x01, 0x78, 0x64],
      ['896', '3', '-0.01171875', '448', '-0', '0.00390625', '512', '96'],
    ],
    [
      "B2'",
      'mxfp8_e5m2',
      B2,
      0x79,
      [0x7b, 0x5a, 0xb9, 0x77, 0xac, 0x31, 0x78, 0x6e],
      ['896', '3', '-0.009765625', '448', '-0.0009765625', '0.00244140625', '512', '96'],
    ],
    [
      'B3',
      'mxint8',
      B3,
      0x80,
      [0x60, 0xa0, 0x20, 0x00, 0xa0, 0x00, 0x60, 0xf0],
      ['3', '-3', '1', '0', '-3', '0', '3', '-0.5'],
    ],
    [
      "B3'",
      'mxfp6_e2m3',
      B3,
      0x7e,
      [0x1c, 0x3c, 0x10, 0x00, 0x3c, 0x00, 0x1c, 0x28],
      ['3', '-3', '1', '0', '-3', '0', '3', '-0.5'],
    ],
    [
      "B3''",
      'mxfp6_e3m2',
      B3,
      0x7c,
      [0x1e, 0x3e, 0x18, 0x02, 0x3e, 0x01, 0x1e, 0x34],
      ['3', '-3', '1', '0.015625', '-3', '0.0078125', '3', '-0.5'],
    ],
  ];
  for (const [name, fmt, inputs, x, codes, values] of rows)
    it(`${name}: ${fmt} gives X = ${hex(x)} and the listed codes and values`, () => {
      const blk = quantizeBlock(inputs.map(f32), fmt);
      expect(hex(blk.scale)).to.equal(hex(x));
      expect(blk.codes.slice(0, 8).map(hex)).to.deep.equal(codes.map(hex));
      expect(blk.codes.slice(8)).to.deep.equal(new Array(24).fill(0));
      expect(dequantize(blk).slice(0, 8).map(toDecimalString)).to.deep.equal(values);
    });
  it('B4: an all-zero block has X = 0x00 and signed zero codes', () => {
    const blk = quantizeBlock([0, 0x80000000], 'mxfp4_e2m1');
    expect(blk.scale).to.equal(0);
    expect(blk.codes.slice(0, 3)).to.deep.equal([0x0, 0x8, 0x0]);
  });
  it('B5: a block with +Inf has X = 0xFF, codes 0 and decodes to NaN', () => {
    const blk = quantizeBlock([0x3f800000, 0x7f800000], 'mxfp8_e4m3');
    expect(blk.scale).to.equal(0xff);
    expect(blk.codes).to.deep.equal(new Array(32).fill(0));
    expect(dequantize(blk).every((v) => v.kind === 'nan')).to.equal(true);
  });
  for (const fmt of ['mxfp4_e2m1', 'mxint8'])
    it(`B6: ${fmt} clamps the scale of a subnormal block to 0x00, elements zero`, () => {
      const blk = quantizeBlock([0x200, 0x100], fmt);
      expect(blk.scale).to.equal(0);
      expect(dequantize(blk).every((v) => toDecimalString(v) === '0')).to.equal(true);
    });
});

describe('formats.md 5.4 MX dot products', () => {
  const block = (fmt: string, scale: number, head: number[]): MxBlock => ({
    format: getMxFormat(fmt),
    scale,
    codes: [...head, ...new Array<number>(32 - head.length).fill(0)],
  });
  it('MXFP4 Dot = 78·2^-3 = 9.75 = 0x411C0000', () => {
    const r = mxDot(
      block('mxfp4_e2m1', 0x80, [0x7, 0x9, 0x3]),
      block('mxfp4_e2m1', 0x7d, [0x6, 0x5, 0xc]),
    );
    expect(r).to.deep.equal({ kind: 'finite', sum: 78n, exp: -3 });
    expect(hex(dotResultToBinary32(r))).to.equal('0x411C0000');
  });
  it('E5M2 cancellation is exactly 2^-32 (0x2F800000), blockwise fp32 gives +0', () => {
    // 0x7B = 57344, 0x01 = 2^-16, 0xFB = -57344
    const a = block('mxfp8_e5m2', 0x7f, [0x7b, 0x01, 0xfb]);
    const b = block('mxfp8_e5m2', 0x7f, [0x7b, 0x01, 0x7b]);
    const r = mxDot(a, b);
    expect(r).to.deep.equal({ kind: 'finite', sum: 1n, exp: -32 });
    expect(hex(dotResultToBinary32(r))).to.equal('0x2F800000');
    // blockwise: one block per term, so the 2^-32 term is absorbed by 3288334336
    const one = (c: number): MxBlock => block('mxfp8_e5m2', 0x7f, [c]);
    const g = dotGeneral(
      [one(0x7b), one(0x01), one(0xfb)],
      [one(0x7b), one(0x01), one(0x7b)],
      'fp32-blockwise',
    );
    expect(g.binary32).to.equal(0);
    const e = dotGeneral([one(0x7b), one(0x01), one(0xfb)], [one(0x7b), one(0x01), one(0x7b)]);
    expect(hex(e.binary32)).to.equal('0x2F800000');
  });
  it('MXINT8 with scales 0xFE and all elements 0x7F overflows binary32 to +Inf', () => {
    const a = block('mxint8', 0xfe, new Array(32).fill(0x7f));
    const r = mxDot(a, a);
    expect(r).to.deep.equal({ kind: 'finite', sum: 516128n, exp: 242 });
    expect(hex(dotResultToBinary32(r))).to.equal('0x7F800000');
  });
  it('a NaN scale gives NaN; Inf × 0 gives NaN; Inf products of one sign give Inf', () => {
    expect(mxDot(block('mxfp4_e2m1', 0xff, []), block('mxfp4_e2m1', 0x7f, [])).kind).to.equal(
      'nan',
    );
    const inf = block('mxfp8_e5m2', 0x7f, [0x7c]);
    expect(mxDot(inf, block('mxfp8_e5m2', 0x7f, [0x00])).kind).to.equal('nan');
    expect(mxDot(inf, block('mxfp8_e5m2', 0x7f, [0xbc]))).to.deep.equal({ kind: 'inf', neg: true });
  });
});

describe('formats.md 6.5 OliVe pairs (σ = 1)', () => {
  const n = (xs: number[]) => xs.map(fromNumber);
  const rows: [number[], number, string[]][] = [
    [[3.2, -50.0], 0xd8, ['0', '-48']],
    [[5.6, -2.4], 0xe6, ['6', '-2']],
    [[100.0, 20.0], 0x87, ['96', '0']],
    [[9.5, 1.0], 0x17, ['7', '1']],
    [[-13.0, 40.0], 0x48, ['0', '32']],
  ];
  for (const [xs, byte, vals] of rows)
    it(`(${xs.join(', ')}) encodes to ${hex(byte)} and decodes to ${vals.join(', ')}`, () => {
      const b = oliveEncode(n(xs), fromNumber(1));
      expect([...b].map(hex)).to.deep.equal([hex(byte)]);
      expect(oliveValues(b, fromNumber(1)).map(toDecimalString)).to.deep.equal(vals);
    });
  it('the dot product of [0xD8, 0xE6] and [0x17, 0x87] is 528', () => {
    const w = oliveDecode(Uint8Array.from([0xd8, 0xe6]));
    const a = oliveDecode(Uint8Array.from([0x17, 0x87]));
    expect(w).to.deep.equal([
      { int: 0, shift: 0 },
      { int: -3, shift: 4 },
      { int: 6, shift: 0 },
      { int: -2, shift: 0 },
    ]);
    expect(oliveDot(w, a)).to.equal(528n);
  });
});

describe('formats.md 1.1 packing', () => {
  it('FP6 codes 0x01, 0x1F, 0x20, 0x3A pack to bytes 0xC1, 0x07, 0xEA', () => {
    const bytes = packCodes([0x01, 0x1f, 0x20, 0x3a], 6);
    expect([...bytes].map(hex)).to.deep.equal(['0xC1', '0x7', '0xEA']);
    expect(unpackCodes(bytes, 6, 4)).to.deep.equal([0x01, 0x1f, 0x20, 0x3a]);
  });
  it('FP4 element 0 is the low nibble', () => {
    expect([...packCodes([0x1, 0x2, 0x3], 4)]).to.deep.equal([0x21, 0x03]);
  });
});

describe('E8M0 and element decode spot checks (8.1)', () => {
  it('E8M0 0x00 is 2^-127 and 0xFF is NaN', () => {
    expect(decode('e8m0', 0)).to.deep.equal({ kind: 'finite', neg: false, sig: 1n, exp: -127 });
    expect(decode('e8m0', 0xff).kind).to.equal('nan');
  });
});
