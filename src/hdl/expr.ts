// Builder-level expressions: immutable nodes that carry their shape (from ops.ts), their
// operands, the module they belong to and the captured call site. Handles (ports, wires,
// registers, memory reads, instance outputs) are Exprs too, so they can be used as operands.
import { MxgenError } from './errors.js';
import { type BuilderOp, shapeOf } from './ops.js';
import { type Shape, shapeName, toPattern, u } from './shape.js';
import { captureLoc, type Entry, here, type LazyLoc } from './srcloc.js';

/** Every kind of builder node: an operator, a constant, or a handle. */
export type NodeKind =
  BuilderOp | 'const' | 'input' | 'output' | 'wire' | 'reg' | 'memRead' | 'instOut' | 'rom';

/** The module a node belongs to (a ModuleBuilder; only its name is needed here). */
export interface Owner {
  readonly name: string;
}

/** An operand: an expression, or a JS integer that takes the other operand's shape. */
export type ExprLike = Expr | number | bigint;

const NO_PARAMS: readonly number[] = [];
let nextId = 0;

export class Expr {
  /** Creation order across all builders; elaboration orders nets by it. */
  readonly id: number;
  /** The captured call site (parsed lazily). */
  readonly site: LazyLoc | undefined;
  /** A naming hint (`named()`): the SV and waveform name if this value gets a declaration. */
  hint: string | undefined = undefined;

  constructor(
    readonly shape: Shape,
    readonly kind: NodeKind,
    readonly args: readonly Expr[],
    readonly owner: Owner | null,
    readonly params: readonly number[] = NO_PARAMS,
    /** `const` only: the bit pattern. */
    readonly value: bigint = 0n,
    /**
     * The public builder call that creates this node (its caller is the user's line), or a
     * site already captured for the same call (shared, so nothing is captured again).
     */
    at?: Entry | LazyLoc,
  ) {
    this.id = nextId++;
    this.site = typeof at === 'object' ? at : captureLoc(at);
  }

  get width(): number {
    return this.shape.width;
  }

  /**
   * Names the role of this value (`prod_3`, `exp_max`): when the emitter declares it (a value
   * read several times, or a long expression) the SV calls it `hint` (made unique), not after
   * its operands; an inlined value stays inlined. Returns this expression.
   */
  named(hint: string): this {
    this.hint = hint;
    return this;
  }

  get signed(): boolean {
    return this.shape.signed;
  }

