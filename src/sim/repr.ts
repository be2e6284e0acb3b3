// Every narrow op lowering of the simulator, in one table keyed by op (values wider than 32 bits
// are lowered word by word in wide.ts). Stored values are unsigned bit patterns: width <= 32 in
// a Uint32Array, wider ones as 32-bit words in Uint32Arrays.
// Inside generated code a narrow value may be *loose*: an int32 (or uint32) number whose low w
// bits are the value and whose higher bits are garbage; `tight` forces `& mask` / `>>> 0` only
// where a consumer needs the exact pattern (stores, unsigned compares, right shifts, zext).
// That keeps chains like sext -> mul -> add in plain int32 arithmetic, as hand-written code is.
// There is no BigInt in generated code: BigInt appears only at the API boundary (poke/peek).
import type { CellOp } from '../hdl/index.js';
import { internalError } from '../hdl/index.js';

export const NARROW_MAX = 32;
export const isWide = (w: number): boolean => w > NARROW_MAX;

export interface Operand {
  readonly expr: string;
  readonly width: number;
  /** Exact unsigned pattern (no garbage above the width). Wide operands are always exact. */
  readonly exact: boolean;
  /**
   * Known signed range: the number is an int32 in [-2^(sbits-1), 2^(sbits-1)), so when
   * sbits <= width it already is its own sign extension (no `<< k >> k` needed).
   */
  readonly sbits?: number;
}

export interface Lowered {
  readonly expr: string;
  readonly exact: boolean;
  readonly sbits?: number;
}

export interface LowerCtx {
  /** Result width. */
  readonly w: number;
  readonly args: readonly Operand[];
  readonly value?: bigint;
  readonly lo?: number;
  readonly amount?: number;
}

type Lower = (c: LowerCtx) => Lowered;

/** `2^w - 1` as a JS number literal (w <= 32). */
export const maskNum = (w: number): string => String(2 ** w - 1);

/** A literal of width w holding `v` (already in range). */
export function literal(v: bigint, w: number): string {
  if (isWide(w)) throw internalError(`sim: literal of ${w} bits; use literalWords`);
  return String(Number(v));
}

/**
 * A condition as 0 or 1: `(cond) | 0` rather than `cond ? 1 : 0`, which V8 compiles to a branch
 * (mispredicted where the condition is data; in-process A/B: mx-blocks 1.08x, mlp-int8 1.03x).
 */
export const bit = (cond: string): string => `((${cond}) | 0)`;

/** The exact unsigned pattern of a narrow operand. */
export function tight(o: Operand): string {
  if (o.exact || isWide(o.width)) return o.expr;
  return o.width === 32 ? `(${o.expr} >>> 0)` : `(${o.expr} & ${maskNum(o.width)})`;
}

const ex = (expr: string): Lowered => ({ expr, exact: true });
const loose = (expr: string): Lowered => ({ expr, exact: false });
/** Narrow operand (exact or loose) sign-extended to an int32. */
const s32 = (o: Operand): string =>
  o.sbits !== undefined && o.sbits <= o.width
    ? o.expr
    : isLiteral(o.expr)
      ? String(Number(BigInt.asIntN(o.width, BigInt(o.expr))))
      : o.width === 32
        ? `(${o.expr} | 0)`
        : `((${o.expr} << ${32 - o.width}) >> ${32 - o.width})`;
/** A non-negative decimal literal (what `literal` writes): folded at generation time. */
const isLiteral = (e: string): boolean => /^\d+$/.test(e);
/**
 * Whether a shift amount can reach `limit`: an amount operand of k bits is at most 2^k - 1 once
 * made exact, so a `>= limit` test that it can never pass is left out (the fp8/fp32 decoders
 * shift by 4- or 5-bit fields against limits of 19..63).
 */
const canReach = (n: Operand, limit: number): boolean => n.width >= 32 || 2 ** n.width - 1 >= limit;
/** sbits of a result that is the exact int32 of a value needing `bits` signed bits, if <= 32. */
const fits = (bits: number | undefined): number | undefined =>
  bits !== undefined && bits <= 32 ? bits : undefined;

function arg(c: LowerCtx, i: number): Operand {
  const a = c.args[i];
  if (!a) throw internalError(`sim: operand ${i} missing`);
  return a;
}

/** Shift amount clamped to `limit` when >= w: a JS number expression. */
function clampAmount(n: Operand, w: number, limit: number): string {
  const t = tight(n);
  return canReach(n, w) ? `(${t} >= ${w} ? ${limit} : ${t})` : t;
}
const tooFar = (n: Operand, w: number): string => `${tight(n)} >= ${w}`;
/** `x << n` or `x >>> n` (`shifted`), 0 when n >= w (a test left out when n cannot reach w). */
const farOr0 = (n: Operand, w: number, shifted: string): string =>
  canReach(n, w) ? `(${tooFar(n, w)} ? 0 : ${shifted})` : shifted;
