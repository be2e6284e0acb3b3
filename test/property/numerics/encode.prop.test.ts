// Properties of element conversion (fixed seeds; MXGEN_FUZZ_N scales the runs): round trip of
// representable values, monotonicity, ties to even, and RTZ never exceeding RNE's magnitude.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  binary32ToNumber,
  compare,
  decode,
  encode,
  type FloatFormat,
  getFormat,
  toBinary32Bits,
} from '../../../src/numerics/index.js';

const N = Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1'));
const FLOATS = ['fp8_e4m3', 'fp8_e5m2', 'fp6_e2m3', 'fp6_e3m2', 'fp4_e2m1'];
const SAT = { overflow: 'saturate' as const };
const isNaN32 = (b: number): boolean => (b & 0x7fffffff) >>> 0 > 0x7f800000;
const finite32 = fc
  .integer({ min: 0, max: 0xffffffff })
  .filter((b) => (b & 0x7f800000) >>> 0 !== 0x7f800000);

describe('element conversion properties', () => {
  for (const [i, name] of FLOATS.entries()) {
    const f = getFormat(name) as FloatFormat;
    const codes = fc.integer({ min: 0, max: 2 ** f.bits - 1 });

    it(`${name}: decode(encode(x)) = x for every representable x`, () => {
      fc.assert(
        fc.property(codes, (c) => {
          const v = decode(f, c);
          if (v.kind === 'nan') return;
          const bits = toBinary32Bits(v); // every ≤ 8-bit value is a binary32
          const back = encode(
            f,
            { binary32: bits },
            { overflow: v.kind === 'inf' ? 'special' : 'saturate' },
          );
          expect(back, `code 0x${c.toString(16)}`).to.equal(c);
        }),
        { seed: 101 + i, numRuns: 500 * N },
      );
    });

    it(`${name}: encoding is monotonic`, () => {
      fc.assert(
        fc.property(finite32, finite32, (a, b) => {
          const [lo, hi] = binary32ToNumber(a) <= binary32ToNumber(b) ? [a, b] : [b, a];
          const ca = decode(f, encode(f, { binary32: lo }, SAT));
          const cb = decode(f, encode(f, { binary32: hi }, SAT));
          expect(compare(ca, cb)).to.be.oneOf([-1, 0]);
        }),
        { seed: 201 + i, numRuns: 2000 * N },
      );
    });

    it(`${name}: an exact midpoint rounds to the even code, RTZ to the smaller magnitude`, () => {
      const positives = fc.integer({ min: 0, max: 2 ** (f.bits - 1) - 2 });
      fc.assert(
        fc.property(positives, fc.boolean(), (c, negative) => {
          const lo = binary32ToNumber(toBinary32Bits(decode(f, c)));
          const hiV = decode(f, c + 1);
          if (hiV.kind !== 'finite') return;
          const hi = binary32ToNumber(toBinary32Bits(hiV));
          const mid = (lo + hi) / 2; // a small dyadic: exact in float64 and binary32
          const sign = negative ? 2 ** (f.bits - 1) : 0;
          const x = { binary32: f32bits(negative ? -mid : mid) };
          const even = c % 2 === 0 ? c : c + 1;
          expect(encode(f, x, SAT)).to.equal(even + sign);
          expect(encode(f, x, { ...SAT, rounding: 'rtz' })).to.equal(c + sign);
          expect(encode(f, x, { ...SAT, rounding: 'rna' })).to.equal(c + 1 + sign);
        }),
        { seed: 301 + i, numRuns: 300 * N },
      );
    });
  }

  it('integers: RNE of k + 0.5 is the even neighbour, saturating at the range ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.integer({ min: -300, max: 300 }), (n, k) => {
        const x = f32bits(k + 0.5);
        const q = k % 2 === 0 ? k : k + 1; // ties to even
        const lo = -(2 ** (n - 1));
        const hi = 2 ** (n - 1) - 1;
        const want = Math.min(hi, Math.max(lo, q));
        expect(encode(`int${n}`, { binary32: x })).to.equal(want & (2 ** n - 1));
      }),
      { seed: 401, numRuns: 1000 * N },
    );
  });

  it('stochastic rounding rounds up exactly when D + Rnd ≥ 2^8', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (d, rnd) => {
        // 1 + d/2^11 in E4M3 near 1 (quantum 2^-3): the top 8 dropped bits are d.
        const x = f32bits(1 + d / 2 ** 11);
        const got = encode(
          'fp8_e4m3',
          { binary32: x },
          { ...SAT, rounding: 'stochastic', random: rnd },
        );
        expect(got).to.equal(0x38 + (d + rnd >= 256 ? 1 : 0));
      }),
      { seed: 501, numRuns: 1000 * N },
    );
  });

  it('NaN never turns into a number for FP8, and is an error for FP6/FP4', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }).filter(isNaN32), (b) => {
        expect(decode('fp8_e4m3', encode('fp8_e4m3', { binary32: b }, SAT)).kind).to.equal('nan');
        expect(decode('fp8_e5m2', encode('fp8_e5m2', { binary32: b }, SAT)).kind).to.equal('nan');
        expect(() => encode('fp4_e2m1', { binary32: b })).to.throw(/no NaN/);
      }),
      { seed: 601, numRuns: 200 * N },
    );
  });
});

function f32bits(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0] as number;
}
