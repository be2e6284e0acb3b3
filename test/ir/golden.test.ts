// The golden model's conversions and one linear op, against hand calculations.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  designToGraph,
  goldenToken,
  ConstCache,
  inferPass,
  quantizePass,
  runPasses,
  quantizeElement,
  quantizeIntReals,
  intDot,
  numericDot,
  mxBlockwise,
  intRowOf,
  quantizeTo,
  quantizeFixed,
  quantizeMx,
  quantizeMxReals,
  quantizeOlive,
  quantizeOliveReals,
  type QVector,
  toNumber,
} from '../../src/ir/index.js';
import {
  add,
  decode,
  dotGeneral,
  type Exact,
  fromInt,
  fromNumber,
  getMxFormat,
  mul,
} from '../../src/numerics/index.js';

const ex = (xs: number[]) => xs.map((x) => fromNumber(x));

describe('ir: golden conversions (formats.md 7.2, 4)', () => {
  it('int8 at 2^0: RNE ties to even, saturation at 127 / -128', () => {
    // 2.5 -> 2 (tie, even), 3.5 -> 4, -2.5 -> -2, 200 -> 127, -200 -> -128 (code 0x80).
    const q = quantizeElement(ex([2.5, 3.5, -2.5, 200, -200]), 'int8', 0);
    expect(q.codes).to.deep.equal([2, 4, 0xfe, 127, 0x80]);
  });
  it('int8 at 2^-2: 0.3 -> RNE(1.2) = 1; -0.375 -> RNE(-1.5) = -2', () => {
    expect(quantizeElement(ex([0.3, -0.375]), 'int8', -2).codes).to.deep.equal([1, 0xfe]);
  });
  it("quantizeIntReals (binary64 fast path) gives the exact path's codes and values", () => {
    // Dyadic reals as the seeded data (k / 2^16 · 2^e), ties and saturation included.
    const real = fc
      .tuple(fc.integer({ min: -(2 ** 20), max: 2 ** 20 }), fc.integer({ min: -12, max: 12 }))
      .map(([k, e]) => (k / 2 ** 16) * 2 ** e);
    fc.assert(
      fc.property(
        fc.constantFrom('int2', 'int3', 'int4', 'int6', 'int8', 'uint4', 'uint8'),
        fc.integer({ min: -10, max: 10 }),
        fc.array(fc.oneof(real, fc.constantFrom(0, -0, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5)), {
          maxLength: 24,
        }),
        (name, s, xs) => {
          const fast = quantizeIntReals(xs, name, s);
          const want = quantizeElement(ex(xs), name, s);
          expect(fast?.codes).to.deep.equal(want.codes);
          expect(fast?.values).to.deep.equal(want.values);
        },
      ),
      { seed: 1206, numRuns: 400 },
    );
  });
  it("quantizeMxReals (binary64 fast path) gives quantizeMx's codes, scales and values", () => {
    // Every MX float element format; blocks at every shared-exponent range (clamped at ±127 too),
    // with grid values, midpoints between them (RNE ties), values beyond the largest one, ±0,
    // and arbitrary reals (rounded to binary32 first); short tails; a non-finite block.
    const names = ['mxfp4_e2m1', 'mxfp6_e2m3', 'mxfp6_e3m2', 'mxfp8_e4m3', 'mxfp8_e5m2'];
    const real = (name: string, e: number) => {
      const el = getMxFormat(name).element;
      const grid = Array.from({ length: 2 ** (el.bits - 1) }, (_, c) => decode(el, c))
        .filter((v) => v.kind === 'finite')
        .map((v) => toNumber(v));
      const at = fc.integer({ min: 0, max: grid.length - 1 });
      const sign = fc.constantFrom(1, -1);
      return fc.oneof(
        fc.tuple(at, sign).map(([i, sg]) => sg * (grid[i] as number) * 2 ** e),
        fc
          .tuple(at, sign)
          .map(([i, sg]) => (sg * ((grid[i] as number) + (grid[i + 1] ?? 0)) * 2 ** e) / 2),
        fc.double({ min: -(2 ** (e + 10)), max: 2 ** (e + 10), noNaN: true }),
        fc.constantFrom(0, -0, 1e300, -1e-300),
      );
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.integer({ min: -140, max: 140 }),
        fc.integer({ min: 1, max: 70 }),
        fc.nat(),
        (name, e, n, seed) => {
          const xs = fc.sample(fc.array(real(name, e), { minLength: n, maxLength: n }), {
            seed,
            numRuns: 1,
          })[0] as number[];
          const fast = quantizeMxReals(xs, name);
          const want = quantizeMx(ex(xs), name);
          expect(fast?.codes).to.deep.equal(want.codes);
          expect(fast?.scales).to.deep.equal(want.scales);
          expect(fast?.values).to.deep.equal(want.values);
        },
      ),
      { seed: 1208, numRuns: 600 },
    );
    expect(quantizeMxReals([1, 2], 'mxint8')).to.equal(undefined);
  });
  it("quantizeOliveReals (binary64 fast path) gives quantizeOlive's codes and values", () => {
    // Multiples of σ/4 (the decision points 2|x| = (c_i + c_i+1)·σ and both sides of them),
    // past the top outlier, ±0, arbitrary reals (rounded to binary32 first), odd lengths.
    const real = (s: number) =>
      fc.oneof(
        fc.integer({ min: -4 * 4100, max: 4 * 4100 }).map((k) => (k / 4) * 2 ** s),
        fc.double({ min: -(2 ** (s + 13)), max: 2 ** (s + 13), noNaN: true }),
        fc.constantFrom(0, -0, 1e30, -1e-30),
      );
    fc.assert(
      fc.property(
        fc.constantFrom('olive4' as const, 'olive8' as const),
        fc.integer({ min: -20, max: 20 }),
        fc.integer({ min: 1, max: 41 }),
        fc.nat(),
        (variant, s, n, seed) => {
          const xs = fc.sample(fc.array(real(s), { minLength: n, maxLength: n }), {
            seed,
            numRuns: 1,
          })[0] as number[];
          const fast = quantizeOliveReals(xs, variant, s);
          const want = quantizeOlive(ex(xs), variant, s);
          expect(fast?.codes).to.deep.equal(want.codes);
          expect(fast?.values).to.deep.equal(want.values);
        },
      ),
      { seed: 1211, numRuns: 500 },
    );
    expect(quantizeOliveReals([1, Infinity], 'olive4', 0)).to.equal(undefined);
  });
  it('intDot (integer codes in binary64) equals the exact dot product of the values', () => {
    const fmt = fc.constantFrom('int2', 'int4', 'int8', 'uint4', 'uint8');
    fc.assert(
      fc.property(
        fmt,
        fmt,
        fc.integer({ min: -6, max: 6 }),
        fc.integer({ min: -6, max: 6 }),
        fc.array(
          fc.tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -300, max: 300 })),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        (fa, fb, sa, sb, pairs) => {
          const x = quantizeElement(ex(pairs.map(([a]) => a / 4)), fa, sa);
          const w = quantizeElement(ex(pairs.map(([, b]) => b / 8)), fb, sb);
          let want: Exact = fromInt(0n);
          x.values.forEach((v, k) => (want = add(want, mul(v, w.values[k] ?? fromInt(0n)))));
          expect(intDot(x, w)).to.deep.equal(want);
        },
      ),
      { seed: 1207, numRuns: 400 },
    );
  });
  it('numericDot (binary64 where exact) equals the exact dot product of any two rows', () => {
    // Dyadic values of a few bits at exponents that overlap (the fast path) or span too much
    // (the exact path), zeros of both signs, wide significands, an infinity.
    const value = fc.oneof(
      fc
        .tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -12, max: 12 }))
        .map(([m, e]) => fromNumber(m * 2 ** e)),
      fc
        .tuple(fc.integer({ min: -7, max: 7 }), fc.integer({ min: -1100, max: 1100 }))
        .map(([m, e]) => fromInt(BigInt(m), e)),
      fc.constantFrom(fromNumber(0), fromNumber(-0), fromInt(2n ** 60n + 1n, 0)),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => fromNumber(d)),
      fc.constant(fromNumber(Infinity)),
    );
    const narrow = fc
      .tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -4, max: 4 }))
      .map(([m, e]) => fromNumber(m * 2 ** e));
    let fast = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.boolean(), fc.nat(), (n, wide, seed) => {
        const gen = wide ? value : narrow;
        const [xs, ws] = fc.sample(
          fc.tuple(
            fc.array(gen, { minLength: n, maxLength: n }),
            fc.array(gen, { minLength: n, maxLength: n }),
          ),
          { seed, numRuns: 1 },
        )[0] as [Exact[], Exact[]];
        const row = (values: Exact[]): QVector => ({ codes: [], scales: [], values });
        let want: Exact = fromInt(0n);
        xs.forEach((v, k) => (want = add(want, mul(v, ws[k] ?? fromInt(0n)))));
        const got = numericDot(row(xs), row(ws));
        if (got !== undefined) {
          fast++;
          expect(got).to.deep.equal(want);
        } else expect(wide).to.equal(true); // narrow rows always fit
      }),
      { seed: 1210, numRuns: 600 },
    );
    expect(fast).to.be.greaterThan(300);
  });
  it('numericDot of an integer row (from its codes) and any row equals the exact dot', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('int2', 'int4', 'int8', 'uint4', 'uint8'),
        fc.integer({ min: -8, max: 8 }),
        fc.array(
          fc.tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -300, max: 300 })),
          { minLength: 1, maxLength: 40 },
        ),
        (fmt, sa, pairs) => {
          const x = quantizeElement(ex(pairs.map(([a]) => a / 4)), fmt, sa);
          // The other row: dyadic values, not an integer row.
          const w: QVector = { codes: [], scales: [], values: ex(pairs.map(([, b]) => b / 16)) };
          let want: Exact = fromInt(0n);
          x.values.forEach((v, k) => (want = add(want, mul(v, w.values[k] ?? fromInt(0n)))));
          expect(numericDot(x, w)).to.deep.equal(want);
          expect(numericDot(w, x)).to.deep.equal(want);
        },
      ),
      { seed: 1212, numRuns: 300 },
    );
  });
  it('32-bit biases at 2^-3: 0.0625 -> RNE(0.5) = 0, 0.1875 -> RNE(1.5) = 2', () => {
    expect(quantizeFixed(ex([0.0625, 0.1875]), 32, -3).codes).to.deep.equal([0, 2]);
  });
  it('mxfp8_e4m3 of [1, 0.5, ...]: scale 2^(0-8) -> X = 119; 1 = 2^8·2^-8 -> E4M3 0x78', () => {
    // amax = 1, floor(log2 1) = 0, emax(E4M3) = 8, s = -8; 1·2^8 = 256 = 1.0·2^8 -> e = 8+7 = 15 -> 0x78.
    // 0.5·2^8 = 128 = 2^7 -> e = 14 -> 0x70.
    const q = quantizeMx(ex([1, 0.5]), 'mxfp8_e4m3');
    expect(q.scales).to.deep.equal([119]);
    expect(q.codes).to.deep.equal([0x78, 0x70]);
  });
});

