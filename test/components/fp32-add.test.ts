// arith fp32Add (IEEE binary32 addition, RNE) against the golden expression
// toBinary32Bits(add(fromBinary32Bits(a), fromBinary32Bits(b))): a fast-check property over
// 120 000 pairs drawn to hit the hard cases, every ordered pair of ~1 500 chosen values, the same
// vectors in one Verilator build compared value by value, and lint in Verilator, Icarus, Yosys.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  buildVerilator,
  harnessSource,
  interfaceOf,
  mergeSv,
  runHarness,
  WRAPPER_TOP,
  wrapDesigns,
} from '../../src/backends/index.js';
import { FP32_ADD_NAN, fp32Add } from '../../src/components/arith/index.js';
import { emitSv } from '../../src/emit/sv/index.js';
import { elaborate, ModuleBuilder, MxgenError, s, u } from '../../src/hdl/index.js';
import { add, BINARY32_NAN, fromBinary32Bits, toBinary32Bits } from '../../src/numerics/index.js';
import { compile } from '../../src/sim/index.js';
import { lintAll } from '../support/lint-set.js';

const FUZZ = Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1'));
const RUNS = 120_000 * FUZZ;

const golden = (a: number, b: number): number =>
  toBinary32Bits(add(fromBinary32Bits(a), fromBinary32Bits(b)));

const hex = (x: number): string => `0x${(x >>> 0).toString(16).padStart(8, '0')}`;
const bits = (sign: number, exp: number, frac: number): number =>
  ((sign << 31) | (exp << 23) | (frac & 0x7fffff)) >>> 0;

function adderModule(): ModuleBuilder {
  const m = new ModuleBuilder('fp32_add');
  m.output('y', u(32)).set(fp32Add(m.input('a', u(32)), m.input('b', u(32))));
  return m;
}

const netlist = elaborate(adderModule());
const sim = compile(netlist);
function native(a: number, b: number): number {
  sim.poke('a', BigInt(a));
  sim.poke('b', BigInt(b));
  return Number(sim.peek('y'));
}

// ---- hard-case pairs ----
const sign = fc.integer({ min: 0, max: 1 });
const frac = fc.integer({ min: 0, max: 0x7fffff });
const finiteExp = fc.integer({ min: 0, max: 254 });
const NAN_PATTERNS = [0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fffffff, 0x7fa00000];
const SPECIALS = [0, 0x80000000, 0x7f800000, 0xff800000, ...NAN_PATTERNS];
/** A fraction with t trailing zeros (a tie or near-tie after alignment by about t bits). */
const fewLowBits = fc
  .tuple(frac, fc.integer({ min: 0, max: 23 }), fc.boolean())
  .map(([f, t, set]) => ((f >>> t) << t) | (set ? 1 << t : 0));
const pairWithDiff = (d: fc.Arbitrary<number>, f: fc.Arbitrary<number>) =>
  fc
    .tuple(sign, sign, d, fc.integer({ min: 0, max: 254 }), f, f)
    .map(([s1, s2, dd, e, f1, f2]): [number, number] => {
      const ea = Math.max(e, dd);
      return [bits(s1, ea, f1), bits(s2, ea - dd, f2)];
    });

