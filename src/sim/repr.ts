// Every op lowering of the simulator, in one table keyed by op and representation. A value of
// width <= 32 is a JS number holding the unsigned bit pattern (state in a Uint32Array); a wider
// value is a non-negative bigint below 2^w. Operand expressions are identifiers or literals.
import type { CellOp } from '../hdl/index.js';

export const NARROW_MAX = 32;
export const isWide = (w: number): boolean => w > NARROW_MAX;

export interface Operand {
  readonly expr: string;
  readonly width: number;
}

export interface LowerCtx {
  /** Result width. */
  readonly w: number;
  readonly args: readonly Operand[];
  readonly value?: bigint;
  readonly lo?: number;
  readonly amount?: number;
}

type Lower = (c: LowerCtx) => string;

/** `2^w - 1` as a JS number literal (w <= 32). */
export const maskNum = (w: number): string => String(2 ** w - 1);
/** `2^w - 1` as a bigint literal. */
export const maskBig = (w: number): string => `0x${((1n << BigInt(w)) - 1n).toString(16)}n`;

/** A literal of width w holding `v` (already in range). */
export function literal(v: bigint, w: number): string {
  return isWide(w) ? `0x${v.toString(16)}n` : String(Number(v));
}

/** Reduces an int32/uint32/small expression to the unsigned pattern of width w <= 32. */
const fit = (e: string, w: number): string => (w === 32 ? `((${e}) >>> 0)` : `((${e}) & ${maskNum(w)})`);
const big = (o: Operand): string => (isWide(o.width) ? o.expr : `BigInt(${o.expr})`);
const asU = (w: number, e: string): string => `BigInt.asUintN(${w}, ${e})`;
const asI = (w: number, e: string): string => `BigInt.asIntN(${w}, ${e})`;
/** Narrow operand sign-extended to an int32 (wa <= 32). */
const s32 = (o: Operand): string =>
  o.width === 32 ? `(${o.expr} | 0)` : `((${o.expr} << ${32 - o.width}) >> ${32 - o.width})`;

function arg(c: LowerCtx, i: number): Operand {
  const a = c.args[i];
  if (!a) throw new Error(`sim: operand ${i} missing`);
  return a;
}

/** Shift amount clamped to `limit` when >= w: a JS number expression. */
function clampAmount(n: Operand, w: number, limit: number): string {
  return isWide(n.width)
    ? `(${n.expr} >= ${w}n ? ${limit} : Number(${n.expr}))`
    : `(${n.expr} >= ${w} ? ${limit} : ${n.expr})`;
}
const tooFar = (n: Operand, w: number): string =>
  isWide(n.width) ? `${n.expr} >= ${w}n` : `${n.expr} >= ${w}`;
const num = (n: Operand): string => (isWide(n.width) ? `Number(${n.expr})` : n.expr);

function concat(c: LowerCtx, wide: boolean): string {
  let shift = 0;
  const parts: string[] = [];
  for (let i = c.args.length - 1; i >= 0; i--) {
    const p = arg(c, i);
    if (wide) parts.push(shift === 0 ? big(p) : `(${big(p)} << ${shift}n)`);
    else parts.push(shift === 0 ? p.expr : `(${p.expr} << ${shift})`);
    shift += p.width;
  }
  if (parts.length === 1) return parts[0] as string;
  const e = parts.reverse().join(' | ');
  return !wide && c.w === 32 ? `((${e}) >>> 0)` : `(${e})`;
}

function cmp(jsOp: string, signed: boolean): Lower {
  return (c) => {
    const a = arg(c, 0);
    const b = arg(c, 1);
    if (!signed) return `(${a.expr} ${jsOp} ${b.expr} ? 1 : 0)`;
    if (isWide(a.width)) return `(${asI(a.width, a.expr)} ${jsOp} ${asI(a.width, b.expr)} ? 1 : 0)`;
    return `(${s32(a)} ${jsOp} ${s32(b)} ? 1 : 0)`;
  };
}

