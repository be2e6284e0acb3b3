// Hand-derived vectors for the exact-value core (exact.ts), the bit-pattern rounding of
// formats.md section 7 (rounding.ts) and IEEE binary32/binary64 conversion (binary.ts). Every
// expected value is a literal worked out from the definitions, with operands chosen so that the
// plausible confusions (tie direction, floor vs truncation, off-by-one exponents, sign of zero,
// a missing special case) give a different answer. These run in-process, so StrykerJS can see
// them (docs/mutation.md).
import { expect } from 'chai';
import {
  abs,
  add,
  binary32BitsOfNumber,
  binary32ToNumber,
  checkRounding,
  compare,
  compareMag,
  ctz,
  type Exact,
  exactNumber,
  finite,
  fitSigned,
  fromBinary32Bits,
  fromBinary64Bits,
  fromInt,
  fromNumber,
  ilog2,
  isFinite,
  isNaN,
  isZero,
  msb,
  mul,
  NAN,
  neg,
  NEG_INF,
  NEG_ZERO,
  NumericsError,
  parseBinary32,
  POS_INF,
  POS_ZERO,
  roundMag,
  roundShiftSigned,
  same,
  scale2,
  signedSigAt,
  stickyQuotient,
  sub,
  toBinary32Bits,
  toDecimalString,
  toDyadicString,
} from '../../../src/numerics/index.js';

const F = (neg: boolean, sig: bigint, exp: number): Exact => ({ kind: 'finite', neg, sig, exp });
const NEG_NAN: Exact = { kind: 'nan', neg: true };
const hex = (n: number): string => `0x${n.toString(16)}`;