const num = (n: Operand): string => tight(n);

function concatNarrow(c: LowerCtx): Lowered {
  if (c.args.length === 1) return arg(c, 0);
  let shift = 0;
  const parts: string[] = [];
  for (let i = c.args.length - 1; i >= 0; i--) {
    const p = arg(c, i);
    // Garbage of the top part lands above the result width, so only lower parts need `tight`.
    const e = i === 0 ? p.expr : tight(p);
    parts.push(shift === 0 ? e : `(${e} << ${shift})`);
    shift += p.width;
  }
  const expr = `(${parts.reverse().join(' | ')})`;
  return { expr, exact: arg(c, 0).exact && c.w < 32 };
}

function cmp(jsOp: string, signed: boolean): Lower {
  return (c) => {
    const a = arg(c, 0);
    const b = arg(c, 1);
    if (signed) return ex(bit(`${s32(a)} ${jsOp} ${s32(b)}`));
    // Equality with an exact literal: the loose side made exact (`(x & m) === 0`, not `(x ^ 0)`).
    if ((jsOp === '===' || jsOp === '!==') && a.width < 32 && a.exact !== b.exact && isLiteral(a.exact ? a.expr : b.expr))
      return ex(bit(`${tight(a)} ${jsOp} ${tight(b)}`));
    if ((jsOp === '===' || jsOp === '!==') && !(a.exact && b.exact)) {
      // Equality of loose operands: compare only the low bits.
      const diff = a.width === 32 ? `(${a.expr} ^ ${b.expr})` : `((${a.expr} ^ ${b.expr}) & ${maskNum(a.width)})`;
      return ex(bit(`${diff} ${jsOp} 0`));
    }
    return ex(bit(`${tight(a)} ${jsOp} ${tight(b)}`));
  };
}

/** add/sub: int32 wrap; with known ranges the sum needs one bit more than the wider operand. */
function arith(c: LowerCtx, op: '+' | '-'): Lowered {
  const a = arg(c, 0);
  const b = arg(c, 1);
  const sb = a.sbits !== undefined && b.sbits !== undefined ? fits(Math.max(a.sbits, b.sbits) + 1) : undefined;
  // Operands are int32 or uint32, so the sum is exact in doubles before `| 0` wraps it.
  return { expr: `((${a.expr} ${op} ${b.expr}) | 0)`, exact: false, sbits: sb };
}

function bitwise(op: string): Lower {
  return (c) => {
    const a = arg(c, 0);
    const b = arg(c, 1);
    const expr = `(${a.expr} ${op} ${b.expr})`;
    // x & y is exact when either side is (below 32 bits); | and ^ need both.
    const exact = c.w < 32 && (op === '&' ? a.exact || b.exact : a.exact && b.exact);
    return { expr, exact };
  };
}

/** A 1-bit select as 0 or 1. */
export const selectBit = (s: Operand): string => (s.exact ? s.expr : `(${s.expr} & 1)`);

/**
 * `s ? x : y` for a select s of 0 or 1 and int32/uint32 operands. With an arm of literal 0 it
 * is a mask, without a branch (`x & -s`, `y & (s - 1)`): two operations, as cheap as a branch
 * predicted right, and no misprediction where the select is data (a sign, a format's special
 * case: mx-blocks 1.08x, ffn-atom 1.10x, mlp-int8 unchanged in-process). Its value is then an
 * int32 (`int32: true`), equal in its low 32 bits to the chosen operand. Other selects stay
 * conditionals: as masks (`y ^ ((x ^ y) & -s)`) they ran mx-blocks 1.2x faster but ffn-atom,
 * olive-enc and mlp-int8 3-5 % slower, whose selects are mostly control, predicted right.
 */
export function selectExpr(s: string, x: string, y: string): { expr: string; int32: boolean } {
  if (x === y) return { expr: x, int32: false };
  if (isLiteral(s)) return { expr: Number(s) & 1 ? x : y, int32: false };
  if (y === '0') return { expr: `(${x} & -${s})`, int32: true };
  if (x === '0') return { expr: `(${y} & (${s} - 1))`, int32: true };
  return { expr: `(${s} ? ${x} : ${y})`, int32: false };
}

