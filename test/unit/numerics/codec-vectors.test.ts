// Hand-derived vectors for decoding to the integer-significand and fixed forms (formats.md 2.2,
// 5.2), and for every encode policy and its misuse message (1.2, 2.3, 3.1, 3.2, 9.1). Literal
// expected values from the spec tables; operands chosen so that tie direction, the NaN code of
// each special scheme and saturation vs wrap give different codes. In-process (docs/mutation.md).
import { expect } from 'chai';
import {
  decode,
  decodeFixed,
  decodeSig,
  type EncodeInput,
  encode,
  type EncodeOptions,
  type Exact,
  floatCodeOfFixed,
  floatFields,
  getFormat,
  listMxFormats,
  FP4_E2M1,
  FP8_E5M2,
  fromInt,
  NAN,
  NEG_INF,
  NEG_ZERO,
  NumericsError,
  oliveDecode,
  oliveDecodePair,
  oliveDot,
  oliveEncode,
  oliveValues,
  POS_INF,
  POS_ZERO,
  roundToFloatGrid,
  RNE,
  toDecimalString,
} from '../../../src/numerics/index.js';

const hex = (n: number): string => `0x${n.toString(16)}`;
const half = (n: bigint): Exact => fromInt(n, -1); // n/2
const NEG_NAN: Exact = { kind: 'nan', neg: true };