  /** Exact sum: same signedness, `max(wa, wb) + 1` bits. */
  add(b: ExprLike): Expr {
    return binary('add', this, b, this.add);
  }
  /** Exact difference: always signed, `max(wa, wb) + 1` bits. */
  sub(b: ExprLike): Expr {
    return binary('sub', this, b, this.sub);
  }
  /** Exact product: same signedness, `wa + wb` bits. */
  mul(b: ExprLike): Expr {
    return binary('mul', this, b, this.mul);
  }
  /** Exact negation: `s(wa + 1)`. */
  neg(): Expr {
    return unary('neg', this, NO_PARAMS, this.neg);
  }
  addWrap(b: ExprLike): Expr {
    return binary('addWrap', this, b, this.addWrap);
  }
  subWrap(b: ExprLike): Expr {
    return binary('subWrap', this, b, this.subWrap);
  }
  mulWrap(b: ExprLike): Expr {
    return binary('mulWrap', this, b, this.mulWrap);
  }
  and(b: ExprLike): Expr {
    return binary('and', this, b, this.and);
  }
  or(b: ExprLike): Expr {
    return binary('or', this, b, this.or);
  }
  xor(b: ExprLike): Expr {
    return binary('xor', this, b, this.xor);
  }
  not(): Expr {
    return unary('not', this, NO_PARAMS, this.not);
  }
  eq(b: ExprLike): Expr {
    return binary('eq', this, b, this.eq);
  }
  ne(b: ExprLike): Expr {
    return binary('ne', this, b, this.ne);
  }
  lt(b: ExprLike): Expr {
    return binary('lt', this, b, this.lt);
  }
  le(b: ExprLike): Expr {
    return binary('le', this, b, this.le);
  }
  gt(b: ExprLike): Expr {
    return binary('gt', this, b, this.gt);
  }
  ge(b: ExprLike): Expr {
    return binary('ge', this, b, this.ge);
  }
  /** Shift left by a constant `k`, exact: `wa + k` bits. */
  shl(k: number): Expr {
    return unary('shl', this, [k], this.shl);
  }
  /** Shift right by a constant `k` (arithmetic if signed): `max(wa - k, 1)` bits. */
  shr(k: number): Expr {
    return unary('shr', this, [k], this.shr);
  }
  /** Shift left by an unsigned signal `n`, exact: `wa + 2^wn - 1` bits. */
  shlBy(n: Expr): Expr {
    return shiftBy('shlBy', this, n, this.shlBy);
  }
  /** Shift right by an unsigned signal `n` (arithmetic if signed): same shape. */
  shrBy(n: Expr): Expr {
    return shiftBy('shrBy', this, n, this.shrBy);
  }
  /** Bits `[hi:lo]` as `u(hi - lo + 1)`. */
  bits(hi: number, lo: number): Expr {
    return unary('bits', this, [hi, lo], this.bits);
  }
  /** Bit `i` as `u(1)`. */
  bit(i: number): Expr {
    return unary('bits', this, [i, i], this.bit);
  }
  andR(): Expr {
    return unary('andR', this, NO_PARAMS, this.andR);
  }
  orR(): Expr {
    return unary('orR', this, NO_PARAMS, this.orR);
  }
  xorR(): Expr {
    return unary('xorR', this, NO_PARAMS, this.xorR);
  }
  /** Same bits, read as signed. */
  asSigned(): Expr {
    return unary('asSigned', this, NO_PARAMS, this.asSigned);
  }
  /** Same bits, read as unsigned. */
  asUnsigned(): Expr {
    return unary('asUnsigned', this, NO_PARAMS, this.asUnsigned);
  }
  /** Unsigned to signed keeping the value: `s(wa + 1)`. */
  toSigned(): Expr {
    return unary('toSigned', this, NO_PARAMS, this.toSigned);
  }
  /** Widen to `w` bits by the value's own sign. */
  extend(w: number): Expr {
    return unary('extend', this, [w], this.extend);
  }
  /** Keep the low `w` bits (same signedness). */
  trunc(w: number): Expr {
    return unary('trunc', this, [w], this.trunc);
  }

  toString(): string {
    return shapeName(this.shape);
  }
}

/** A constant of the given shape; `v` must be representable in it. */
export function lit(v: number | bigint, shape: Shape): Expr {
  if (typeof shape !== 'object' || shape === null || !Number.isInteger(shape.width))
    throw new MxgenError('shape', `lit(${String(v)}, ...): the second argument must be a shape`, {
      loc: here(),
      hint: 'write lit(v, u(w)) or lit(v, s(w))',
    });
  return new Expr(shape, 'const', [], null, NO_PARAMS, constPattern(v, shape, 'lit'), lit);
}

function constPattern(v: number | bigint, shape: Shape, what: string): bigint {
  const p = toPattern(v, shape);
  if (p === undefined)
    throw new MxgenError('shape', `${what}: the value ${v} does not fit ${shapeName(shape)}`, {
      loc: here(),
      hint:
        typeof v === 'number' && !Number.isSafeInteger(v)
          ? 'pass an integer (a bigint for values beyond 2^53)'
          : 'use lit(v, shape) with a shape that holds the value, or change the other operand',
    });
  return p;
}

/** A JS integer operand takes the shape of the other operand (PyMTL3's rule). */
export function toExpr(v: ExprLike, like: Shape, what: string, entry?: Entry): Expr {
  if (v instanceof Expr) return v;
  if (typeof v !== 'number' && typeof v !== 'bigint')
    throw new MxgenError('shape', `${what}: expected an Expr, number or bigint; got ${typeof v}`, {
      loc: here(),
      hint: 'pass a signal or an integer',
    });
  return new Expr(like, 'const', [], null, NO_PARAMS, constPattern(v, like, what), entry);
}

