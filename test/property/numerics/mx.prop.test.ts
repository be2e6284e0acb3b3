// Properties of MX quantization and dot products (fixed seeds; MXGEN_FUZZ_N scales the runs).
// Everything expected is computed here from formats.md, independently of src/numerics:
// - each scale policy's s (docs/numerics.md), for normal and subnormal block maxima;
// - every element code: RNE of V_i·2^-s onto the element grid, saturating at ±max (section 4
//   step 6), from the element's field definitions (2.1, 3.1);
// - Dot (5.2) of arbitrary blocks, including X = 0xFF and FP8 NaN / Inf elements, as the exact
//   pair (S, Eres) or NaN / ±Inf.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  add,
  dequantize,
  dotResultToExact,
  type Exact,
  getMxFormat,
  listMxFormats,
  mul,
  type MxBlock,
  mxDot,
  POS_ZERO,
  quantizeBlock,
  same,
  type ScalePolicy,
} from '../../../src/numerics/index.js';

const N = Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1'));

/** Element formats from formats.md 2.1 / 3.1 / 5.2 (written here, not read from the code). */
type Elem =
  | {
      kind: 'float';
      bits: number;
      E: number;
      M: number;
      bias: number;
      specials: 'nan-only' | 'ieee' | 'none';
      emax: number;
    }
  | { kind: 'int8'; bits: 8; emax: 0; M: 6 };
const ELEM: Record<string, Elem> = {
  mxfp8_e4m3: { kind: 'float', bits: 8, E: 4, M: 3, bias: 7, specials: 'nan-only', emax: 8 },
  mxfp8_e5m2: { kind: 'float', bits: 8, E: 5, M: 2, bias: 15, specials: 'ieee', emax: 15 },
  mxfp6_e2m3: { kind: 'float', bits: 6, E: 2, M: 3, bias: 1, specials: 'none', emax: 2 },
  mxfp6_e3m2: { kind: 'float', bits: 6, E: 3, M: 2, bias: 3, specials: 'none', emax: 4 },
  mxfp4_e2m1: { kind: 'float', bits: 4, E: 2, M: 1, bias: 1, specials: 'none', emax: 2 },
  mxint8: { kind: 'int8', bits: 8, emax: 0, M: 6 },
};
const elem = (name: string): Elem => ELEM[name] as Elem;
/** The fixed LSB exponent of 5.2: floats emin - M = 1 - bias - M; INT8 -6. */
const lsbOf = (e: Elem): number => (e.kind === 'int8' ? -6 : 1 - e.bias - e.M);

type Cls = { kind: 'nan' } | { kind: 'inf'; neg: boolean } | { kind: 'fin'; sig: bigint };
/** A code's meaning from its fields (2.2); finite values as a signed integer in LSB units. */
function classify(e: Elem, c: number): Cls {
  if (e.kind === 'int8') return { kind: 'fin', sig: BigInt(c >= 128 ? c - 256 : c) };
  const neg = c >> (e.bits - 1) === 1;
  const ef = (c >> e.M) & ((1 << e.E) - 1);
  const m = c & ((1 << e.M) - 1);
  const top = (1 << e.E) - 1;
  if (e.specials === 'ieee' && ef === top) return m === 0 ? { kind: 'inf', neg } : { kind: 'nan' };
  if (e.specials === 'nan-only' && ef === top && m === (1 << e.M) - 1) return { kind: 'nan' };
  const mag = ef === 0 ? BigInt(m) : BigInt((1 << e.M) + m) << BigInt(ef - 1);
  return { kind: 'fin', sig: neg ? -mag : mag };
}

/** Finite magnitudes of a float element, indexed by magnitude code (ascending), as numbers. */
function magnitudes(e: Extract<Elem, { kind: 'float' }>): number[] {
  const out: number[] = [];
  for (let j = 0; j < 2 ** (e.bits - 1); j++) {
    const c = classify(e, j);
    if (c.kind === 'fin') out.push(Number(c.sig) * 2 ** lsbOf(e));
  }
  return out; // specials sit at the top of the code range, so index = magnitude code
}