describe('decode forms (formats.md 2.2, 5.2)', () => {
  it('decodeSig: floats as m or 2^M + m at max(e,1) - bias - M, specials by scheme', () => {
    const rows: [string, number, unknown][] = [
      ['fp8_e4m3', 0x01, { kind: 'finite', neg: false, sig: 1n, exp: -9 }],
      ['fp8_e4m3', 0x08, { kind: 'finite', neg: false, sig: 8n, exp: -9 }],
      ['fp8_e4m3', 0x7e, { kind: 'finite', neg: false, sig: 14n, exp: 5 }], // 448
      ['fp8_e4m3', 0xfe, { kind: 'finite', neg: true, sig: 14n, exp: 5 }],
      ['fp8_e4m3', 0x7f, { kind: 'nan' }],
      ['fp8_e4m3', 0xff, { kind: 'nan' }],
      ['fp8_e5m2', 0x7c, { kind: 'inf', neg: false }],
      ['fp8_e5m2', 0xfc, { kind: 'inf', neg: true }],
      ['fp8_e5m2', 0x7e, { kind: 'nan' }],
      ['fp8_e5m2', 0x7b, { kind: 'finite', neg: false, sig: 7n, exp: 13 }], // 57344
      ['fp4_e2m1', 0xf, { kind: 'finite', neg: true, sig: 3n, exp: 1 }], // -6
      ['fp4_e2m1', 0x1, { kind: 'finite', neg: false, sig: 1n, exp: -1 }],
      ['e8m0', 0xff, { kind: 'nan' }],
      ['e8m0', 0x7f, { kind: 'finite', neg: false, sig: 1n, exp: 0 }],
      ['e8m0', 0x00, { kind: 'finite', neg: false, sig: 1n, exp: -127 }],
      ['int8', 0x00, { kind: 'finite', neg: false, sig: 0n, exp: 0 }],
      ['bitmod_fp4_er-', 0, { kind: 'finite', neg: false, sig: 0n, exp: -1 }],
      ['int8', 0xff, { kind: 'finite', neg: true, sig: 1n, exp: 0 }],
      ['int8', 0x80, { kind: 'finite', neg: true, sig: 128n, exp: 0 }],
      ['int8', 0x7f, { kind: 'finite', neg: false, sig: 127n, exp: 0 }],
      ['uint8', 0xff, { kind: 'finite', neg: false, sig: 255n, exp: 0 }],
      ['int4', 0x8, { kind: 'finite', neg: true, sig: 8n, exp: 0 }],
      ['mxint8_element', 0xc0, { kind: 'finite', neg: true, sig: 64n, exp: -6 }],
      ['bitmod_fp4_er+', 8, { kind: 'finite', neg: false, sig: 10n, exp: -1 }],
      ['bitmod_fp4_er-', 8, { kind: 'finite', neg: true, sig: 10n, exp: -1 }],
      ['bitmod_fp4_er+', 15, { kind: 'finite', neg: true, sig: 12n, exp: -1 }],
      ['bitmod_fp3_ea+', 4, { kind: 'finite', neg: false, sig: 6n, exp: 0 }],
      ['bitmod_fp3_ea+', 7, { kind: 'finite', neg: true, sig: 4n, exp: 0 }],
    ];
    for (const [f, c, want] of rows) expect(decodeSig(f, c), `${f} ${hex(c)}`).to.deep.equal(want);
  });

  it('decodeFixed: signed integers in units of the format LSB, specials reported', () => {
    const rows: [string, number, unknown][] = [
      ['fp8_e4m3', 0x38, { kind: 'finite', sig: 512n, lsbExp: -9 }], // 1.0
      ['fp8_e4m3', 0xb8, { kind: 'finite', sig: -512n, lsbExp: -9 }],
      ['fp8_e4m3', 0x01, { kind: 'finite', sig: 1n, lsbExp: -9 }],
      ['fp8_e4m3', 0x7e, { kind: 'finite', sig: 229376n, lsbExp: -9 }], // 448 · 2^9
      ['fp8_e4m3', 0x80, { kind: 'finite', sig: 0n, lsbExp: -9 }],
      ['fp8_e4m3', 0x7f, { kind: 'nan' }],
      ['fp8_e5m2', 0xfc, { kind: 'inf', neg: true }],
      ['fp8_e5m2', 0x7d, { kind: 'nan' }],
      ['fp8_e5m2', 0x04, { kind: 'finite', sig: 4n, lsbExp: -16 }], // 2^-14
      ['e8m0', 0xff, { kind: 'nan' }],
      ['e8m0', 0x7f, { kind: 'finite', sig: 1n << 127n, lsbExp: -127 }],
      ['e8m0', 0x00, { kind: 'finite', sig: 1n, lsbExp: -127 }],
      ['int8', 0x80, { kind: 'finite', sig: -128n, lsbExp: 0 }],
      ['uint4', 0xf, { kind: 'finite', sig: 15n, lsbExp: 0 }],
      ['bitmod_fp4_er+', 8, { kind: 'finite', sig: 10n, lsbExp: -1 }],
      ['bitmod_fp4_ea-', 8, { kind: 'finite', sig: -16n, lsbExp: -1 }],
    ];
    for (const [f, c, want] of rows)
      expect(decodeFixed(f, c), `${f} ${hex(c)}`).to.deep.equal(want);
  });

  it('decode keeps the sign of NaN codes and of -0', () => {
    expect(decode('fp8_e5m2', 0xfe)).to.deep.equal(NEG_NAN);
    expect(decode('fp8_e5m2', 0x7e)).to.deep.equal(NAN);
    expect(decode('fp8_e4m3', 0xff)).to.deep.equal(NEG_NAN);
    expect(decode('fp8_e4m3', 0x80)).to.deep.equal(NEG_ZERO);
    expect(decode('fp8_e5m2', 0xfc)).to.deep.equal(NEG_INF);
    expect(decode('e8m0', 0xff)).to.deep.equal(NAN);
    expect(decode('e8m0', 0xfe)).to.deep.equal(fromInt(1n, 127));
    expect(decode('bitmod_fp3_er-', 4)).to.deep.equal(fromInt(-3n));
  });

  it('floatFields splits sign, exponent and mantissa', () => {
    expect(floatFields(FP8_E5M2, 0xfd)).to.deep.equal({ neg: true, e: 31, m: 1 });
    expect(floatFields(FP4_E2M1, 0x6)).to.deep.equal({ neg: false, e: 3, m: 0 });
  });

  it('a code outside the format is refused with its range', () => {
    const rows: [string, number, string][] = [
      ['fp8_e4m3', 256, 'code 256 is out of range for fp8_e4m3: use an integer in 0..0xFF'],
      ['fp4_e2m1', 16, 'code 16 is out of range for fp4_e2m1: use an integer in 0..0xF'],
      ['int4', -1, 'code -1 is out of range for int4'],
      ['int4', 1.5, 'code 1.5 is out of range for int4'],
      ['uint2', 4, 'use an integer in 0..0x3'],
    ];
    for (const [f, c, msg] of rows) {
      expect(() => decode(f, c)).to.throw(NumericsError, msg);
      expect(() => decodeSig(f, c)).to.throw(NumericsError, msg);
      expect(() => decodeFixed(f, c)).to.throw(NumericsError, msg);
    }
    expect(() => decode('fp8_e4m3', 255)).not.to.throw();
  });
});