/** Lowerings for a narrow result (w <= 32). */
const NARROW: Record<CellOp, Lower> = {
  const: (c) => literal(c.value ?? 0n, c.w),
  zext: (c) => arg(c, 0).expr,
  sext: (c) => {
    const a = arg(c, 0);
    return a.width === c.w ? a.expr : fit(s32(a), c.w);
  },
  slice: (c) => {
    const a = arg(c, 0);
    const lo = c.lo ?? 0;
    if (isWide(a.width)) return `Number(${asU(c.w, lo === 0 ? a.expr : `(${a.expr} >> ${lo}n)`)})`;
    if (lo === 0 && c.w === a.width) return a.expr;
    if (lo + c.w === 32) return `(${a.expr} >>> ${lo})`;
    return `((${a.expr} >>> ${lo}) & ${maskNum(c.w)})`;
  },
  concat: (c) => concat(c, false),
  not: (c) => (c.w === 32 ? `(~${arg(c, 0).expr} >>> 0)` : `(${arg(c, 0).expr} ^ ${maskNum(c.w)})`),
  and: (c) => bitwise(c, '&'),
  or: (c) => bitwise(c, '|'),
  xor: (c) => bitwise(c, '^'),
  add: (c) => fit(`${arg(c, 0).expr} + ${arg(c, 1).expr}`, c.w),
  sub: (c) => fit(`${arg(c, 0).expr} - ${arg(c, 1).expr}`, c.w),
  // Math.imul returns the exact low 32 bits of the product (a * b in doubles would not be exact).
  mul: (c) => fit(`Math.imul(${arg(c, 0).expr}, ${arg(c, 1).expr})`, c.w),
  eq: cmp('===', false),
  ne: cmp('!==', false),
  ltU: cmp('<', false),
  leU: cmp('<=', false),
  ltS: cmp('<', true),
  leS: cmp('<=', true),
  shl: (c) => {
    const n = c.amount ?? 0;
    if (n >= c.w) return '0';
    return n === 0 ? arg(c, 0).expr : fit(`${arg(c, 0).expr} << ${n}`, c.w);
  },
  shrU: (c) => {
    const n = c.amount ?? 0;
    if (n >= c.w) return '0';
    return n === 0 ? arg(c, 0).expr : `(${arg(c, 0).expr} >>> ${n})`;
  },
  shrS: (c) => {
    const n = Math.min(c.amount ?? 0, c.w - 1);
    const a = arg(c, 0);
    if (n === 0) return a.expr;
    if (c.w === 32) return `((${a.expr} >> ${n}) >>> 0)`;
    const k = 32 - c.w;
    return `(((${a.expr} << ${k}) >> ${k + n}) & ${maskNum(c.w)})`;
  },
  shlV: (c) => {
    const n = arg(c, 1);
    return `(${tooFar(n, c.w)} ? 0 : ${fit(`${arg(c, 0).expr} << ${num(n)}`, c.w)})`;
  },
  shrUV: (c) => {
    const n = arg(c, 1);
    return `(${tooFar(n, c.w)} ? 0 : (${arg(c, 0).expr} >>> ${num(n)}))`;
  },
  shrSV: (c) => {
    const s = clampAmount(arg(c, 1), c.w, c.w - 1);
    const a = arg(c, 0);
    if (c.w === 32) return `((${a.expr} >> ${s}) >>> 0)`;
    const k = 32 - c.w;
    return `(((${a.expr} << ${k}) >> (${k} + ${s})) & ${maskNum(c.w)})`;
  },
  mux: (c) => `(${arg(c, 0).expr} ? ${arg(c, 1).expr} : ${arg(c, 2).expr})`,
  andR: (c) => {
    const a = arg(c, 0);
    return `(${a.expr} === ${isWide(a.width) ? maskBig(a.width) : maskNum(a.width)} ? 1 : 0)`;
  },
  orR: (c) => {
    const a = arg(c, 0);
    return `(${a.expr} !== ${isWide(a.width) ? '0n' : '0'} ? 1 : 0)`;
  },
  xorR: (c) => {
    const a = arg(c, 0);
    return isWide(a.width) ? `parBig(${a.expr})` : `par32(${a.expr})`;
  },
};

function bitwise(c: LowerCtx, op: string): string {
  const e = `${arg(c, 0).expr} ${op} ${arg(c, 1).expr}`;
  return c.w === 32 ? `((${e}) >>> 0)` : `(${e})`;
}