/** RNE to an integer of a float64 holding an exact dyadic value. */
function rneInt(x: number): number {
  const f = Math.floor(x);
  const d = x - f; // exact: f and x share the binade or x is an integer
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

/** Expected element code of the exact value v = V_i·2^-s: RNE, then saturation at ±max. */
function expectedCode(e: Elem, v: number): number {
  if (e.kind === 'int8') return Math.min(127, Math.max(-128, rneInt(64 * v))) & 0xff;
  const grid = magnitudes(e);
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  let j = grid.length - 1;
  if (a < (grid[j] as number)) {
    let lo = 0; // grid[lo] ≤ a < grid[lo + 1]
    while ((grid[lo + 1] as number) <= a) lo++;
    const mid = ((grid[lo] as number) + (grid[lo + 1] as number)) / 2; // exact: small dyadics
    j = a < mid ? lo : a > mid ? lo + 1 : lo % 2 === 0 ? lo : lo + 1; // tie → even code
  }
  return (neg ? 1 << (e.bits - 1) : 0) | j;
}

const f32 = (b: number): number => new Float32Array(new Uint32Array([b]).buffer)[0] as number;
/** floor(log2 |x|) from the bit fields. */
function floorLog2(b: number): number {
  const e = (b >>> 23) & 0xff;
  const m = b & 0x7fffff;
  return e > 0 ? e - 127 : 31 - Math.clz32(m) - 149;
}

/** The scale each policy's definition gives (docs/numerics.md), before the clamp. */
function expectedScale(policy: ScalePolicy, amaxBits: number, e: Elem, max: number): number {
  const E = floorLog2(amaxBits);
  const a = f32(amaxBits);
  switch (policy) {
    case 'floor':
      return E - e.emax;
    case 'ceil':
      return (a === 2 ** E ? E : E + 1) - e.emax;
    case 'even': {
      // floor(log2 RNA_{M+1}(A)) - emax: E + 1 iff A ≥ (2 - 2^-(M+1))·2^E (exact in float64)
      const up = a >= (2 - 2 ** -(e.M + 1)) * 2 ** E;
      const s = (up ? E + 1 : E) - e.emax;
      if (amaxBits >= 0x00800000) {
        // torchao EVEN on a normal binary32: add half an element ulp to the bits, read the exponent
        const torchao = (((amaxBits + (1 << (22 - e.M))) >>> 23) & 0xff) - 127 - e.emax;
        expect(torchao, 'torchao EVEN').to.equal(s);
      }
      return s;
    }
    case 'rceil': {
      let s = E - e.emax - 2;
      while (a * 2 ** -s > max) s++; // float64: exact for binary32 times a power of two
      return s;
    }
  }
}

/** binary32 mantissas: uniform, or with ≤ 6 significant bits (so scaled values hit exact ties). */
const mantissa = fc.oneof(
  fc.integer({ min: 0, max: 0x7fffff }),
  fc
    .tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 17, max: 22 }))
    .map(([m, sh]) => (m << sh) & 0x7fffff),
);
/** Blocks whose values share a random exponent region (so the scale matters). */
const normalBlock = fc
  .tuple(
    fc.integer({ min: 1, max: 254 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), mantissa, fc.boolean()), {
      minLength: 1,
      maxLength: 32,
    }),
  )
  .map(([top, xs]) =>
    xs.map(([d, m, s]) => ((s ? 0x80000000 : 0) | (Math.max(0, top - d) << 23) | m) >>> 0),
  );
/** Blocks of binary32 subnormals, often with a maximum close below 2^-126 (where 'even' rounds up). */
const subnormalBlock = fc
  .array(
    fc.tuple(
      fc.oneof(fc.integer({ min: 1, max: 0x7fffff }), fc.integer({ min: 0x7e0000, max: 0x7fffff })),
      fc.boolean(),
    ),
    { minLength: 1, maxLength: 32 },
  )
  .map((xs) => xs.map(([m, s]) => ((s ? 0x80000000 : 0) | m) >>> 0));
const block = fc.oneof(
  { arbitrary: normalBlock, weight: 4 },
  { arbitrary: subnormalBlock, weight: 1 },
);

