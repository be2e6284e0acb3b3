// Per operator: build a one-op netlist on random shapes (widths 1..128), evaluate it with the
// reference interpreter (test/support/netlist-interp.ts) and the native simulator (src/sim: the
// two must agree bit for bit, test/support/hdl-run.ts) and compare with exact BigInt arithmetic
// written here from the rules of docs/hdl.md. Fixed seeds; MXGEN_FUZZ_N scales the runs.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  type BuilderOp,
  cat,
  type Expr,
  mux,
  OPS,
  s,
  type Shape,
  shapeRange,
  u,
} from '../../../src/hdl/index.js';
import { netlistProblems } from '../../support/check-netlist.js';
import { buildOp, evalOp } from '../../support/hdl-run.js';

const RUNS = Math.max(1, Math.round(40 * Number(process.env.MXGEN_FUZZ_N ?? 1)));
const SEED = 4_2024;

const pat = (v: bigint, w: number): bigint => BigInt.asUintN(w, v);
const wrap = (v: bigint, sh: Shape): bigint =>
  sh.signed ? BigInt.asIntN(sh.width, v) : BigInt.asUintN(sh.width, v);
const bit = (c: boolean): bigint => (c ? 1n : 0n);

const shapeArb = (maxW = 128, signed?: boolean): fc.Arbitrary<Shape> =>
  fc
    .tuple(
      fc.integer({ min: 1, max: maxW }),
      signed === undefined ? fc.boolean() : fc.constant(signed),
    )
    .map(([w, sg]) => (sg ? s(w) : u(w)));

const valueArb = (sh: Shape): fc.Arbitrary<bigint> => {
  const [min, max] = shapeRange(sh);
  return fc.bigInt({ min, max });
};

/** A case: operand shapes, constant parameters, the builder body and the exact expectation. */
interface Spec {
  readonly shapes: fc.Arbitrary<{ shapes: Shape[]; params: number[] }>;
  readonly body: (p: number[]) => (...xs: Expr[]) => Expr;
  readonly exact: (v: bigint[], x: Shape[], p: number[]) => bigint;
}

const noParams = (shapes: fc.Arbitrary<Shape[]>): Spec['shapes'] =>
  shapes.map((sh) => ({ shapes: sh, params: [] }));
const sameSign = (n: 1 | 2): Spec['shapes'] =>
  noParams(fc.boolean().chain((sg) => fc.array(shapeArb(128, sg), { minLength: n, maxLength: n })));
const identical = noParams(shapeArb().map((sh) => [sh, sh]));
const one = noParams(shapeArb().map((sh) => [sh]));
const binary =
  (f: (a: bigint, b: bigint) => bigint): Spec['exact'] =>
  (v) =>
    f(v[0] ?? 0n, v[1] ?? 0n);
const bitwise =
  (f: (a: bigint, b: bigint) => bigint): Spec['exact'] =>
  (v, x) => {
    const sh = x[0] as Shape;
    return wrap(f(pat(v[0] ?? 0n, sh.width), pat(v[1] ?? 0n, sh.width)), sh);
  };