const shiftWide = (c: LowerCtx, e: string): string => asU(c.w, e);

/** Lowerings for a wide result (w > 32). */
const WIDE: Record<CellOp, Lower> = {
  const: (c) => literal(c.value ?? 0n, c.w),
  zext: (c) => big(arg(c, 0)),
  sext: (c) => {
    const a = arg(c, 0);
    if (a.width === c.w) return a.expr;
    return asU(c.w, isWide(a.width) ? asI(a.width, a.expr) : `BigInt(${s32(a)})`);
  },
  slice: (c) => {
    const a = arg(c, 0);
    const lo = c.lo ?? 0;
    const shifted = lo === 0 ? a.expr : `(${a.expr} >> ${lo}n)`;
    return lo + c.w === a.width ? shifted : asU(c.w, shifted);
  },
  concat: (c) => concat(c, true),
  not: (c) => `(${arg(c, 0).expr} ^ ${maskBig(c.w)})`,
  and: (c) => `(${arg(c, 0).expr} & ${arg(c, 1).expr})`,
  or: (c) => `(${arg(c, 0).expr} | ${arg(c, 1).expr})`,
  xor: (c) => `(${arg(c, 0).expr} ^ ${arg(c, 1).expr})`,
  add: (c) => asU(c.w, `${arg(c, 0).expr} + ${arg(c, 1).expr}`),
  sub: (c) => asU(c.w, `${arg(c, 0).expr} - ${arg(c, 1).expr}`),
  mul: (c) => asU(c.w, `${arg(c, 0).expr} * ${arg(c, 1).expr}`),
  eq: NARROW.eq,
  ne: NARROW.ne,
  ltU: NARROW.ltU,
  leU: NARROW.leU,
  ltS: NARROW.ltS,
  leS: NARROW.leS,
  shl: (c) => {
    const n = c.amount ?? 0;
    if (n >= c.w) return '0n';
    return n === 0 ? arg(c, 0).expr : shiftWide(c, `${arg(c, 0).expr} << ${n}n`);
  },
  shrU: (c) => {
    const n = c.amount ?? 0;
    if (n >= c.w) return '0n';
    return n === 0 ? arg(c, 0).expr : `(${arg(c, 0).expr} >> ${n}n)`;
  },
  shrS: (c) => {
    const n = Math.min(c.amount ?? 0, c.w - 1);
    const a = arg(c, 0);
    return n === 0 ? a.expr : asU(c.w, `${asI(c.w, a.expr)} >> ${n}n`);
  },
  shlV: (c) => {
    const n = arg(c, 1);
    return `(${tooFar(n, c.w)} ? 0n : ${asU(c.w, `${arg(c, 0).expr} << ${big(n)}`)})`;
  },
  shrUV: (c) => {
    const n = arg(c, 1);
    return `(${tooFar(n, c.w)} ? 0n : (${arg(c, 0).expr} >> ${big(n)}))`;
  },
  shrSV: (c) => {
    const n = arg(c, 1);
    const s = isWide(n.width) ? `(${n.expr} >= ${c.w}n ? ${c.w - 1}n : ${n.expr})` : `BigInt(${clampAmount(n, c.w, c.w - 1)})`;
    return asU(c.w, `${asI(c.w, arg(c, 0).expr)} >> ${s}`);
  },
  mux: NARROW.mux,
  andR: NARROW.andR,
  orR: NARROW.orR,
  xorR: NARROW.xorR,
};

export const LOWERINGS: { readonly narrow: Record<CellOp, Lower>; readonly wide: Record<CellOp, Lower> } = {
  narrow: NARROW,
  wide: WIDE,
};

/** The JS expression computing a cell of result width `c.w`. */
export function lowerCell(op: CellOp, c: LowerCtx): string {
  return (isWide(c.w) ? WIDE : NARROW)[op](c);
}

/** Helper functions the generated code calls (parity). */
export const PRELUDE = `function par32(x) { x ^= x >>> 16; x ^= x >>> 8; x ^= x >>> 4; x ^= x >>> 2; x ^= x >>> 1; return x & 1; }
function parBig(x) { let p = 0; while (x > 0n) { p ^= par32(Number(x & 0xffffffffn)); x >>= 32n; } return p; }`;