describe('exact values (exact.ts)', () => {
  it('msb: 1 → 0, 0x10 → 4, 0xff → 7, 0x100 → 8, 0x1234 → 12, 2^64 → 64', () => {
    expect([1n, 0x10n, 0xffn, 0x100n, 0x1234n, 1n << 64n].map(msb)).to.deep.equal([
      0, 4, 7, 8, 12, 64,
    ]);
  });
  it('msb refuses 0 and negatives', () => {
    expect(() => msb(0n)).to.throw(RangeError, 'msb of non-positive 0');
    expect(() => msb(-4n)).to.throw(RangeError, 'msb of non-positive -4');
  });
  it('ctz: 1 → 0, 8 → 3, 2^32 → 32, 3·2^33 → 33, 2^40 → 40, 5·2^64 → 64', () => {
    expect([1n, 8n, 1n << 32n, 3n << 33n, 1n << 40n, 5n << 64n].map(ctz)).to.deep.equal([
      0, 3, 32, 33, 40, 64,
    ]);
  });
  it('finite normalizes: odd significand, sign of a negative significand flips neg', () => {
    expect(finite(false, 12n, -3)).to.deep.equal(F(false, 3n, -1));
    expect(finite(false, -6n, 1)).to.deep.equal(F(true, 3n, 2));
    expect(finite(true, -6n, 1)).to.deep.equal(F(false, 3n, 2));
    expect(finite(true, 0n, 5)).to.equal(NEG_ZERO);
    expect(finite(false, 0n, 5)).to.equal(POS_ZERO);
    expect(finite(false, -0n, 5)).to.equal(POS_ZERO);
    expect(NEG_ZERO).to.deep.equal(F(true, 0n, 0));
    expect(POS_ZERO).to.deep.equal(F(false, 0n, 0));
  });
  it('fromInt: -40 = -5·2^3, 0 = +0, 3·2^2, default exponent 0', () => {
    expect(fromInt(-40n)).to.deep.equal(F(true, 5n, 3));
    expect(fromInt(0n)).to.equal(POS_ZERO);
    expect(fromInt(3n, 2)).to.deep.equal(F(false, 3n, 2));
    expect(fromInt(5n)).to.deep.equal(F(false, 5n, 0));
  });
  it('predicates and sign operations', () => {
    expect([isNaN(NAN), isNaN(POS_INF), isNaN(POS_ZERO)]).to.deep.equal([true, false, false]);
    expect([
      isZero(NEG_ZERO),
      isZero(POS_ZERO),
      isZero(fromInt(1n)),
      isZero(POS_INF),
    ]).to.deep.equal([true, true, false, false]);
    expect([isFinite(POS_ZERO), isFinite(POS_INF), isFinite(NAN)]).to.deep.equal([
      true,
      false,
      false,
    ]);
    expect(neg(NAN)).to.deep.equal(NEG_NAN);
    expect(neg(POS_ZERO)).to.deep.equal(NEG_ZERO);
    expect(neg(fromInt(-3n))).to.deep.equal(F(false, 3n, 0));
    expect(abs(fromInt(-3n, -1))).to.deep.equal(F(false, 3n, -1));
    expect(abs(NEG_INF)).to.deep.equal(POS_INF);
    expect(abs(fromInt(3n))).to.deep.equal(F(false, 3n, 0));
  });
  it('signedSigAt aligns down only; a zero aligns anywhere', () => {
    expect(signedSigAt(F(true, 3n, 2) as never, 0)).to.equal(-12n);
    expect(signedSigAt(F(false, 3n, 2) as never, 2)).to.equal(3n);
    expect(signedSigAt(F(false, 3n, 2) as never, -1)).to.equal(24n);
    expect(() => signedSigAt(F(false, 3n, 2) as never, 3)).to.throw(
      RangeError,
      'cannot align 2 to 3',
    );
    expect(signedSigAt(POS_ZERO, 5)).to.equal(0n);
    expect(signedSigAt(NEG_ZERO, -3)).to.equal(0n);
  });

  describe('add / sub', () => {
    const rows: [string, Exact, Exact, Exact][] = [
      ['NaN + 1', NAN, fromInt(1n), NAN],
      ['1 + NaN', fromInt(1n), NAN, NAN],
      ['NaN + Inf', NAN, POS_INF, NAN],
      ['Inf + -Inf', POS_INF, NEG_INF, NAN],
      ['-Inf + Inf', NEG_INF, POS_INF, NAN],
      ['Inf + Inf', POS_INF, POS_INF, POS_INF],
      ['-Inf + -Inf', NEG_INF, NEG_INF, NEG_INF],
      ['-Inf + 1', NEG_INF, fromInt(1n), NEG_INF],
      ['1 + -Inf', fromInt(1n), NEG_INF, NEG_INF],
      ['-0 + -0', NEG_ZERO, NEG_ZERO, NEG_ZERO],
      ['-0 + +0', NEG_ZERO, POS_ZERO, POS_ZERO],
      ['+0 + -0', POS_ZERO, NEG_ZERO, POS_ZERO],
      ['+0 + -3', POS_ZERO, fromInt(-3n), F(true, 3n, 0)],
      ['-0 + 3·2^-2', NEG_ZERO, fromInt(3n, -2), F(false, 3n, -2)],
      ['-3·2^4 + +0', fromInt(-3n, 4), POS_ZERO, F(true, 3n, 4)],
      ['1.5 + 20 = 43·2^-1', fromInt(3n, -1), fromInt(5n, 2), F(false, 43n, -1)],
      ['20 + 1.5 = 43·2^-1', fromInt(5n, 2), fromInt(3n, -1), F(false, 43n, -1)],
      ['3 + -3 = +0', fromInt(3n), fromInt(-3n), POS_ZERO],
      ['-3 + 3 = +0', fromInt(-3n), fromInt(3n), POS_ZERO],
      ['1.5 + -0.5 = 1', fromInt(3n, -1), fromInt(-1n, -1), F(false, 1n, 0)],
      ['-1.5 + 0.25 = -5·2^-2', fromInt(-3n, -1), fromInt(1n, -2), F(true, 5n, -2)],
    ];
    for (const [name, a, b, want] of rows) it(name, () => expect(add(a, b)).to.deep.equal(want));
    it('sub: 5 - 7 = -2; +0 - +0 = +0; -0 - +0 = -0; Inf - Inf = NaN', () => {
      expect(sub(fromInt(5n), fromInt(7n))).to.deep.equal(F(true, 1n, 1));
      expect(sub(POS_ZERO, POS_ZERO)).to.deep.equal(POS_ZERO);
      expect(sub(NEG_ZERO, POS_ZERO)).to.deep.equal(NEG_ZERO);
      expect(sub(POS_INF, POS_INF)).to.deep.equal(NAN);
    });
  });

  describe('mul', () => {
    const rows: [string, Exact, Exact, Exact][] = [
      ['NaN · 0', NAN, POS_ZERO, NAN],
      ['Inf · NaN', POS_INF, NAN, NAN],
      ['Inf · 0', POS_INF, POS_ZERO, NAN],
      ['-0 · -Inf', NEG_ZERO, NEG_INF, NAN],
      ['-Inf · 3', NEG_INF, fromInt(3n), NEG_INF],
      ['3 · -Inf', fromInt(3n), NEG_INF, NEG_INF],
      ['-Inf · -3', NEG_INF, fromInt(-3n), POS_INF],
      ['Inf · Inf', POS_INF, POS_INF, POS_INF],
      ['-0 · 5', NEG_ZERO, fromInt(5n), NEG_ZERO],
      ['5 · -0', fromInt(5n), NEG_ZERO, NEG_ZERO],
      ['0 · -5', POS_ZERO, fromInt(-5n), NEG_ZERO],
      ['-0 · -0', NEG_ZERO, NEG_ZERO, POS_ZERO],
      // a zero product is the canonical ±0 (exponent 0), whatever the other factor's exponent
      ['-0 · 3·2^4 = -0', NEG_ZERO, fromInt(3n, 4), NEG_ZERO],
      ['3·2^-2 · +0 = +0', fromInt(3n, -2), POS_ZERO, POS_ZERO],
      ['3·2^1 · -5·2^-3 = -15·2^-2', fromInt(3n, 1), fromInt(-5n, -3), F(true, 15n, -2)],
      ['-3 · -3 = 9', fromInt(-3n), fromInt(-3n), F(false, 9n, 0)],
    ];
    for (const [name, a, b, want] of rows) it(name, () => expect(mul(a, b)).to.deep.equal(want));
  });

  it('scale2 moves the exponent of nonzero finite values only', () => {
    expect(scale2(fromInt(3n), -4)).to.deep.equal(F(false, 3n, -4));
    expect(scale2(fromInt(-3n, 2), 3)).to.deep.equal(F(true, 3n, 5));
    expect(scale2(POS_ZERO, 5)).to.deep.equal(POS_ZERO);
    expect(scale2(NEG_INF, 3)).to.deep.equal(NEG_INF);
    expect(scale2(NAN, 1)).to.deep.equal(NAN);
  });

  describe('compare', () => {
    const big = fromInt(1n, 100);
    const rows: [string, Exact, Exact, -1 | 0 | 1 | undefined][] = [
      ['NaN ? 1', NAN, fromInt(1n), undefined],
      ['1 ? NaN', fromInt(1n), NAN, undefined],
      ['-Inf < -2^100', NEG_INF, neg(big), -1],
      ['Inf > 2^100', POS_INF, big, 1],
      ['2^100 < Inf', big, POS_INF, -1],
      ['-1 < +0', fromInt(-1n), POS_ZERO, -1],
      ['+0 = -0', POS_ZERO, NEG_ZERO, 0],
      ['-0 < 1', NEG_ZERO, fromInt(1n), -1],
      ['Inf = Inf', POS_INF, POS_INF, 0],
      ['-Inf = -Inf', NEG_INF, NEG_INF, 0],
      ['-Inf < Inf', NEG_INF, POS_INF, -1],
      ['3 < 5', fromInt(3n), fromInt(5n), -1],
      ['5 > 3', fromInt(5n), fromInt(3n), 1],
      ['-3 > -5', fromInt(-3n), fromInt(-5n), 1],
      ['-5 < -3', fromInt(-5n), fromInt(-3n), -1],
      ['1.5 = 3·2^-1', fromInt(3n, -1), F(false, 3n, -1), 0],
      ['1.5 > 1', fromInt(3n, -1), fromInt(1n), 1],
      ['2^10 > 1023', fromInt(1n, 10), fromInt(1023n), 1],
      ['1023 < 2^10', fromInt(1023n), fromInt(1n, 10), -1],
      ['-2^10 < -1023', fromInt(-1n, 10), fromInt(-1023n), -1],
    ];
    for (const [name, a, b, want] of rows) it(name, () => expect(compare(a, b)).to.equal(want));
    it('compareMag ignores signs', () => {
      expect(compareMag(fromInt(-5n), fromInt(3n))).to.equal(1);
      expect(compareMag(fromInt(-3n), fromInt(3n))).to.equal(0);
      expect(compareMag(fromInt(2n), fromInt(-3n))).to.equal(-1);
    });
  });

  it('same: value and zero sign, every NaN equal to every NaN', () => {
    const rows: [Exact, Exact, boolean][] = [
      [NAN, NEG_NAN, true],
      [NAN, POS_INF, false],
      [POS_INF, NAN, false],
      [POS_INF, NEG_INF, false],
      [NEG_INF, NEG_INF, true],
      [POS_ZERO, NEG_ZERO, false],
      [POS_ZERO, NAN, false],
      [fromInt(3n, -1), F(false, 3n, -1), true],
      [fromInt(3n), fromInt(3n, 1), false],
      [fromInt(3n), fromInt(-3n), false],
      [fromInt(3n), fromInt(5n), false],
    ];
    expect(rows.map(([a, b]) => same(a, b))).to.deep.equal(rows.map((r) => r[2]));
  });

  it('ilog2: 3·2^-4 → -3, 2^5 → 5, -7·2^1 → 3', () => {
    expect(ilog2(F(false, 3n, -4) as never)).to.equal(-3);
    expect(ilog2(F(false, 1n, 5) as never)).to.equal(5);
    expect(ilog2(F(true, 7n, 1) as never)).to.equal(3);
  });

  it('toDecimalString: exact decimals, signed zeros and specials', () => {
    const rows: [Exact, string][] = [
      [NAN, 'NaN'],
      [POS_INF, 'Inf'],
      [NEG_INF, '-Inf'],
      [NEG_ZERO, '-0'],
      [POS_ZERO, '0'],
      [fromInt(7n), '7'],
      [fromInt(3n, 4), '48'],
      [fromInt(-3n, 4), '-48'],
      [fromInt(1n, -9), '0.001953125'],
      [fromInt(3n, -1), '1.5'],
      [fromInt(-5n, -3), '-0.625'],
      [fromInt(1025n, -1), '512.5'],
      // not normalized (a caller's hand-built value): trailing zeros are dropped
      [F(false, 4n, -2), '1'],
      [F(true, 6n, -2), '-1.5'],
    ];
    expect(rows.map(([x]) => toDecimalString(x))).to.deep.equal(rows.map((r) => r[1]));
  });

  it('toDyadicString: n·2^k, specials and zeros as decimal text', () => {
    expect(toDyadicString(fromInt(-3n, -4))).to.equal('-3·2^-4');
    expect(toDyadicString(fromInt(5n))).to.equal('5·2^0');
    expect(toDyadicString(POS_INF)).to.equal('Inf');
    expect(toDyadicString(NAN)).to.equal('NaN');
    expect(toDyadicString(NEG_ZERO)).to.equal('-0');
  });
});