describe('encode policies (formats.md 1.2, 2.3, 3.1, 3.2, 9.1)', () => {
  const SAT: EncodeOptions = { overflow: 'saturate' };
  const SPECIAL: EncodeOptions = { overflow: 'special' };
  const WRAP: EncodeOptions = { overflow: 'wrap' };
  const SYM: EncodeOptions = { range: 'symmetric' };
  const RTZ: EncodeOptions = { rounding: 'rtz' };
  const RNA: EncodeOptions = { rounding: 'rna' };
  const enc = (f: string, x: EncodeInput, o: EncodeOptions = {}): string => hex(encode(f, x, o));

  it('floats: NaN codes per scheme, Inf by policy, overflow past the max', () => {
    expect(enc('fp8_e4m3', NAN, SAT)).to.equal('0x7f');
    expect(enc('fp8_e4m3', NEG_NAN, SPECIAL)).to.equal('0xff');
    expect(enc('fp8_e5m2', NAN, SAT)).to.equal('0x7e');
    expect(enc('fp8_e5m2', NEG_NAN, SAT)).to.equal('0xfe');
    expect(enc('fp8_e5m2', POS_INF, SPECIAL)).to.equal('0x7c');
    expect(enc('fp8_e5m2', NEG_INF, SPECIAL)).to.equal('0xfc');
    expect(enc('fp8_e5m2', POS_INF, SAT)).to.equal('0x7b');
    expect(enc('fp8_e5m2', NEG_INF, SAT)).to.equal('0xfb');
    expect(enc('fp8_e4m3', POS_INF, SPECIAL)).to.equal('0x7f');
    expect(enc('fp8_e4m3', NEG_INF, SPECIAL)).to.equal('0xff');
    expect(enc('fp8_e4m3', NEG_INF, SAT)).to.equal('0xfe');
    expect(enc('fp8_e5m2', fromInt(1n, 16), SPECIAL)).to.equal('0x7c');
    expect(enc('fp8_e5m2', fromInt(-1n, 16), SAT)).to.equal('0xfb');
    // 61440 = 15·2^12 is halfway between 57344 (m = 3, odd) and 2^16: RNE and RNA overflow
    expect(enc('fp8_e5m2', fromInt(15n, 12), SPECIAL)).to.equal('0x7c');
    expect(enc('fp8_e5m2', fromInt(15n, 12), { ...SPECIAL, ...RNA })).to.equal('0x7c');
    expect(enc('fp8_e5m2', fromInt(15n, 12), { ...SPECIAL, ...RTZ })).to.equal('0x7b');
    expect(enc('fp8_e4m3', { binary64: 0x3ff0000000000000n }, SAT)).to.equal('0x38');
    expect(enc('fp8_e4m3', NEG_ZERO, SAT)).to.equal('0x80');
    expect(enc('fp6_e2m3', fromInt(8n))).to.equal('0x1f'); // max 7.5
    expect(enc('fp6_e3m2', fromInt(-29n))).to.equal('0x3f'); // max 28
  });

  it('FP4 E2M1 ties: 5 → 4 (RNE) or 6 (RNA), 2.5 → 2, ±0.25 → ±0, 0.75 → 1', () => {
    expect(enc('fp4_e2m1', fromInt(5n))).to.equal('0x6');
    expect(enc('fp4_e2m1', fromInt(5n), RNA)).to.equal('0x7');
    expect(enc('fp4_e2m1', half(5n))).to.equal('0x4');
    expect(enc('fp4_e2m1', fromInt(1n, -2))).to.equal('0x0');
    expect(enc('fp4_e2m1', fromInt(-1n, -2))).to.equal('0x8');
    expect(enc('fp4_e2m1', fromInt(3n, -2))).to.equal('0x2');
    expect(enc('fp4_e2m1', fromInt(7n), RTZ)).to.equal('0x7');
  });

  it('roundToFloatGrid / floatCodeOfFixed in units of 2^lsbExp', () => {
    expect(roundToFloatGrid(FP4_E2M1, fromInt(7n) as never, RNE)).to.equal(undefined); // 3.5 → 4
    expect(roundToFloatGrid(FP4_E2M1, half(13n) as never, RNE)).to.equal(12n); // 6.5 → 6
    expect(roundToFloatGrid(FP4_E2M1, fromInt(1n, 3) as never, RNE)).to.equal(undefined);
    expect(roundToFloatGrid(FP4_E2M1, fromInt(3n, -2) as never, RNE)).to.equal(2n); // 0.75 → 1
    expect(floatCodeOfFixed(FP4_E2M1, true, 12n)).to.equal(0xf);
    expect(floatCodeOfFixed(FP4_E2M1, false, 1n)).to.equal(0x1);
    expect(floatCodeOfFixed(FP4_E2M1, false, 2n)).to.equal(0x2);
    expect(floatCodeOfFixed(FP8_E5M2, true, 7n << 29n)).to.equal(0xfb);
  });

  it('integers: saturate, wrap, symmetric range, specials', () => {
    expect(enc('int4', half(15n))).to.equal('0x7'); // 7.5 → 8 → 7
    expect(enc('int4', half(15n), WRAP)).to.equal('0x8'); // 8 wraps to -8
    expect(enc('int4', half(-17n), SYM)).to.equal('0x9'); // -8.5 → -8 → -7
    expect(enc('int4', half(-17n))).to.equal('0x8');
    expect(enc('int4', POS_INF)).to.equal('0x7');
    expect(enc('int4', NEG_INF)).to.equal('0x8');
    expect(enc('int4', NEG_INF, SYM)).to.equal('0x9');
    expect(enc('int4', POS_INF, WRAP)).to.equal('0x0');
    expect(enc('int4', NAN)).to.equal('0x0');
    expect(enc('uint4', fromInt(-3n))).to.equal('0x0');
    expect(enc('uint4', fromInt(17n))).to.equal('0xf');
    expect(enc('uint4', fromInt(17n), WRAP)).to.equal('0x1');
    expect(enc('int8', fromInt(200n), WRAP)).to.equal('0xc8');
    expect(enc('int8', fromInt(-200n), WRAP)).to.equal('0x38');
    expect(enc('mxint8_element', fromInt(1n))).to.equal('0x40');
    expect(enc('mxint8_element', fromInt(-2n))).to.equal('0x80');
    expect(enc('mxint8_element', fromInt(-2n), SYM)).to.equal('0x81');
    expect(enc('int4', half(5n))).to.equal('0x2');
    expect(enc('int4', half(7n))).to.equal('0x4');
    expect(enc('int4', half(5n), RNA)).to.equal('0x3');
    expect(enc('int4', half(-5n), RTZ)).to.equal('0xe'); // -2
    expect(enc('int4', NEG_ZERO)).to.equal('0x0');
  });

  it('e8m0: round the significand to 0 mantissa bits; clamp below, overflow above', () => {
    expect(enc('e8m0', fromInt(1n))).to.equal('0x7f');
    expect(enc('e8m0', fromInt(3n))).to.equal('0x81'); // 1.5·2^1: tie → 2^2
    expect(enc('e8m0', fromInt(3n), RTZ)).to.equal('0x80');
    expect(enc('e8m0', fromInt(5n))).to.equal('0x81'); // 1.25·2^2 → 2^2
    expect(enc('e8m0', fromInt(7n))).to.equal('0x82'); // 1.75·2^2 → 2^3
    expect(enc('e8m0', fromInt(6n))).to.equal('0x82');
    expect(enc('e8m0', fromInt(6n), RTZ)).to.equal('0x81');
    expect(enc('e8m0', fromInt(1n, 127))).to.equal('0xfe');
    expect(enc('e8m0', fromInt(1n, 127), SPECIAL)).to.equal('0xfe'); // 2^127 is finite, not over
    expect(enc('e8m0', fromInt(3n, 126))).to.equal('0xfe'); // 2^128: over (default 0xFE)
    expect(enc('e8m0', fromInt(3n, 126), SPECIAL)).to.equal('0xff');
    expect(enc('e8m0', fromInt(3n, 126), RTZ)).to.equal('0xfe');
    expect(enc('e8m0', fromInt(1n, -127))).to.equal('0x0');
    expect(enc('e8m0', fromInt(1n, -130))).to.equal('0x0');
    expect(enc('e8m0', POS_INF)).to.equal('0xfe');
    expect(enc('e8m0', POS_INF, SPECIAL)).to.equal('0xff');
    expect(enc('e8m0', NAN)).to.equal('0xff');
  });

  it('BitMoD grids: nearest value, ties to the smaller magnitude, ±Inf to the extremes', () => {
    // FP4 ER+ codes 0..15 in units of 0.5: 0 1 2 3 4 6 8 12 10 -1 -2 -3 -4 -6 -8 -12
    expect(encode('bitmod_fp4_er+', fromInt(5n))).to.equal(8);
    expect(encode('bitmod_fp4_er+', half(9n))).to.equal(6); // 4.5: 4 or 5 → 4
    expect(encode('bitmod_fp4_er+', half(11n))).to.equal(8); // 5.5: 5 or 6 → 5
    expect(encode('bitmod_fp4_er+', fromInt(7n))).to.equal(7); // saturates at 6
    expect(encode('bitmod_fp4_er+', fromInt(1n, -2))).to.equal(0);
    expect(encode('bitmod_fp4_er+', fromInt(-1n, -2))).to.equal(0);
    expect(encode('bitmod_fp4_er+', half(-5n))).to.equal(12); // -2.5: -2 or -3 → -2
    expect(encode('bitmod_fp4_er+', POS_INF)).to.equal(7);
    expect(encode('bitmod_fp4_er+', NEG_INF)).to.equal(15);
    expect(encode('bitmod_fp4_er-', fromInt(5n))).to.equal(6); // 5: 4 or 6 → 4
    expect(encode('bitmod_fp4_er-', half(-9n))).to.equal(14); // -4.5: -4 or -5 → -4
    expect(encode('bitmod_fp4_ea+', POS_INF)).to.equal(8); // +8
    expect(encode('bitmod_fp4_ea-', NEG_INF)).to.equal(8); // -8
    expect(encode('bitmod_fp4_ea-', POS_INF)).to.equal(7);
    expect(encode('bitmod_fp4_er+', fromInt(5n), SAT)).to.equal(8);
  });

  it('each misuse is one NumericsError naming the policy and the format', () => {
    const one = fromInt(1n);
    const rows: [string, EncodeInput, EncodeOptions, string][] = [
      [
        'fp8_e4m3',
        one,
        { overflow: 'bogus' as never },
        "overflow 'bogus' is unknown; use saturate, special or wrap",
      ],
      ['int8', one, { range: 'wide' as never }, "range 'wide' is unknown; use full or symmetric"],
      [
        'fp8_e4m3',
        one,
        { ...SAT, ...SYM },
        "range 'symmetric' applies to signed integers only, not fp8_e4m3",
      ],
      ['uint8', one, SYM, "range 'symmetric' applies to signed integers only, not uint8"],
      [
        'fp8_e4m3',
        one,
        {},
        "fp8_e4m3 conversion needs an overflow policy: pass overflow 'saturate' (OCP SAT) or 'special' (OCP NONSAT)",
      ],
      ['fp8_e5m2', one, WRAP, "overflow 'wrap' applies to integers only, not fp8_e5m2"],
      [
        'fp6_e2m3',
        one,
        SPECIAL,
        "fp6_e2m3 has no Inf or NaN, so overflow 'special' (NONSAT) is impossible: use 'saturate'",
      ],
      [
        'fp4_e2m1',
        NAN,
        {},
        'fp4_e2m1 has no NaN encoding: remove NaN inputs (MX quantization handles them per block)',
      ],
      ['int8', one, SPECIAL, "int8 has no special values: use overflow 'saturate' or 'wrap'"],
      [
        'int8',
        one,
        { ...SYM, ...WRAP },
        "overflow 'wrap' cannot be combined with range 'symmetric': no 2^n-periodic map exists",
      ],
      ['e8m0', one, WRAP, "overflow 'wrap' applies to integers only, not e8m0"],
      ['e8m0', NEG_ZERO, {}, 'e8m0 has no zero or negative values; got a zero or negative input'],
      ['e8m0', fromInt(-1n), {}, 'e8m0 has no zero or negative values; got a zero or negative'],
      ['e8m0', POS_ZERO, {}, 'e8m0 has no zero or negative values; got a zero or negative input'],
      ['e8m0', NEG_INF, {}, 'e8m0 has no zero or negative values; got -Inf'],
      [
        'bitmod_fp4_er+',
        one,
        RTZ,
        "bitmod_fp4_er+ rounds to the nearest value (ties to the smaller magnitude); rounding 'rtz' is not supported",
      ],
      [
        'bitmod_fp3_er+',
        one,
        SPECIAL,
        "bitmod_fp3_er+ saturates; overflow 'special' is not supported",
      ],
      ['bitmod_fp4_er-', NAN, {}, 'bitmod_fp4_er- has no NaN encoding: remove NaN inputs'],
    ];
    for (const [f, x, o, msg] of rows)
      expect(() => encode(f, x, o), `${f} ${JSON.stringify(o)}`).to.throw(NumericsError, msg);
    expect(() => encode('e8m0', fromInt(1n, -1))).not.to.throw();
  });
});

