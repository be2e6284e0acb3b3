// The width/sign rules of every builder operator, as one table of data (docs/hdl.md quotes it,
// test/unit/hdl/ops.test.ts has one case per row). Exact by default: only trunc, bits and the
// *Wrap operators drop bits; nothing is extended or truncated implicitly.
import { MxgenError } from './errors.js';
import { MAX_WIDTH, type Shape, sameShape, shapeName, shapeOfWidth } from './shape.js';
import { here } from './srcloc.js';

export type BuilderOp =
  | 'add'
  | 'sub'
  | 'mul'
  | 'neg'
  | 'addWrap'
  | 'subWrap'
  | 'mulWrap'
  | 'and'
  | 'or'
  | 'xor'
  | 'not'
  | 'eq'
  | 'ne'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'shl'
  | 'shr'
  | 'shlBy'
  | 'shrBy'
  | 'mux'
  | 'cat'
  | 'bits'
  | 'andR'
  | 'orR'
  | 'xorR'
  | 'asSigned'
  | 'asUnsigned'
  | 'toSigned'
  | 'extend'
  | 'trunc';

export interface OpRule {
  /** How the operator is called (`a.add(b)`). */
  readonly call: string;
  /** What the operands must be. */
  readonly operands: string;
  /** The result shape. */
  readonly result: string;
  /** Checks operand shapes and constant parameters; returns the result shape or throws. */
  readonly shape: (x: readonly Shape[], p: readonly number[]) => Shape;
}

function fail(message: string, hint: string): never {
  throw new MxgenError('shape', message, { loc: here(), hint });
}

function result(op: string, width: number, signed: boolean): Shape {
  if (width > MAX_WIDTH)
    fail(
      `the result of ${op} would be ${width} bits wide, above the limit of ${MAX_WIDTH}`,
      'truncate an operand first (.trunc(w)) or split the computation',
    );
  return shapeOfWidth(width, signed);
}

const names = (x: readonly Shape[]): string => x.map(shapeName).join(' and ');

/** How hints name the two operands: by side and shape, never by the user's variable names. */
type Sides = readonly [string, string];
const OPERANDS: Sides = ['left-hand operand', 'right-hand operand'];
const ARMS: Sides = ['first arm', 'second arm'];

/** `the right-hand operand (u8)`. */
const side = (sides: Sides, x: readonly Shape[], i: 0 | 1): string =>
  `the ${sides[i]} (${shapeName(x[i] as Shape)})`;

/** Both operands signed or both unsigned, else the error naming toSigned() and asSigned(). */
function sameSign(op: string, x: readonly Shape[], sides: Sides = OPERANDS): void {
  const [a, b] = x as [Shape, Shape];
  if (a.signed === b.signed) return;
  const un = a.signed ? 1 : 0;
  const w = (x[un] as Shape).width;
  fail(
    `cannot ${op} ${names(x)}: operands must share signedness`,
    `${side(sides, x, un)}: .toSigned() keeps the value (s${w + 1}); ` +
      `.asSigned() reinterprets the bits (s${w})`,
  );
}

function identical(op: string, x: readonly Shape[], what = 'operands', sides = OPERANDS): void {
  const [a, b] = x as [Shape, Shape];
  if (sameShape(a, b)) return;
  sameSign(op, x, sides);
  const [wide, narrow] = a.width > b.width ? ([0, 1] as const) : ([1, 0] as const);
  fail(
    `cannot ${op} ${names(x)}: ${what} must have identical shapes`,
    `widen ${side(sides, x, narrow)} with .extend(${Math.max(a.width, b.width)}), or ` +
      `drop the top bits of ${side(sides, x, wide)} with .trunc(${Math.min(a.width, b.width)})`,
  );
}

function natural(op: string, v: number, what: string): number {
  if (!Number.isInteger(v) || v < 0 || v > MAX_WIDTH)
    fail(`${op}: ${what} must be an integer in 0..${MAX_WIDTH}; got ${v}`, `pass a plain integer`);
  return v;
}

function unsignedAmount(op: string, n: Shape): void {
  if (n.signed)
    fail(
      `cannot ${op} by ${shapeName(n)}: the shift amount must be unsigned`,
      `n.asUnsigned() reinterprets the bits as an unsigned amount`,
    );
}

