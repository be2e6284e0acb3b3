// Properties of MX quantization and dot products (fixed seeds; MXGEN_FUZZ_N scales the runs):
// each scale policy picks the scale its definition gives (docs/numerics.md), elements stay in
// range, zero / NaN / Inf blocks follow formats.md 4, and the exact Dot equals the sum of the
// exactly dequantized products.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  add,
  decode,
  dequantize,
  dotResultToExact,
  type Exact,
  listMxFormats,
  mul,
  mxDot,
  POS_ZERO,
  quantizeBlock,
  same,
  type ScalePolicy,
} from '../../../src/numerics/index.js';

const N = Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1'));
/** Blocks whose values share a random exponent region (so the scale matters). */
const block = fc
  .tuple(
    fc.integer({ min: 1, max: 253 }),
    fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 0xffffff }),
        fc.boolean(),
      ),
      { minLength: 1, maxLength: 32 },
    ),
  )
  .map(([top, xs]) =>
    xs.map(
      ([d, m, s]) => ((s ? 0x80000000 : 0) | (Math.max(0, top - d) << 23) | (m & 0x7fffff)) >>> 0,
    ),
  );

const f32 = (b: number): number => new Float32Array(new Uint32Array([b]).buffer)[0] as number;
/** floor(log2 |x|) from the bit fields (independent of src/numerics). */
function floorLog2(b: number): number {
  const e = (b >>> 23) & 0xff;
  const m = b & 0x7fffff;
  return e > 0 ? e - 127 : 31 - Math.clz32(m) - 149;
}

/** The scale each policy's definition gives (docs/numerics.md), before the clamp. */
function expectedScale(
  policy: ScalePolicy,
  amaxBits: number,
  emax: number,
  manBits: number,
  max: number,
): number {
  const E = floorLog2(amaxBits);
  const a = f32(amaxBits);
  switch (policy) {
    case 'floor':
      return E - emax;
    case 'ceil':
      return (a === 2 ** E ? E : E + 1) - emax;
    case 'even':
      // torchao EVEN on normal binary32: add half an element ulp to the bits, read the exponent
      return (((amaxBits + (1 << (22 - manBits))) >>> 23) & 0xff) - 127 - emax;
    case 'rceil': {
      let s = E - emax - 2;
      while (a * 2 ** -s > max) s++; // float64: exact for binary32 times a power of two
      return s;
    }
  }
}

describe('MX quantization properties', () => {
  for (const [i, f] of listMxFormats().entries()) {
    const max = Number(f.element.maxSig) * 2 ** f.element.lsbExp;
    for (const [j, policy] of (['floor', 'ceil', 'even', 'rceil'] as const).entries())
      it(`${f.name} / ${policy}: picks the defined scale and keeps elements in range`, () => {
        fc.assert(
          fc.property(block, (bits) => {
            const q = quantizeBlock(bits, f, { scalePolicy: policy });
            let amax = 0;
            for (const b of bits) amax = Math.max(amax, (b & 0x7fffffff) >>> 0);
            if (amax === 0) {
              expect(q.scale).to.equal(0);
              return;
            }
            if (policy === 'even' && amax < 0x00800000) return; // 'even' defined on normal amax here
            const s = Math.min(
              127,
              Math.max(-127, expectedScale(policy, amax, f.emaxElem, f.manBits, max)),
            );
            expect(q.scale).to.equal(s + 127);
            for (const c of q.codes) {
              const v = decode(f.element, c);
              expect(v.kind).to.equal('finite');
            }
            if (policy === 'rceil') {
              // rceil never saturates: the scaled block max is at most the element max
              expect(f32(amax) * 2 ** -s <= max || s === 127).to.equal(true);
            }
          }),
          { seed: 1000 + 10 * i + j, numRuns: 200 * N },
        );
      });

    it(`${f.name}: all-zero, NaN and Inf blocks follow formats.md 4`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.boolean(), { minLength: 1, maxLength: 32 }),
          fc.integer({ min: 0, max: 31 }),
          fc.constantFrom(0x7f800000, 0xff800000, 0x7fc00000, 0xffc00001),
          (signs, pos, special) => {
            const zeros = signs.map((s) => (s ? 0x80000000 : 0));
            const z = quantizeBlock(zeros, f);
            expect(z.scale).to.equal(0);
            dequantize(z).forEach((v, k) =>
              expect(v.kind === 'finite' && v.sig === 0n).to.equal(true, `elem ${k}`),
            );
            const withSpecial: number[] = [...zeros];
            withSpecial[pos % zeros.length] = special;
            const n = quantizeBlock(withSpecial, f);
            expect(n.scale).to.equal(0xff);
            expect(n.codes.every((c) => c === 0)).to.equal(true);
            expect(dequantize(n).every((v) => v.kind === 'nan')).to.equal(true);
          },
        ),
        { seed: 2000 + i, numRuns: 50 * N },
      );
    });

    it(`${f.name}: exact Dot equals the sum of exactly dequantized products`, () => {
      fc.assert(
        fc.property(block, block, (a, b) => {
          const qa = quantizeBlock(a, f);
          const qb = quantizeBlock(b, f);
          const va = dequantize(qa);
          const vb = dequantize(qb);
          let sum: Exact = POS_ZERO;
          va.forEach((x, k) => (sum = add(sum, mul(x, vb[k] as Exact))));
          if (sum.kind === 'finite' && sum.sig === 0n) sum = POS_ZERO; // exact zero is +0
          expect(same(dotResultToExact(mxDot(qa, qb)), sum)).to.equal(true);
        }),
        { seed: 3000 + i, numRuns: 100 * N },
      );
    });
  }
});