describe('NumericsError (errors.ts)', () => {
  it('is a named config error whose CLI line is error[config]: <message>', () => {
    const e = new NumericsError('bad width');
    expect(e).to.be.instanceOf(Error);
    expect([e.name, e.kind, e.message, e.format()]).to.deep.equal([
      'NumericsError',
      'config',
      'bad width',
      'error[config]: bad width',
    ]);
    expect(() => encode('int4', NAN, { overflow: 'special' }))
      .to.throw(NumericsError)
      .with.property('kind', 'config');
  });
});

describe('OliVe pair decoding and misuse (formats.md 6.3, 6.6)', () => {
  it('identifier pairs: both victims, an outlier on either side, or two normals', () => {
    expect(oliveDecodePair('olive4', 8, 8)).to.deep.equal([
      { int: 0, shift: 0 },
      { int: 0, shift: 0 },
    ]);
    // 0xF after the identifier: abfloat E = 3, m = 1, negative: -(2 + 1) << 5 = -96
    expect(oliveDecodePair('olive4', 8, 0xf)).to.deep.equal([
      { int: 0, shift: 0 },
      { int: -3, shift: 5 },
    ]);
    expect(oliveDecodePair('olive4', 7, 8)).to.deep.equal([
      { int: 3, shift: 5 },
      { int: 0, shift: 0 },
    ]);
    expect(oliveDecodePair('olive4', 9, 7)).to.deep.equal([
      { int: -7, shift: 0 },
      { int: 7, shift: 0 },
    ]);
    // olive8 0x7F after 0x80: E = 3, m = 31: (32 + 31) << 5 = 2016
    expect(oliveDecodePair('olive8', 0x80, 0x7f)).to.deep.equal([
      { int: 0, shift: 0 },
      { int: 63, shift: 5 },
    ]);
    expect(oliveDecodePair('olive8', 0x81, 0x80)).to.deep.equal([
      { int: -33, shift: 2 },
      { int: 0, shift: 0 },
    ]);
  });
  it('streams: olive4 low nibble first, olive8 byte pairs; σ scales the values', () => {
    expect(oliveDecode(Uint8Array.from([0x87, 0x79]))).to.deep.equal([
      { int: 3, shift: 5 },
      { int: 0, shift: 0 },
      { int: -7, shift: 0 },
      { int: 7, shift: 0 },
    ]);
    expect(
      oliveValues(Uint8Array.from([0x87]), fromInt(1n, -1)).map(toDecimalString),
    ).to.deep.equal(['48', '0']);
    expect(
      oliveDot(oliveDecode(Uint8Array.from([0x87])), oliveDecode(Uint8Array.from([0x87]))),
    ).to.equal(9216n);
  });
  it('each misuse is one NumericsError naming the fault', () => {
    const rows: [() => unknown, string][] = [
      [
        () => oliveEncode([fromInt(1n)], fromInt(1n), 'olive5' as never),
        "unknown OliVe variant 'olive5'; use olive4 or olive8",
      ],
      [
        () => oliveEncode([fromInt(1n)], fromInt(0n)),
        'OliVe scale σ = 0 must be positive and finite: pass σ > 0',
      ],
      [() => oliveEncode([fromInt(1n)], fromInt(-1n)), 'OliVe scale σ = -1 must be positive'],
      [() => oliveEncode([fromInt(1n)], POS_INF), 'OliVe scale σ = Inf must be positive'],
      [() => oliveValues(Uint8Array.from([0]), fromInt(0n)), 'OliVe scale σ = 0'],
      [
        () => oliveEncode([fromInt(1n), NAN], fromInt(1n)),
        'OliVe input 1 is NaN: only finite values can be encoded',
      ],
      [() => oliveEncode([NEG_INF], fromInt(1n)), 'OliVe input 0 is Inf: only finite'],
      [() => oliveDecodePair('olive4', 16, 0), 'OliVe olive4 code 16 is out of range 0..15'],
      [() => oliveDecodePair('olive4', 0, -1), 'OliVe olive4 code -1 is out of range 0..15'],
      [() => oliveDecodePair('olive8', 0, 256), 'OliVe olive8 code 256 is out of range 0..255'],
      [() => oliveDecodePair('olive8', 1.5, 0), 'OliVe olive8 code 1.5 is out of range'],
      [
        () => oliveDecode(Uint8Array.from([1, 2, 3]), 'olive8'),
        'olive8 data must hold whole pairs (an even number of bytes)',
      ],
      [
        () => oliveDot([{ int: 1, shift: 0 }], []),
        'oliveDot needs equally long inputs; got 1 and 0',
      ],
    ];
    for (const [f, msg] of rows) expect(f).to.throw(NumericsError, msg);
  });
});