const SPECS: Record<BuilderOp, Spec> = {
  add: { shapes: sameSign(2), body: () => (a, b) => a.add(b), exact: binary((a, b) => a + b) },
  sub: { shapes: sameSign(2), body: () => (a, b) => a.sub(b), exact: binary((a, b) => a - b) },
  mul: { shapes: sameSign(2), body: () => (a, b) => a.mul(b), exact: binary((a, b) => a * b) },
  neg: { shapes: one, body: () => (a) => a.neg(), exact: (v) => -(v[0] ?? 0n) },
  addWrap: {
    shapes: identical,
    body: () => (a, b) => a.addWrap(b),
    exact: (v, x) => wrap((v[0] ?? 0n) + (v[1] ?? 0n), x[0] as Shape),
  },
  subWrap: {
    shapes: identical,
    body: () => (a, b) => a.subWrap(b),
    exact: (v, x) => wrap((v[0] ?? 0n) - (v[1] ?? 0n), x[0] as Shape),
  },
  mulWrap: {
    shapes: identical,
    body: () => (a, b) => a.mulWrap(b),
    exact: (v, x) => wrap((v[0] ?? 0n) * (v[1] ?? 0n), x[0] as Shape),
  },
  and: { shapes: identical, body: () => (a, b) => a.and(b), exact: bitwise((a, b) => a & b) },
  or: { shapes: identical, body: () => (a, b) => a.or(b), exact: bitwise((a, b) => a | b) },
  xor: { shapes: identical, body: () => (a, b) => a.xor(b), exact: bitwise((a, b) => a ^ b) },
  not: {
    shapes: one,
    body: () => (a) => a.not(),
    // two's complement: ~a = -a - 1 (signed); 2^w - 1 - a (unsigned)
    exact: (v, x) => {
      const sh = x[0] as Shape;
      return sh.signed ? -(v[0] ?? 0n) - 1n : (1n << BigInt(sh.width)) - 1n - (v[0] ?? 0n);
    },
  },
  eq: { shapes: sameSign(2), body: () => (a, b) => a.eq(b), exact: binary((a, b) => bit(a === b)) },
  ne: { shapes: sameSign(2), body: () => (a, b) => a.ne(b), exact: binary((a, b) => bit(a !== b)) },
  lt: { shapes: sameSign(2), body: () => (a, b) => a.lt(b), exact: binary((a, b) => bit(a < b)) },
  le: { shapes: sameSign(2), body: () => (a, b) => a.le(b), exact: binary((a, b) => bit(a <= b)) },
  gt: { shapes: sameSign(2), body: () => (a, b) => a.gt(b), exact: binary((a, b) => bit(a > b)) },
  ge: { shapes: sameSign(2), body: () => (a, b) => a.ge(b), exact: binary((a, b) => bit(a >= b)) },
  shl: {
    shapes: fc
      .tuple(shapeArb(), fc.integer({ min: 0, max: 70 }))
      .map(([sh, k]) => ({ shapes: [sh], params: [k] })),
    body: (p) => (a) => a.shl(p[0] ?? 0),
    exact: (v, _x, p) => (v[0] ?? 0n) * 2n ** BigInt(p[0] ?? 0),
  },
  shr: {
    shapes: fc
      .tuple(shapeArb(), fc.integer({ min: 0, max: 140 }))
      .map(([sh, k]) => ({ shapes: [sh], params: [k] })),
    body: (p) => (a) => a.shr(p[0] ?? 0),
    // floor division by 2^k (BigInt >> rounds toward minus infinity)
    exact: (v, _x, p) => (v[0] ?? 0n) >> BigInt(p[0] ?? 0),
  },
  shlBy: {
    shapes: noParams(fc.tuple(shapeArb(), shapeArb(6, false))),
    body: () => (a, n) => a.shlBy(n),
    exact: binary((a, n) => a * 2n ** n),
  },
  shrBy: {
    shapes: noParams(fc.tuple(shapeArb(), shapeArb(9, false))),
    body: () => (a, n) => a.shrBy(n),
    exact: binary((a, n) => a >> n),
  },
  mux: {
    shapes: noParams(shapeArb().map((sh) => [u(1), sh, sh])),
    body: () => (c, x, y) => mux(c, x, y),
    exact: (v) => (v[0] === 1n ? v[1] : v[2]) ?? 0n,
  },
  cat: {
    shapes: noParams(fc.array(shapeArb(64), { minLength: 1, maxLength: 4 })),
    body:
      () =>
      (...xs) =>
        cat(...xs),
    exact: (v, x) =>
      v.reduce(
        (acc, a, i) => (acc << BigInt((x[i] as Shape).width)) | pat(a, (x[i] as Shape).width),
        0n,
      ),
  },
  bits: {
    shapes: shapeArb()
      .chain((sh) =>
        fc.tuple(
          fc.constant(sh),
          fc.integer({ min: 0, max: sh.width - 1 }),
          fc.integer({ min: 0, max: sh.width - 1 }),
        ),
      )
      .map(([sh, i, j]) => ({ shapes: [sh], params: [Math.max(i, j), Math.min(i, j)] })),
    body: (p) => (a) => a.bits(p[0] ?? 0, p[1] ?? 0),
    exact: (v, x, p) => {
      const [hi = 0, lo = 0] = p;
      return (
        (pat(v[0] ?? 0n, (x[0] as Shape).width) >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n)
      );
    },
  },
  andR: {
    shapes: one,
    body: () => (a) => a.andR(),
    exact: (v, x) =>
      bit(pat(v[0] ?? 0n, (x[0] as Shape).width) === (1n << BigInt((x[0] as Shape).width)) - 1n),
  },
  orR: { shapes: one, body: () => (a) => a.orR(), exact: (v) => bit(v[0] !== 0n) },
  xorR: {
    shapes: one,
    body: () => (a) => a.xorR(),
    exact: (v, x) =>
      BigInt(
        [...pat(v[0] ?? 0n, (x[0] as Shape).width).toString(2)].filter((c) => c === '1').length % 2,
      ),
  },
  asSigned: {
    shapes: one,
    body: () => (a) => a.asSigned(),
    exact: (v, x) => BigInt.asIntN((x[0] as Shape).width, v[0] ?? 0n),
  },
  asUnsigned: {
    shapes: one,
    body: () => (a) => a.asUnsigned(),
    exact: (v, x) => BigInt.asUintN((x[0] as Shape).width, v[0] ?? 0n),
  },
  toSigned: {
    shapes: noParams(shapeArb(128, false).map((sh) => [sh])),
    body: () => (a) => a.toSigned(),
    exact: (v) => v[0] ?? 0n,
  },
  extend: {
    shapes: fc
      .tuple(shapeArb(), fc.integer({ min: 0, max: 70 }))
      .map(([sh, d]) => ({ shapes: [sh], params: [sh.width + d] })),
    body: (p) => (a) => a.extend(p[0] ?? 1),
    exact: (v) => v[0] ?? 0n,
  },
  trunc: {
    shapes: shapeArb()
      .chain((sh) => fc.tuple(fc.constant(sh), fc.integer({ min: 1, max: sh.width })))
      .map(([sh, w]) => ({ shapes: [sh], params: [w] })),
    body: (p) => (a) => a.trunc(p[0] ?? 1),
    exact: (v, x, p) => wrap(v[0] ?? 0n, { width: p[0] ?? 1, signed: (x[0] as Shape).signed }),
  },
};

describe('hdl ops (property): elaborated netlist equals exact BigInt arithmetic', () => {
  it('covers every operator of the table', () => {
    expect(Object.keys(SPECS).sort()).to.deep.equal(Object.keys(OPS).sort());
  });
  for (const [op, spec] of Object.entries(SPECS)) {
    it(`${OPS[op as BuilderOp].call} on random shapes (widths 1..128)`, () => {
      const arb = spec.shapes.chain((c) =>
        fc.tuple(fc.constant(c), fc.tuple(...c.shapes.map(valueArb))),
      );
      fc.assert(
        fc.property(arb, ([{ shapes, params }, values]) => {
          const built = buildOp(shapes, spec.body(params));
          expect(netlistProblems(built.netlist)).to.deep.equal([]);
          const got = evalOp(built, shapes, values);
          const want = spec.exact(values, shapes, params);
          expect(
            got,
            `${op} ${shapes.map((x) => `${x.signed ? 's' : 'u'}${x.width}`).join(',')} [${params.join(',')}] on ${values.join(', ')}`,
          ).to.equal(want);
        }),
        { seed: SEED, numRuns: RUNS },
      );
    });
  }
});