describe('ir: golden linear', () => {
  it('y = W x with W = [[1, -2], [0.5, 0.25]], x = [3, 5] as int8 codes, output int8 at 2^1', () => {
    const g = designToGraph(
      {
        design: 'hand',
        graph: [
          { op: 'input', name: 'x', features: 2 },
          {
            op: 'linear',
            name: 'fc',
            input: 'x',
            features: 2,
            weights: [
              [1, -2],
              [0.5, 0.25],
            ],
          },
        ],
        precision: { weights: 'int8', activations: 'int8' },
      },
      'hand.yaml',
    );
    const q = runPasses(g, [inferPass, quantizePass]).graph;
    const fc = q.nodes.find((n) => n.name === 'fc');
    if (!fc?.type) throw new Error('no fc');
    fc.type = { ...fc.type, format: { kind: 'element', name: 'int8', scaleExp: 1 } };
    // Weights int8: amax 2 -> scale 2^-5 (2/2^-5 = 64 ≤ 127; 2/2^-6 = 128 > 127), so W is exact.
    const x: QVector = { codes: [3, 5], scales: [], values: ex([3, 5]) };
    const out = goldenToken(q, new Map([['x', x]]), new ConstCache(q)).get('fc');
    // Row 0: 3 - 10 = -7 -> -7/2 = -3.5 -> RNE -4 -> 0xFC. Row 1: 1.5 + 1.25 = 2.75 -> 1.375 -> 1.
    expect(out?.codes).to.deep.equal([0xfc, 1]);
  });
});