/** The one module all operands belong to (constants belong to none). */
export function ownerOf(op: string, xs: readonly Expr[]): Owner | null {
  let owner: Owner | null = null;
  for (const x of xs) {
    if (x.owner === null) continue;
    if (owner === null) owner = x.owner;
    else if (owner !== x.owner)
      throw new MxgenError(
        'name',
        `${op}: operands belong to different modules (${owner.name} and ${x.owner.name})`,
        { loc: here(), hint: 'pass values between modules through instance ports' },
      );
  }
  return owner;
}

function node(op: BuilderOp, xs: readonly Expr[], params: readonly number[], entry: Entry): Expr {
  const shape = shapeOf(
    op,
    xs.map((x) => x.shape),
    params,
  );
  return new Expr(shape, op, xs, ownerOf(op, xs), params, 0n, entry);
}

function unary(op: BuilderOp, a: Expr, params: readonly number[], entry: Entry): Expr {
  return node(op, [a], params, entry);
}

function binary(op: BuilderOp, a: Expr, b: ExprLike, entry: Entry): Expr {
  return node(op, [a, toExpr(b, a.shape, op, entry)], NO_PARAMS, entry);
}

function shiftBy(op: BuilderOp, a: Expr, n: Expr, entry: Entry): Expr {
  if (!(n instanceof Expr))
    throw new MxgenError('shape', `${op}: the amount must be a signal; got ${String(n)}`, {
      loc: here(),
      hint: `use .${op === 'shlBy' ? 'shl' : 'shr'}(k) for a constant shift`,
    });
  return node(op, [a, n], NO_PARAMS, entry);
}

/** `x` when `sel` is 1, else `y`; `x` and `y` must have identical shapes. */
export function mux(sel: Expr, x: ExprLike, y: ExprLike): Expr {
  if (!(sel instanceof Expr))
    throw new MxgenError('shape', `mux: the select must be a u1 signal; got ${String(sel)}`, {
      loc: here(),
      hint: 'choose with a JS conditional at generate time instead',
    });
  if (!(x instanceof Expr) && !(y instanceof Expr))
    throw new MxgenError('shape', 'mux: at least one arm must be a signal to give the shape', {
      loc: here(),
      hint: 'wrap one arm in lit(v, shape)',
    });
  const xe = x instanceof Expr ? x : toExpr(x, (y as Expr).shape, 'mux', mux);
  const ye = y instanceof Expr ? y : toExpr(y, xe.shape, 'mux', mux);
  return node('mux', [sel, xe, ye], NO_PARAMS, mux);
}

/** Concatenation, MSB first: `u(sum of widths)`. */
export function cat(...parts: Expr[]): Expr {
  for (const p of parts)
    if (!(p instanceof Expr))
      throw new MxgenError('shape', `cat: every part must be a signal; got ${String(p)}`, {
        loc: here(),
        hint: 'wrap constants in lit(v, shape) so their width is known',
      });
  return node('cat', parts, NO_PARAMS, cat);
}

/** A constant table read at a signal index (`rom()`); its words are bit patterns of `shape`. */
export class RomRead extends Expr {
  constructor(
    shape: Shape,
    index: Expr,
    readonly table: readonly bigint[],
    entry: Entry,
  ) {
    super(shape, 'rom', [index], index.owner, NO_PARAMS, 0n, entry);
  }
}

/**
 * `values[index]` as a value of `shape` (0 when index >= values.length): a combinational
 * read-only table, printed as one `case` in `always_comb`. `index` must be unsigned; every value
 * must fit `shape`.
 */
export function rom(index: Expr, values: readonly (number | bigint)[], shape: Shape): Expr {
  if (!(index instanceof Expr) || index.signed)
    throw new MxgenError(
      'shape',
      `rom: the index must be an unsigned signal; got ${String(index)}`,
      {
        loc: here(),
        hint: 'index.asUnsigned() reinterprets the bits',
      },
    );
  if (values.length === 0)
    throw new MxgenError('shape', 'rom: the table is empty', {
      loc: here(),
      hint: 'pass at least one value (lit(v, shape) for a constant)',
    });
  const table = values.map((v, i) => constPattern(v, shape, `rom value ${i}`));
  return new RomRead(shape, index, table, rom);
}

/** Width of the smallest unsigned shape that holds `n - 1` (at least 1): an address width. */
export function addrWidth(depth: number): number {
  let w = 1;
  while (2 ** w < depth) w++;
  return w;
}

export const U1 = u(1);