const exactArith = (op: 'add' | 'sub' | 'mul'): OpRule => ({
  call: `a.${op}(b)`,
  operands: 'same signedness, any widths',
  result:
    op === 'add'
      ? 'same signedness, `max(wa, wb) + 1`'
      : op === 'sub'
        ? '`s(max(wa, wb) + 1)` (always signed: the exact difference can be negative)'
        : 'same signedness, `wa + wb`',
  shape: (x) => {
    sameSign(op, x);
    const [a, b] = x as [Shape, Shape];
    if (op === 'mul') return result(op, a.width + b.width, a.signed);
    return result(op, Math.max(a.width, b.width) + 1, op === 'sub' || a.signed);
  },
});

const sameShapeOp = (op: BuilderOp, call: string, note: string): OpRule => ({
  call,
  operands: 'identical shapes',
  result: `that shape${note}`,
  shape: (x) => {
    identical(op, x);
    return x[0] as Shape;
  },
});

const compare = (op: BuilderOp): OpRule => ({
  call: `a.${op}(b)`,
  operands: 'same signedness, any widths (compared by value)',
  result: '`u(1)`',
  shape: (x) => {
    sameSign(op, x);
    return shapeOfWidth(1, false);
  },
});

const reduce = (op: BuilderOp): OpRule => ({
  call: `a.${op}()`,
  operands: 'any',
  result: '`u(1)`',
  shape: () => shapeOfWidth(1, false),
});