describe('rounding (formats.md section 7, rounding.ts)', () => {
  const bad = (f: () => void, msg: string): Chai.Assertion =>
    expect(f).to.throw(NumericsError, msg);
  it('checkRounding accepts the four modes with their arguments', () => {
    expect(() => checkRounding({ mode: 'rne' })).not.to.throw();
    expect(() => checkRounding({ mode: 'rtz' })).not.to.throw();
    expect(() => checkRounding({ mode: 'stochastic', random: 255 })).not.to.throw();
    expect(() => checkRounding({ mode: 'stochastic', random: 0, randomBits: 1 })).not.to.throw();
    expect(() =>
      checkRounding({ mode: 'stochastic', random: (1n << 64n) - 1n, randomBits: 64 }),
    ).not.to.throw();
  });
  it('checkRounding refuses an unknown mode, bad randomBits and out-of-range random', () => {
    bad(
      () => checkRounding({ mode: 'up' as never }),
      "rounding 'up' is unknown; use rne, rtz, rna or stochastic",
    );
    bad(
      () => checkRounding({ mode: 'stochastic' }),
      "stochastic rounding needs the caller's random bits: pass random (0..2^8-1)",
    );
    bad(() => checkRounding({ mode: 'stochastic', randomBits: 4 }), 'pass random (0..2^4-1)');
    bad(
      () => checkRounding({ mode: 'stochastic', random: 0, randomBits: 0 }),
      'randomBits 0 must be an integer in 1..64',
    );
    bad(
      () => checkRounding({ mode: 'stochastic', random: 0, randomBits: 65 }),
      'randomBits 65 must',
    );
    bad(
      () => checkRounding({ mode: 'stochastic', random: 0, randomBits: 1.5 }),
      'randomBits 1.5 must',
    );
    bad(
      () => checkRounding({ mode: 'stochastic', random: -1 }),
      'random -1 is out of range for randomBits 8: use 0..2^8-1',
    );
    bad(() => checkRounding({ mode: 'stochastic', random: 256 }), 'random 256 is out of range');
    bad(
      () => checkRounding({ mode: 'stochastic', random: 2, randomBits: 1 }),
      'random 2 is out of range for randomBits 1',
    );
  });

  describe('roundMag (7.1)', () => {
    // [n, k, rne, rna, rtz]
    const rows: [bigint, number, bigint, bigint, bigint][] = [
      [0b1011n, 2, 3n, 3n, 2n], // 2.75
      [0b1010n, 2, 2n, 3n, 2n], // 2.5: tie, even stays
      [0b1110n, 2, 4n, 4n, 3n], // 3.5: tie, odd goes up
      [0b1001n, 2, 2n, 2n, 2n], // 2.25
      [0b1n, 1, 0n, 1n, 0n], // 0.5
      [5n, 0, 5n, 5n, 5n],
      [5n, -2, 20n, 20n, 20n],
    ];
    for (const [n, k, rne, rna, rtz] of rows)
      it(`${n} >> ${k}: rne ${rne}, rna ${rna}, rtz ${rtz}`, () => {
        expect(roundMag(n, k)).to.equal(rne);
        expect(roundMag(n, k, { mode: 'rne' })).to.equal(rne);
        expect(roundMag(n, k, { mode: 'rna' })).to.equal(rna);
        expect(roundMag(n, k, { mode: 'rtz' })).to.equal(rtz);
      });
    it('stochastic, k < r: up when (dropped · 2^(r-k)) + Rnd ≥ 2^r (r = 8 by default)', () => {
      // 0b1001 >> 2: dropped 1 → 64; 64 + 191 = 255 stays, 64 + 192 = 256 goes up
      expect(roundMag(0b1001n, 2, { mode: 'stochastic', random: 191 })).to.equal(2n);
      expect(roundMag(0b1001n, 2, { mode: 'stochastic', random: 192 })).to.equal(3n);
      // no random given: Rnd = 0, dropped 3 → 192 < 256
      expect(roundMag(0b1111n, 2, { mode: 'stochastic' })).to.equal(3n);
      expect(roundMag(0b1111n, 2, { mode: 'stochastic', random: 64n })).to.equal(4n);
    });
    it('stochastic, k > r: the top r dropped bits only', () => {
      // 5·2^10 + 0b11_0000_0000: top 4 dropped bits 0b1100 = 12; 12 + 3 < 16, 12 + 4 = 16
      const n = (5n << 10n) + 0b1100000000n + 0b111111n;
      expect(roundMag(n, 10, { mode: 'stochastic', random: 3, randomBits: 4 })).to.equal(5n);
      expect(roundMag(n, 10, { mode: 'stochastic', random: 4, randomBits: 4 })).to.equal(6n);
      // k = r: the dropped bits are the compared value itself
      expect(roundMag(0b10110n, 4, { mode: 'stochastic', random: 9, randomBits: 4 })).to.equal(1n);
      expect(roundMag(0b10110n, 4, { mode: 'stochastic', random: 10, randomBits: 4 })).to.equal(2n);
    });
  });

  describe('roundShiftSigned (7.2)', () => {
    // [v, k, rne, rna, rtz, floor]
    const rows: [bigint, number, bigint, bigint, bigint, bigint][] = [
      [-5n, 1, -2n, -3n, -2n, -3n], // -2.5
      [5n, 1, 2n, 3n, 2n, 2n], // 2.5
      [-4n, 1, -2n, -2n, -2n, -2n], // exact
      [-6n, 2, -2n, -2n, -1n, -2n], // -1.5
      [-2n, 2, 0n, -1n, 0n, -1n], // -0.5
      [-7n, 2, -2n, -2n, -1n, -2n], // -1.75
      [-5n, 2, -1n, -1n, -1n, -2n], // -1.25
      [10n, 2, 2n, 3n, 2n, 2n], // 2.5
      [14n, 2, 4n, 4n, 3n, 3n], // 3.5
      [-10n, 2, -2n, -3n, -2n, -3n], // -2.5
      [0n, 2, 0n, 0n, 0n, 0n],
      [-5n, 0, -5n, -5n, -5n, -5n],
      [-5n, -1, -10n, -10n, -10n, -10n],
    ];
    for (const [v, k, rne, rna, rtz, floor] of rows)
      it(`${v} >> ${k}: rne ${rne}, rna ${rna}, rtz ${rtz}, floor ${floor}`, () => {
        expect(roundShiftSigned(v, k)).to.equal(rne);
        expect(roundShiftSigned(v, k, 'rne')).to.equal(rne);
        expect(roundShiftSigned(v, k, 'rna')).to.equal(rna);
        expect(roundShiftSigned(v, k, 'rtz')).to.equal(rtz);
        expect(roundShiftSigned(v, k, 'floor')).to.equal(floor);
      });
  });

  it('fitSigned: saturate clamps to [-2^(w-1), 2^(w-1)-1], wrap is modulo 2^w', () => {
    const sat = [200n, -200n, 127n, -128n, 128n, -129n].map((v) => fitSigned(v, 8, 'saturate'));
    expect(sat).to.deep.equal([127n, -128n, 127n, -128n, 127n, -128n]);
    const wrap = [200n, -129n, 127n, -128n, 128n, 0n].map((v) => fitSigned(v, 8, 'wrap'));
    expect(wrap).to.deep.equal([-56n, 127n, 127n, -128n, -128n, 0n]);
    expect(fitSigned(1000n, 4, 'wrap')).to.equal(-8n);
    expect(fitSigned(-1001n, 4, 'wrap')).to.equal(7n);
    expect(fitSigned(9n, 4, 'saturate')).to.equal(7n);
  });
});