/** Lowerings for a narrow result (w <= 32); operands may be loose. */
const NARROW: Record<CellOp, Lower> = {
  const: (c) => ex(literal(c.value ?? 0n, c.w)),
  rom: () => {
    throw internalError('sim: a rom is read from its table (codegen.ts romValue)');
  },
  zext: (c) => ex(tight(arg(c, 0))),
  sext: (c) => {
    const a = arg(c, 0);
    if (a.width === c.w) return a;
    return { expr: s32(a), exact: false, sbits: Math.min(a.width, a.sbits ?? a.width) };
  },
  slice: (c) => {
    const a = arg(c, 0);
    const lo = c.lo ?? 0;
    if (lo === 0) return { expr: a.expr, exact: a.exact && c.w === a.width };
    // Bits above the operand's width shift to positions >= w - they stay garbage above w.
    return { expr: `(${a.expr} >>> ${lo})`, exact: a.exact && lo + c.w === a.width };
  },
  concat: concatNarrow,
  not: (c) => ({ expr: `(~${arg(c, 0).expr})`, exact: false, sbits: arg(c, 0).sbits }),
  and: bitwise('&'),
  or: bitwise('|'),
  xor: bitwise('^'),
  // Operands are int32 or uint32, so sums are exact in doubles before `| 0` wraps them.
  add: (c) => arith(c, '+'),
  sub: (c) => arith(c, '-'),
  // Math.imul gives the exact low 32 bits of the product (a * b in doubles would not be exact);
  // when both signed ranges are known and sa + sb <= 32 the int32 product is the exact product.
  mul: (c) => {
    const a = arg(c, 0);
    const b = arg(c, 1);
    const sb = a.sbits !== undefined && b.sbits !== undefined ? fits(a.sbits + b.sbits) : undefined;
    return { expr: `Math.imul(${a.expr}, ${b.expr})`, exact: false, sbits: sb };
  },
  eq: cmp('===', false),
  ne: cmp('!==', false),
  ltU: cmp('<', false),
  leU: cmp('<=', false),
  ltS: cmp('<', true),
  leS: cmp('<=', true),
  shl: (c) => {
    const n = c.amount ?? 0;
    if (n >= c.w) return ex('0');
    return n === 0 ? arg(c, 0) : loose(`(${arg(c, 0).expr} << ${n})`);
  },
  shrU: (c) => {
    const n = c.amount ?? 0;
    if (n >= c.w) return ex('0');
    return n === 0 ? arg(c, 0) : ex(`(${tight(arg(c, 0))} >>> ${n})`);
  },
  shrS: (c) => {
    const n = Math.min(c.amount ?? 0, c.w - 1);
    const a = arg(c, 0);
    if (n === 0) return a;
    if (c.w === 32) return loose(`(${a.expr} >> ${n})`);
    const k = 32 - c.w;
    return loose(`((${a.expr} << ${k}) >> ${k + n})`);
  },
  shlV: (c) => {
    const n = arg(c, 1);
    return loose(farOr0(n, c.w, `(${arg(c, 0).expr} << ${num(n)})`));
  },
  shrUV: (c) => {
    const n = arg(c, 1);
    return ex(farOr0(n, c.w, `(${tight(arg(c, 0))} >>> ${num(n)})`));
  },
  shrSV: (c) => {
    const s = clampAmount(arg(c, 1), c.w, c.w - 1);
    const a = arg(c, 0);
    if (c.w === 32) return loose(`(${a.expr} >> ${s})`);
    const k = 32 - c.w;
    return loose(`((${a.expr} << ${k}) >> (${k} + ${s}))`);
  },
  // A mask where an arm is 0 (selectExpr): an int32, so a 32-bit result is no longer exact; an
  // operand with a known signed range is an int32 already, so the range stays.
  mux: (c) => {
    const x = arg(c, 1);
    const y = arg(c, 2);
    const sb = x.sbits !== undefined && y.sbits !== undefined ? Math.max(x.sbits, y.sbits) : undefined;
    const { expr, int32 } = selectExpr(selectBit(arg(c, 0)), x.expr, y.expr);
    return { expr, exact: x.exact && y.exact && (c.w < 32 || !int32), sbits: sb };
  },
  andR: (c) => {
    const a = arg(c, 0);
    if (a.width === 32) return ex(bit(`(${a.expr} | 0) === -1`));
    return ex(bit(`${tight(a)} === ${maskNum(a.width)}`));
  },
  orR: (c) => {
    const a = arg(c, 0);
    return ex(bit(`${a.width === 32 ? a.expr : tight(a)} !== 0`));
  },
  xorR: (c) => {
    const a = arg(c, 0);
    return ex(`par32(${a.width === 32 ? a.expr : tight(a)})`);
  },
};

export const LOWERINGS: { readonly narrow: Record<CellOp, Lower> } = { narrow: NARROW };

/** The JS expression computing a narrow cell (result and operands <= 32 bits; loose or exact). */
export function lowerCell(op: CellOp, c: LowerCtx): Lowered {
  if (isWide(c.w) || c.args.some((a) => isWide(a.width)))
    throw internalError(`sim: ${op} of width ${c.w} has a wide value; lower it with wide.ts`);
  return NARROW[op](c);
}

/** Helpers the generated code uses: parity of a 32-bit word. */
export function prelude(): string {
  return 'function par32(x) { x ^= x >>> 16; x ^= x >>> 8; x ^= x >>> 4; x ^= x >>> 2; x ^= x >>> 1; return x & 1; }';
}