const PAIRS: fc.Arbitrary<[number, number]> = fc.oneof(
  // Anything at all.
  fc.tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff })),
  // Equal exponents (either sign: exact add with carry, or cancellation).
  pairWithDiff(fc.constant(0), frac),
  // Exponents 1..30 apart, random and tie-prone fractions.
  pairWithDiff(fc.integer({ min: 1, max: 30 }), frac),
  pairWithDiff(fc.integer({ min: 1, max: 30 }), fewLowBits),
  // Exactly 24, 25, 26 apart (the smaller operand lands on guard/round/sticky).
  pairWithDiff(fc.constantFrom(23, 24, 25, 26, 27), fc.oneof(frac, fewLowBits)),
  // Ties in all positions: the smaller operand's lowest set bit d - 1 + t below the hidden bit.
  pairWithDiff(fc.integer({ min: 0, max: 27 }), fewLowBits),
  // Cancellation: b = -a nudged by a few ulps or one binade (to subnormal, zero, a few bits).
  fc
    .tuple(fc.nat({ max: 0x7f7fffff }), sign, fc.integer({ min: -40, max: 40 }), fc.boolean())
    .map(([m, s1, delta, shift]): [number, number] => {
      const mb = Math.min(0x7f7fffff, Math.max(0, m + delta + (shift ? 0x800000 : 0)));
      return [bits(s1, 0, 0) + m, bits(1 - s1, 0, 0) + mb];
    }),
  // Small operands: cancellation across the normal/subnormal boundary.
  fc
    .tuple(sign, sign, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), frac, frac)
    .map(([s1, s2, e1, e2, f1, f2]): [number, number] => [bits(s1, e1, f1), bits(s2, e2, f2)]),
  // Subnormal + subnormal.
  fc
    .tuple(sign, sign, frac, frac)
    .map(([s1, s2, f1, f2]): [number, number] => [bits(s1, 0, f1), bits(s2, 0, f2)]),
  // Near max finite + up to an ulp (overflow to Inf or not, on ties too).
  fc
    .tuple(
      sign,
      fc.integer({ min: 0x7ffff0, max: 0x7fffff }),
      fc.integer({ min: 98, max: 127 }),
      fewLowBits,
    )
    .map(([s1, f1, eb, f2]): [number, number] => [bits(s1, 254, f1), bits(s1, eb + 127, f2)]),
  // ±0, ±Inf, NaN with anything.
  fc
    .tuple(
      fc.constantFrom(...SPECIALS),
      fc.oneof(
        fc.constantFrom(...SPECIALS),
        fc.tuple(sign, finiteExp, frac).map(([s1, e, f]) => bits(s1, e, f)),
      ),
      fc.boolean(),
    )
    .map(([x, y, swap]): [number, number] => (swap ? [y, x] : [x, y])),
);

// ---- chosen values for the exhaustive pairs ----
function chosenValues(): number[] {
  const exps = [
    0, 1, 2, 3, 4, 22, 23, 24, 25, 26, 27, 28, 50, 100, 101, 102, 103, 104, 125, 126, 127, 128, 129,
    150, 151, 152, 153, 154, 200, 226, 227, 228, 229, 230, 252, 253, 254,
  ];
  const fracs = [
    0, 1, 2, 3, 0x400000, 0x400001, 0x7fffff, 0x7ffffe, 0x3fffff, 0x555555, 0x200000, 0x000100,
    0x0000ff, 0x600000, 0x123457, 0x7fff00, 0x000fff, 0x1fffff, 0x400003,
  ];
  const v = new Set<number>(SPECIALS);
  for (const e of exps) for (const f of fracs) for (const sg of [0, 1]) v.add(bits(sg, e, f));
  return [...v];
}
const CHOSEN = chosenValues();

interface Vec {
  readonly a: number;
  readonly b: number;
  readonly y: number;
}
const fcVectors: Vec[] = [];
let exhaustivePairs = 0;