describe('binary32 / binary64 (binary.ts)', () => {
  it('fromBinary32Bits: zeros, infinities, NaN signs, subnormals, normals', () => {
    const rows: [number, Exact][] = [
      [0, POS_ZERO],
      [0x80000000, NEG_ZERO],
      [0x7f800000, POS_INF],
      [0xff800000, NEG_INF],
      [0x7f800001, NAN],
      [0x7fc00000, NAN],
      [0xffc00001, NEG_NAN],
      [0xffffffff, NEG_NAN],
      [0x00000001, F(false, 1n, -149)],
      [0x807fffff, F(true, 0x7fffffn, -149)],
      [0x00800000, F(false, 1n, -126)],
      [0x3f800000, F(false, 1n, 0)],
      [0x3fc00000, F(false, 3n, -1)],
      [0xc0490fdb, F(true, 0xc90fdbn, -22)],
      [0x7f7fffff, F(false, 0xffffffn, 104)],
    ];
    for (const [b, want] of rows) expect(fromBinary32Bits(b), hex(b)).to.deep.equal(want);
  });
  it('fromBinary32Bits refuses non-patterns', () => {
    for (const b of [-1, 2 ** 32, 1.5])
      expect(() => fromBinary32Bits(b)).to.throw(
        NumericsError,
        `binary32 pattern ${b} is not an integer in 0..0xFFFFFFFF`,
      );
  });
  it('fromBinary64Bits and fromNumber', () => {
    const rows: [bigint, Exact][] = [
      [0x3ff0000000000000n, F(false, 1n, 0)],
      [0xbff8000000000000n, F(true, 3n, -1)],
      [0x0000000000000001n, F(false, 1n, -1074)],
      [0x0010000000000000n, F(false, 1n, -1022)],
      [0x7ff0000000000000n, POS_INF],
      [0xfff0000000000000n, NEG_INF],
      [0x7ff0000000000001n, NAN],
      [0xffffffffffffffffn, NEG_NAN],
      [0x8000000000000000n, NEG_ZERO],
    ];
    for (const [b, want] of rows) expect(fromBinary64Bits(b), b.toString(16)).to.deep.equal(want);
    expect(() => fromBinary64Bits(-1n)).to.throw(
      NumericsError,
      'binary64 pattern -1 is not in 0..2^64-1',
    );
    expect(() => fromBinary64Bits(1n << 64n)).to.throw(NumericsError, 'binary64 pattern');
    // 0.1 = 0x3FB999999999999A = 0x1999999999999A · 2^(1019-1075) = 0xCCCCCCCCCCCCD · 2^-55
    expect(fromNumber(0.1)).to.deep.equal(F(false, 0xccccccccccccdn, -55));
    expect(fromNumber(-0)).to.deep.equal(NEG_ZERO);
    expect(fromNumber(-2.5)).to.deep.equal(F(true, 5n, -1));
  });
  it('exactNumber: the double of a value when exact, undefined past 2^53 or the exponent range', () => {
    expect(exactNumber(fromInt(-3n, -2))).to.equal(-0.75);
    expect(exactNumber(fromInt(5n, 7))).to.equal(640);
    expect(Object.is(exactNumber(finite(true, 0n, 0)), -0)).to.equal(true);
    expect(exactNumber(fromInt(2n ** 53n - 1n))).to.equal(2 ** 53 - 1);
    expect(exactNumber(fromInt(2n ** 53n + 1n))).to.equal(undefined); // not a double
    expect(exactNumber(fromInt(1n, -1000))).to.equal(2 ** -1000);
    expect(exactNumber(fromInt(1n, -1001))).to.equal(undefined);
    expect(exactNumber(fromInt(3n, 900))).to.equal(3 * 2 ** 900);
    expect(exactNumber(fromInt(3n, 901))).to.equal(undefined);
    expect(exactNumber(fromNumber(Infinity))).to.equal(undefined);
    expect(exactNumber(fromNumber(NaN))).to.equal(undefined);
  });
  it('binary32BitsOfNumber / binary32ToNumber', () => {
    expect(binary32BitsOfNumber(1.5)).to.equal(0x3fc00000);
    expect(binary32BitsOfNumber(-0)).to.equal(0x80000000);
    expect(binary32ToNumber(0x3fc00000)).to.equal(1.5);
    expect(binary32ToNumber(0xbf800000)).to.equal(-1);
    expect(binary32ToNumber(0xbf800000 | 0)).to.equal(-1);
  });

  describe('toBinary32Bits (7.3)', () => {
    // [name, value, rne, rtz, rna]
    const rows: [string, Exact, number, number, number][] = [
      ['NaN', NAN, 0x7fc00000, 0x7fc00000, 0x7fc00000],
      ['-NaN', NEG_NAN, 0xffc00000, 0xffc00000, 0xffc00000],
      ['Inf', POS_INF, 0x7f800000, 0x7f800000, 0x7f800000],
      ['-Inf', NEG_INF, 0xff800000, 0xff800000, 0xff800000],
      ['+0', POS_ZERO, 0, 0, 0],
      ['-0', NEG_ZERO, 0x80000000, 0x80000000, 0x80000000],
      ['1', fromInt(1n), 0x3f800000, 0x3f800000, 0x3f800000],
      ['-1.5', fromInt(-3n, -1), 0xbfc00000, 0xbfc00000, 0xbfc00000],
      ['2^127', fromInt(1n, 127), 0x7f000000, 0x7f000000, 0x7f000000],
      ['1.5·2^127', fromInt(3n, 126), 0x7f400000, 0x7f400000, 0x7f400000],
      ['2^128', fromInt(1n, 128), 0x7f800000, 0x7f7fffff, 0x7f800000],
      ['-2^128', fromInt(-1n, 128), 0xff800000, 0xff7fffff, 0xff800000],
      // halfway between the largest finite (2^24-1)·2^104 and 2^128
      ['(2^25-1)·2^103', fromInt((1n << 25n) - 1n, 103), 0x7f800000, 0x7f7fffff, 0x7f800000],
      ['1 + 2^-24 (tie, even)', fromInt((1n << 24n) + 1n, -24), 0x3f800000, 0x3f800000, 0x3f800001],
      [
        '1 + 3·2^-24 (tie, odd)',
        fromInt((1n << 24n) + 3n, -24),
        0x3f800002,
        0x3f800001,
        0x3f800002,
      ],
      [
        '2 - 2^-24 carries to 2',
        fromInt((1n << 25n) - 1n, -24),
        0x40000000,
        0x3fffffff,
        0x40000000,
      ],
      ['2^-149', fromInt(1n, -149), 1, 1, 1],
      ['5·2^-149', fromInt(5n, -149), 5, 5, 5],
      ['-3·2^-149', fromInt(-3n, -149), 0x80000003, 0x80000003, 0x80000003],
      ['2^-150 (tie to 0)', fromInt(1n, -150), 0, 0, 1],
      ['-2^-150', fromInt(-1n, -150), 0x80000000, 0x80000000, 0x80000001],
      ['3·2^-151', fromInt(3n, -151), 1, 0, 1],
      ['2^-200', fromInt(1n, -200), 0, 0, 0],
      [
        '(2^24-1)·2^-150 rounds up to 2^-126',
        fromInt((1n << 24n) - 1n, -150),
        0x800000,
        0x7fffff,
        0x800000,
      ],
      ['2^-126', fromInt(1n, -126), 0x800000, 0x800000, 0x800000],
    ];
    for (const [name, x, rne, rtz, rna] of rows)
      it(`${name}: rne ${hex(rne)}, rtz ${hex(rtz)}, rna ${hex(rna)}`, () => {
        expect(hex(toBinary32Bits(x))).to.equal(hex(rne));
        expect(hex(toBinary32Bits(x, { mode: 'rtz' }))).to.equal(hex(rtz));
        expect(hex(toBinary32Bits(x, { mode: 'rna' }))).to.equal(hex(rna));
      });
  });

  it('stickyQuotient: ≥ 64 quotient bits plus a sticky 1 when inexact', () => {
    // 1/3: sh = 66 + 2 - 1 = 67; 2q + 1 = (2^68 - 1)/3 = 0x55555555555555555
    expect(stickyQuotient(false, 1n, 3n, 0)).to.deep.equal(F(false, 0x55555555555555555n, -68));
    expect(stickyQuotient(true, 1n, 3n, 5)).to.deep.equal(F(true, 0x55555555555555555n, -63));
    // exact: 3/4 = 3·2^-2
    expect(stickyQuotient(false, 3n, 4n, 0)).to.deep.equal(F(false, 3n, -2));
    // num ≫ den: no shift; 2^100/3: 2q + 1 = (2^101 + 1)/3
    expect(stickyQuotient(false, 1n << 100n, 3n, 0)).to.deep.equal(
      F(false, 0xaaaaaaaaaaaaaaaaaaaaaaaabn, -1),
    );
    expect(stickyQuotient(true, 0n, 3n, 0)).to.equal(NEG_ZERO);
    expect(stickyQuotient(false, 0n, 3n, 0)).to.equal(POS_ZERO);
  });

  describe('parseBinary32', () => {
    const rows: [string, number][] = [
      ['0x3FC00000', 0x3fc00000],
      ['0X1', 1],
      ['0xffffffff', 0xffffffff],
      ['  1.5  ', 0x3fc00000],
      ['NaN', 0x7fc00000],
      ['-nan', 0xffc00000],
      ['+Inf', 0x7f800000],
      ['-infinity', 0xff800000],
      ['inf', 0x7f800000],
      ['1.', 0x3f800000],
      ['.5', 0x3f000000],
      ['-2e-3', 0xbb03126f],
      ['0.1', 0x3dcccccd],
      ['1E2', 0x42c80000],
      ['3e0', 0x40400000],
      ['0', 0],
      ['-0', 0x80000000],
      ['-0.000', 0x80000000],
      ['16777217', 0x4b800000],
      ['16777219', 0x4b800002],
      ['1e-50', 0],
      ['-1e-50', 0x80000000],
      ['1e39', 0x7f800000],
      ['1e100000', 0x7f800000],
    ];
    for (const [t, want] of rows)
      it(`'${t}' → ${hex(want)}`, () => expect(hex(parseBinary32(t))).to.equal(hex(want)));
    it('refuses text that is not a number, and huge exponents', () => {
      for (const t of [
        'abc',
        '.',
        '',
        '1e',
        '0x123456789',
        '1.5.2',
        'xnan',
        '1inf',
        'infx',
        'nan1',
      ])
        expect(() => parseBinary32(t), t).to.throw(
          NumericsError,
          `'${t}' is not a number: write a decimal (1.5, -2e-3), a 0x bit pattern, NaN or Inf`,
        );
      expect(() => parseBinary32('1e100001')).to.throw(
        NumericsError,
        "'1e100001' has an exponent out of range; binary32 needs |exponent| ≤ 100000",
      );
      expect(() => parseBinary32('1e-100001')).to.throw(NumericsError, 'exponent out of range');
    });
  });
});