export const OPS: Readonly<Record<BuilderOp, OpRule>> = {
  add: exactArith('add'),
  sub: exactArith('sub'),
  mul: exactArith('mul'),
  neg: {
    call: 'a.neg()',
    operands: 'any',
    result: '`s(wa + 1)`',
    shape: (x) => result('neg', (x[0] as Shape).width + 1, true),
  },
  addWrap: sameShapeOp('addWrap', 'a.addWrap(b)', ' (sum modulo 2^w)'),
  subWrap: sameShapeOp('subWrap', 'a.subWrap(b)', ' (difference modulo 2^w)'),
  mulWrap: sameShapeOp('mulWrap', 'a.mulWrap(b)', ' (product modulo 2^w)'),
  and: sameShapeOp('and', 'a.and(b)', ''),
  or: sameShapeOp('or', 'a.or(b)', ''),
  xor: sameShapeOp('xor', 'a.xor(b)', ''),
  not: { call: 'a.not()', operands: 'any', result: 'same shape', shape: (x) => x[0] as Shape },
  eq: compare('eq'),
  ne: compare('ne'),
  lt: compare('lt'),
  le: compare('le'),
  gt: compare('gt'),
  ge: compare('ge'),
  shl: {
    call: 'a.shl(k)',
    operands: '`k` a constant integer >= 0',
    result: 'same signedness, `wa + k`',
    shape: (x, p) => {
      const a = x[0] as Shape;
      return result('shl', a.width + natural('shl', p[0] ?? -1, 'k'), a.signed);
    },
  },
  shr: {
    call: 'a.shr(k)',
    operands: '`k` a constant integer >= 0',
    result: 'same signedness, `max(wa - k, 1)`; arithmetic if signed',
    shape: (x, p) => {
      const a = x[0] as Shape;
      return shapeOfWidth(Math.max(a.width - natural('shr', p[0] ?? -1, 'k'), 1), a.signed);
    },
  },
  shlBy: {
    call: 'a.shlBy(n)',
    operands: '`n` unsigned',
    result: `same signedness, \`wa + 2^wn - 1\` (error above ${MAX_WIDTH})`,
    shape: (x) => {
      const [a, n] = x as [Shape, Shape];
      unsignedAmount('shlBy', n);
      if (2 ** n.width > MAX_WIDTH) return result('shlBy', MAX_WIDTH + 1, a.signed);
      return result('shlBy', a.width + 2 ** n.width - 1, a.signed);
    },
  },
  shrBy: {
    call: 'a.shrBy(n)',
    operands: '`n` unsigned',
    result: 'same shape; arithmetic if signed',
    shape: (x) => {
      unsignedAmount('shrBy', x[1] as Shape);
      return x[0] as Shape;
    },
  },
  mux: {
    call: 'mux(sel, x, y)',
    operands: '`sel` is `u(1)`; `x`, `y` identical shapes',
    result: 'that shape (`x` when `sel` is 1)',
    shape: (x) => {
      const [sel, a, b] = x as [Shape, Shape, Shape];
      if (sel.width !== 1 || sel.signed)
        fail(
          `mux: the select must be u1; got ${shapeName(sel)}`,
          'compare to get a u1 (sel.ne(0)), or take one bit (sel.bit(0))',
        );
      identical('mux', [a, b], 'the two arms', ARMS);
      return a;
    },
  },
  cat: {
    call: 'cat(hi, ..., lo)',
    operands: 'any, listed MSB first',
    result: '`u(sum of widths)`',
    shape: (x) => {
      if (x.length === 0) fail('cat() needs at least one operand', 'pass the parts MSB first');
      return result(
        'cat',
        x.reduce((t, sh) => t + sh.width, 0),
        false,
      );
    },
  },
  bits: {
    call: 'a.bits(hi, lo)',
    operands: '`0 <= lo <= hi < wa`',
    result: '`u(hi - lo + 1)` (`a.bit(i)` = `a.bits(i, i)`: `u(1)`)',
    shape: (x, p) => {
      const a = x[0] as Shape;
      const [hi, lo] = p as [number, number];
      if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || lo > hi || hi >= a.width)
        fail(
          `bits(${hi}, ${lo}) is out of range for ${shapeName(a)}`,
          `pass 0 <= lo <= hi <= ${a.width - 1}`,
        );
      return shapeOfWidth(hi - lo + 1, false);
    },
  },
  andR: reduce('andR'),
  orR: reduce('orR'),
  xorR: reduce('xorR'),
  asSigned: {
    call: 'a.asSigned()',
    operands: 'any',
    result: 'same width, signed, bits reinterpreted',
    shape: (x) => shapeOfWidth((x[0] as Shape).width, true),
  },
  asUnsigned: {
    call: 'a.asUnsigned()',
    operands: 'any',
    result: 'same width, unsigned, bits reinterpreted',
    shape: (x) => shapeOfWidth((x[0] as Shape).width, false),
  },
  toSigned: {
    call: 'a.toSigned()',
    operands: 'unsigned',
    result: '`s(wa + 1)`, value kept',
    shape: (x) => {
      const a = x[0] as Shape;
      if (a.signed)
        fail(
          `toSigned() of ${shapeName(a)}: the value is already signed`,
          'drop the toSigned() call',
        );
      return result('toSigned', a.width + 1, true);
    },
  },
  extend: {
    call: 'a.extend(w)',
    operands: '`w >= wa`',
    result: 'same signedness, width `w` (sign- or zero-extended by the sign of `a`)',
    shape: (x, p) => {
      const a = x[0] as Shape;
      const w = natural('extend', p[0] ?? -1, 'w');
      if (w < a.width)
        fail(`cannot extend ${shapeName(a)} to ${w} bits`, `use .trunc(${w}) to drop the top bits`);
      return result('extend', w, a.signed);
    },
  },
  trunc: {
    call: 'a.trunc(w)',
    operands: '`1 <= w <= wa`',
    result: 'same signedness, width `w` (the low `w` bits)',
    shape: (x, p) => {
      const a = x[0] as Shape;
      const w = natural('trunc', p[0] ?? -1, 'w');
      if (w > a.width)
        fail(`cannot trunc ${shapeName(a)} to ${w} bits`, `use .extend(${w}) to widen`);
      if (w < 1) fail(`cannot trunc ${shapeName(a)} to 0 bits`, 'zero-width values do not exist');
      return shapeOfWidth(w, a.signed);
    },
  },
};

/** The result shape of `op` on operand shapes `x` with constant parameters `p`; throws on misuse. */
export function shapeOf(op: BuilderOp, x: readonly Shape[], p: readonly number[] = []): Shape {
  return OPS[op].shape(x, p);
}