describe('arith: fp32Add (binary32 RNE addition)', function () {
  this.timeout(20 * 60_000);

  it('rejects operands that are not u32', () => {
    const m = new ModuleBuilder('bad');
    expect(() => fp32Add(m.input('a', s(32)), m.input('b', u(32)))).to.throw(MxgenError, /u32/);
    expect(() => fp32Add(m.input('c', u(32)), m.input('d', u(31)))).to.throw(MxgenError, /u32/);
  });

  it('follows the golden conventions for zeros, NaN and Inf (checked on the golden too)', () => {
    const cases: [number, number, number][] = [
      [0x00000000, 0x80000000, 0x00000000], // +0 + -0 = +0
      [0x80000000, 0x00000000, 0x00000000],
      [0x80000000, 0x80000000, 0x80000000], // -0 + -0 = -0
      [0x3f800000, 0xbf800000, 0x00000000], // 1 + -1 = +0
      [0x80000001, 0x00000001, 0x00000000], // subnormal cancellation = +0
      [0x80000001, 0x00000000, 0x80000001], // x + 0 = x
      [0x80000000, 0x80000001, 0x80000001],
      [0x7f800000, 0xff800000, BINARY32_NAN], // +Inf + -Inf = NaN
      [0xffc00001, 0x3f800000, BINARY32_NAN], // a NaN loses sign and payload
      [0xff800000, 0x7f7fffff, 0xff800000],
      [0x7f7fffff, 0x73000000, 0x7f800000], // max + half ulp: tie to even overflows
      [0x7f7fffff, 0x72ffffff, 0x7f7fffff], // just below the tie
      [0x3f800000, 0x33800000, 0x3f800000], // 1 + 2^-24: tie, stays even
      [0x3f800001, 0x33800000, 0x3f800002], // 1+ulp + 2^-24: tie, rounds up to even
      [0x3f800000, 0xb3800000, 0x3f7fffff], // 1 - 2^-24: exact
      [0x00800000, 0x80000001, 0x007fffff], // min normal - min subnormal = max subnormal
      [0x007fffff, 0x00000001, 0x00800000], // max subnormal + min subnormal = min normal
    ];
    expect(FP32_ADD_NAN).to.equal(BINARY32_NAN);
    for (const [a, b, want] of cases) {
      expect(golden(a, b), `golden ${hex(a)} + ${hex(b)}`).to.equal(want);
      expect(native(a, b), `fp32Add ${hex(a)} + ${hex(b)}`).to.equal(want);
    }
  });

  it(`equals the golden on ${RUNS} hard-case pairs in the native simulator (fast-check)`, () => {
    fc.assert(
      fc.property(PAIRS, ([a, b]) => {
        const want = golden(a, b);
        const got = native(a, b);
        if (got !== want)
          throw new Error(`${hex(a)} + ${hex(b)}: fp32Add ${hex(got)}, golden ${hex(want)}`);
        fcVectors.push({ a, b, y: got });
      }),
      { seed: 20261206, numRuns: RUNS },
    );
    expect(fcVectors.length).to.equal(RUNS);
  });

  it(`equals the golden on every ordered pair of ${CHOSEN.length} chosen values`, () => {
    for (const a of CHOSEN)
      for (const b of CHOSEN) {
        const want = golden(a, b);
        const got = native(a, b);
        if (got !== want)
          expect.fail(`${hex(a)} + ${hex(b)}: fp32Add ${hex(got)}, golden ${hex(want)}`);
        exhaustivePairs++;
      }
    expect(exhaustivePairs).to.equal(CHOSEN.length ** 2);
  });

  it('Verilator (one build) equals the native sim and the golden on the same vectors', async () => {
    const sv = emitSv(netlist);
    const text = sv.files.map((f) => f.text).join('\n');
    const wrapper = wrapDesigns([interfaceOf(netlist, { text, top: sv.top })]);
    const build = await buildVerilator(
      { sv: mergeSv([text, wrapper.sv]), top: WRAPPER_TOP, harness: harnessSource(wrapper.spec) },
      { opt: 'O0' },
    );
    const layout = wrapper.designs[0];
    if (!layout) throw new Error('no wrapper layout');
    const colA = layout.inputs.find((p) => p.port === 'a')?.column ?? -1;
    const colB = layout.inputs.find((p) => p.port === 'b')?.column ?? -1;
    const colY = layout.outputs.find((p) => p.port === 'y')?.column ?? -1;
    // The fast-check vectors, then every chosen pair (recomputed natively), in chunks.
    expect(fcVectors.length, 'the fast-check pairs (run that test first)').to.equal(RUNS);
    const chunks: Vec[][] = [fcVectors];
    let cur: Vec[] = [];
    for (const a of CHOSEN)
      for (const b of CHOSEN) {
        cur.push({ a, b, y: native(a, b) });
        if (cur.length === 500_000) {
          chunks.push(cur);
          cur = [];
        }
      }
    if (cur.length > 0) chunks.push(cur);
    let compared = 0;
    for (const chunk of chunks) {
      const rows = chunk.map((v) => {
        const r = new Array<bigint>(wrapper.spec.inputs.length).fill(0n);
        r[colA] = BigInt(v.a);
        r[colB] = BigInt(v.b);
        return r;
      });
      const [out] = await runHarness(build.exe, wrapper.spec, [rows]);
      chunk.forEach((v, i) => {
        const got = Number(out?.[i]?.[colY] ?? -1n);
        if (got !== v.y)
          expect.fail(`${hex(v.a)} + ${hex(v.b)}: verilator ${hex(got)}, native ${hex(v.y)}`);
        compared++;
      });
    }
    expect(compared).to.equal(RUNS + CHOSEN.length ** 2);
  });

  it('a module wrapping it is clean in verilator --lint-only -Wall, Icarus and Yosys', async () => {
    expect(
      await lintAll([{ name: 'fp32_add', sv: emitSv(elaborate(adderModule())) }]),
    ).to.deep.equal([]);
  });
});