describe('MX quantization properties', () => {
  for (const [i, f] of listMxFormats().entries()) {
    const e = elem(f.name);
    const max = e.kind === 'int8' ? 127 / 64 : (magnitudes(e)[magnitudes(e).length - 1] as number);
    for (const [j, policy] of (['floor', 'ceil', 'even', 'rceil'] as const).entries())
      it(`${f.name} / ${policy}: picks the defined scale and RNE-SAT element codes`, () => {
        fc.assert(
          fc.property(block, (bits) => {
            const q = quantizeBlock(bits, f, { scalePolicy: policy });
            let amax = 0;
            for (const b of bits) amax = Math.max(amax, (b & 0x7fffffff) >>> 0);
            if (amax === 0) {
              expect(q.scale).to.equal(0);
              return;
            }
            const s = Math.min(127, Math.max(-127, expectedScale(policy, amax, e, max)));
            expect(q.scale).to.equal(s + 127);
            const want = [...bits, ...new Array<number>(32 - bits.length).fill(0)].map((b) =>
              expectedCode(e, f32(b) * 2 ** -s),
            );
            expect(q.codes).to.deep.equal(want);
            if (policy === 'rceil' && s < 127)
              // rceil never saturates below the clamp: the scaled block max is at most max
              expect(f32(amax) * 2 ** -s <= max).to.equal(true);
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
            // the element's signed zero with the sign of V_i (INT8: 0x00); padding is +0
            const zcodes = [...zeros, ...new Array<number>(32 - zeros.length).fill(0)].map((b) =>
              b && e.kind === 'float' ? 1 << (e.bits - 1) : 0,
            );
            expect(z.codes).to.deep.equal(zcodes);
            const withSpecial: number[] = [...zeros];
            withSpecial[pos % zeros.length] = special;
            const n = quantizeBlock(withSpecial, f);
            expect(n.scale).to.equal(0xff);
            expect(n.codes).to.deep.equal(new Array<number>(32).fill(0));
            expect(dequantize(n).every((v) => v.kind === 'nan')).to.equal(true);
          },
        ),
        { seed: 2000 + i, numRuns: 50 * N },
      );
    });

    it(`${f.name}: exact Dot of quantized blocks equals the sum of dequantized products`, () => {
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

/** Expected Dot (formats.md 5.2 steps 1-3) of two arbitrary blocks. */
function expectedDot(
  ea: Elem,
  a: MxBlock,
  eb: Elem,
  b: MxBlock,
): { kind: 'nan' } | { kind: 'inf'; neg: boolean } | { kind: 'finite'; sum: bigint; exp: number } {
  if (a.scale === 0xff || b.scale === 0xff) return { kind: 'nan' }; // step 1
  let nan = false;
  let posInf = false;
  let negInf = false;
  let sum = 0n;
  a.codes.forEach((ca, k) => {
    const x = classify(ea, ca);
    const y = classify(eb, b.codes[k] as number);
    if (x.kind === 'nan' || y.kind === 'nan')
      nan = true; // step 2: any NaN element
    else if (x.kind === 'inf' || y.kind === 'inf') {
      const negOf = (c: Cls): boolean =>
        c.kind === 'inf' ? c.neg : c.kind === 'fin' && c.sig < 0n;
      if ((x.kind === 'fin' && x.sig === 0n) || (y.kind === 'fin' && y.sig === 0n)) nan = true;
      else if (negOf(x) !== negOf(y)) negInf = true;
      else posInf = true;
    } else if (x.kind === 'fin' && y.kind === 'fin') sum += x.sig * y.sig; // step 3
  });
  if (nan || (posInf && negInf)) return { kind: 'nan' };
  if (posInf || negInf) return { kind: 'inf', neg: negInf };
  return { kind: 'finite', sum, exp: a.scale - 127 + (b.scale - 127) + lsbOf(ea) + lsbOf(eb) };
}

/** Arbitrary block: scale often 0xFF, codes with zeros and (FP8) NaN / Inf codes placed on the
 * first 4 positions so that they meet each other and zeros on the other side. */
function arbitraryBlock(name: string): fc.Arbitrary<MxBlock> {
  const e = elem(name);
  const specials =
    e.kind === 'float' && e.specials === 'nan-only'
      ? [0x7f, 0xff]
      : e.kind === 'float' && e.specials === 'ieee'
        ? [0x7c, 0xfc, 0x7d, 0x7e, 0xff]
        : [];
  const signZero = e.kind === 'float' ? 1 << (e.bits - 1) : 0;
  const poolCode = fc.constantFrom(0, signZero, ...specials);
  return fc
    .tuple(
      fc.oneof(
        { arbitrary: fc.constant(0xff), weight: 1 },
        { arbitrary: fc.integer({ min: 0, max: 254 }), weight: 9 },
      ),
      fc.array(fc.integer({ min: 0, max: 2 ** e.bits - 1 }), { minLength: 32, maxLength: 32 }),
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), poolCode), { maxLength: 3 }),
    )
    .map(([scale, codes, inject]) => {
      const c = codes.map((x) => (classify(e, x).kind === 'fin' ? x : 0x01)); // finite base
      for (const [pos, code] of inject) c[pos] = code;
      return { format: getMxFormat(name), scale, codes: c };
    });
}

describe('MX Dot on arbitrary blocks (formats.md 5.2: X = 0xFF, NaN / Inf elements)', () => {
  const pairs: [string, string][] = [
    ...listMxFormats().map((f): [string, string] => [f.name, f.name]),
    ['mxfp8_e4m3', 'mxfp8_e5m2'],
    ['mxfp8_e4m3', 'mxfp4_e2m1'],
    ['mxint8', 'mxfp4_e2m1'],
  ];
  for (const [i, [na, nb]] of pairs.entries())
    it(`${na} × ${nb}: (S, Eres), NaN and ±Inf as 5.2 defines`, () => {
      const seen = { nan: 0, inf: 0, finite: 0 };
      fc.assert(
        fc.property(arbitraryBlock(na), arbitraryBlock(nb), (a, b) => {
          const want = expectedDot(elem(na), a, elem(nb), b);
          seen[want.kind]++;
          expect(mxDot(a, b)).to.deep.equal(want);
        }),
        { seed: 4000 + i, numRuns: 300 * N },
      );
      // the generator reaches every outcome of 5.2 (Inf only exists in E5M2)
      expect(seen.nan, 'NaN results').to.be.greaterThan(0);
      expect(seen.finite, 'finite results').to.be.greaterThan(0);
      if ([na, nb].includes('mxfp8_e5m2')) expect(seen.inf, 'Inf results').to.be.greaterThan(0);
    });
});