describe('format lookups (formats.ts, mx-formats.ts)', () => {
  it('aliases resolve to the OCP names; an unknown name lists the known ones', () => {
    expect(getFormat('e4m3').name).to.equal('fp8_e4m3');
    expect(getFormat('float8_e8m0fnu').name).to.equal('e8m0');
    expect(getFormat('float4_e2m1fn').name).to.equal('fp4_e2m1');
    expect(() => getFormat('fp9')).to.throw(
      NumericsError,
      "unknown format 'fp9'; known formats: int2, int3, int4, int5, int6, int7, int8, uint2,",
    );
  });
  it('MX formats: emax of the element, mantissa bits for the even policy, k = 32', () => {
    expect(listMxFormats().map((f) => [f.name, f.emaxElem, f.manBits, f.blockSize])).to.deep.equal([
      ['mxint8', 0, 6, 32],
      ['mxfp8_e4m3', 8, 3, 32],
      ['mxfp8_e5m2', 15, 2, 32],
      ['mxfp6_e2m3', 2, 3, 32],
      ['mxfp6_e3m2', 4, 2, 32],
      ['mxfp4_e2m1', 2, 1, 32],
    ]);
  });
  it('OliVe normals tie to the even integer: 2.5σ → 2, 3.5σ → 4 (6.4)', () => {
    expect([...oliveEncode([half(5n), half(7n)], fromInt(1n))]).to.deep.equal([0x42]);
    expect([...oliveEncode([half(-5n), half(-7n)], fromInt(1n))]).to.deep.equal([0xce]);
  });
});