describe('ir: golden linear after relu (integer rows stay on their codes)', () => {
  // x -> fc1 -> relu -> fc2, int8 everywhere: relu keeps fc1's codes but the negative ones and
  // its scale, so fc2's dot products run on codes (intDot); they must equal the exact dot of the
  // relu'd values with each weight row.
  it("relu's output is an integer row and fc2 equals the exact dot of its values", () => {
    const g = designToGraph(
      {
        design: 'hand',
        seed: 3,
        graph: [
          { op: 'input', name: 'x', features: 12 },
          { op: 'linear', name: 'fc1', input: 'x', features: 9 },
          { op: 'relu', name: 'act', input: 'fc1' },
          { op: 'linear', name: 'fc2', input: 'act', features: 5 },
        ],
        precision: { weights: 'int8', activations: 'int8' },
      },
      'hand.yaml',
    );
    const q = runPasses(g, [inferPass, quantizePass]).graph;
    const consts = new ConstCache(q);
    const x = quantizeElement(
      ex(Array.from({ length: 12 }, (_, i) => ((i * 37) % 23) - 11)),
      'int8',
      0,
    );
    const env = goldenToken(q, new Map([['x', x]]), consts);
    const act = env.get('act');
    const fc1 = env.get('fc1');
    if (!act || !fc1) throw new Error('no act');
    expect(fc1.codes.some((c) => c >= 128)).to.equal(true); // some negative codes were cut
    expect(intRowOf(act)).to.deep.equal(intRowOf(fc1));
    const fc2 = q.nodes.find((n) => n.name === 'fc2');
    if (fc2?.op !== 'linear' || !fc2.type?.format) throw new Error('no fc2');
    const rows = consts.quantized(fc2.weight);
    const bias = fc2.bias ? consts.quantized(fc2.bias)[0]?.values : undefined;
    const exact = rows.map((r, j) => {
      let s: Exact = fromInt(0n);
      act.values.forEach((v, k) => (s = add(s, mul(v, r.values[k] ?? fromInt(0n)))));
      expect(intDot(act, r)).to.deep.equal(s);
      return bias ? add(s, bias[j] ?? fromInt(0n)) : s;
    });
    expect(env.get('fc2')?.codes).to.deep.equal(quantizeTo(exact, fc2.type.format).codes);
  });
});

describe('ir: golden MX linear over several blocks (fp32-blockwise, formats.md 5.2)', () => {
  it('mxBlockwise (binary64 where exact) equals dotGeneral fp32-blockwise on random codes', () => {
    // Random codes (NaN and infinite elements included), scales over the whole E8M0 range (NaN
    // 0xff, subnormal and overflowing block results; nearby scales, where the binary32 rounding
    // of the running sum matters), short tails; every pair of MX formats.
    const names = ['mxfp4_e2m1', 'mxfp6_e2m3', 'mxfp6_e3m2', 'mxfp8_e4m3', 'mxfp8_e5m2', 'mxint8'];
    const vec = (name: string, n: number) => {
      const bits = getMxFormat(name).element.bits;
      return fc.record({
        codes: fc.array(fc.integer({ min: 0, max: 2 ** bits - 1 }), {
          minLength: n,
          maxLength: n,
        }),
        scales: fc.array(
          fc.oneof(
            fc.integer({ min: 126, max: 128 }),
            fc.integer({ min: 100, max: 150 }),
            fc.integer({ min: 0, max: 255 }),
            fc.constantFrom(0, 1, 254, 255),
          ),
          { minLength: Math.ceil(n / 32), maxLength: Math.ceil(n / 32) },
        ),
      });
    };
    const blocks = (v: { codes: number[]; scales: number[] }, name: string) =>
      v.scales.map((scale, b) => ({
        format: getMxFormat(name),
        scale,
        codes: v.codes.slice(b * 32, (b + 1) * 32),
      }));
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.constantFrom(...names),
        fc.integer({ min: 33, max: 300 }),
        fc.nat(),
        (na, nb, n, seed) => {
          const [a, b] = fc.sample(fc.tuple(vec(na, n), vec(nb, n)), { seed, numRuns: 1 })[0] as [
            { codes: number[]; scales: number[] },
            { codes: number[]; scales: number[] },
          ];
          const x: QVector = { ...a, values: [] };
          const w: QVector = { ...b, values: [] };
          const got = mxBlockwise(x, { kind: 'mx', name: na }, w, { kind: 'mx', name: nb });
          const want = dotGeneral(blocks(a, na), blocks(b, nb), 'fp32-blockwise').value;
          expect(got).to.deep.equal(want);
        },
      ),
      { seed: 1209, numRuns: 800 },
    );
  });
  // x and the weight row are 64 features = 2 blocks: block 0 holds 4096 at feature 0, block 1
  // holds 1 at feature 32, everything else 0. Dot(block 0) = 4096·4096 = 2^24, Dot(block 1) = 1.
  // Exact: 2^24 + 1. fp32-blockwise: +0 + 2^24 = 2^24, then 2^24 + 1 is a binary32 tie (the
  // spacing at 2^24 is 2) and RNE keeps the even significand: 2^24.
  const row = Array.from({ length: 64 }, (_, i) => (i === 0 ? 4096 : i === 32 ? 1 : 0));
  const compileHand = (features: number) => {
    const g = designToGraph(
      {
        design: 'hand',
        graph: [
          { op: 'input', name: 'x', features },
          {
            op: 'linear',
            name: 'fc',
            input: 'x',
            features: 1,
            weights: [row.slice(0, features)],
          },
        ],
        precision: { weights: 'mxfp4_e2m1', activations: 'mxfp8_e4m3', input: 'mxfp8_e4m3' },
      },
      'hand.yaml',
    );
    const q = runPasses(g, [inferPass, quantizePass]).graph;
    const fc = q.nodes.find((n) => n.name === 'fc');
    if (!fc?.type) throw new Error('no fc');
    fc.type = { ...fc.type, format: { kind: 'exact' } }; // the accumulator's value itself
    return q;
  };
  it('x: 4096 = 1.0·2^8 (E4M3 0x78) at X = 131 in block 0, 1 = 0x78 at X = 119 in block 1', () => {
    // amax 4096: floor(log2) = 12, emax(E4M3) = 8, X = 127 + 4 = 131; amax 1: X = 127 - 8 = 119.
    const x = quantizeMx(ex(row), 'mxfp8_e4m3');
    expect(x.scales).to.deep.equal([131, 119]);
    expect([x.codes[0], x.codes[32]]).to.deep.equal([0x78, 0x78]);
  });
  it('2^24 + 1 exactly would be the sum; the binary32 block accumulator gives 2^24', () => {
    const q = compileHand(64);
    const x = quantizeMx(ex(row), 'mxfp8_e4m3');
    const out = goldenToken(q, new Map([['x', x]]), new ConstCache(q)).get('fc');
    expect(toNumber(out?.values[0] ?? fromNumber(0))).to.equal(2 ** 24);
    // The same two blocks summed exactly differ by 1 (what the single-block rule would give).
    const exact = dotGeneral(
      [0, 1].map((b) => ({
        format: getMxFormat('mxfp8_e4m3'),
        scale: x.scales[b] ?? 0,
        codes: x.codes.slice(32 * b, 32 * b + 32),
      })),
      [0, 1].map((b) => {
        const w = quantizeMx(ex(row), 'mxfp4_e2m1');
        return {
          format: getMxFormat('mxfp4_e2m1'),
          scale: w.scales[b] ?? 0,
          codes: w.codes.slice(32 * b, 32 * b + 32),
        };
      }),
      'exact',
    );
    expect(toNumber(exact.value)).to.equal(2 ** 24 + 1);
  });
  it('a single block (K = 32) stays exact: Dot(block 0) = 2^24', () => {
    const q = compileHand(32);
    const x = quantizeMx(ex(row.slice(0, 32)), 'mxfp8_e4m3');
    const out = goldenToken(q, new Map([['x', x]]), new ConstCache(q)).get('fc');
    expect(toNumber(out?.values[0] ?? fromNumber(0))).to.equal(2 ** 24);
  });
});
