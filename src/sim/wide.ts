// Word-level lowering of values wider than 32 bits (Verilator's wide words are the model): a
// w-bit value is n = ceil(w / 32) words, least significant first, each a JS number holding a
// 32-bit pattern (int32 or uint32: bitwise consumers do not care; arithmetic and unsigned
// compares convert with `>>> 0` first). The top word is always exact: bits at and above the
// width are 0. In storage the words sit in Uint32Arrays; in generated code each word is a local
// (`v12_0`, `v12_1`, ...) or a literal, so the cycle function has no BigInt at all.
//
// Multiplication uses 16-bit limbs: every limb product is below 2^32 and a column of up to 64
// of them stays far below 2^53, so the double sums are exact. Variable shifts go through the
// scratch words `T` and the helpers of `widePrelude`.
import type { CellOp } from '../hdl/index.js';
import { bit, isWide, maskNum, selectBit, selectExpr, tight, type Lowered, type Operand } from './repr.js';
import { internalError } from '../hdl/index.js';

export const wordsOf = (w: number): number => Math.ceil(w / 32);

/** An operand for the word lowering: narrow ones have `expr`, wide ones `words`. */
export interface AnyOperand extends Operand {
  /** Exact words (identifiers or uint32 literals), least significant first; wide operands only. */
  readonly words?: readonly string[];
}

export interface WideCtx {
  readonly w: number;
  readonly args: readonly AnyOperand[];
  readonly value?: bigint;
  readonly lo?: number;
  readonly amount?: number;
}

/** The statements computing a value: a wide one as words, a narrow one as an expression. */
export type WideLowered =
  | { readonly stmts: string[]; readonly words: string[] }
  | { readonly stmts: string[]; readonly narrow: Lowered };

const isLit = (e: string): boolean => /^\d+$/.test(e);
const ZERO = '0';

/** The uint32 literal words of `v` (already in range) at width w. */
export function literalWords(v: bigint, w: number): string[] {
  const out: string[] = [];
  for (let j = 0; j < wordsOf(w); j++) out.push(String(Number((v >> BigInt(32 * j)) & 0xffffffffn)));
  return out;
}

/** Mask of the top word of a w-bit value, or null when the top word is a full 32 bits. */
function topMask(w: number): string | null {
  const r = w % 32;
  return r === 0 ? null : maskNum(r);
}

class Emitter {
  readonly stmts: string[] = [];
  private k = 0;
  constructor(private readonly name: string) {}

  /** A local holding `expr` (literals and identifiers are returned as they are). */
  tmp(expr: string): string {
    if (isLit(expr) || /^[A-Za-z_$][\w$]*$/.test(expr)) return expr;
    const t = `${this.name}_t${this.k++}`;
    this.stmts.push(`const ${t} = ${expr};`);
    return t;
  }

  /** Final words of a w-bit result: top word masked when `mask`, every word in a local. */
  finish(words: readonly string[], w: number, mask: boolean): WideLowered {
    const n = wordsOf(w);
    const m = topMask(w);
    const out: string[] = [];
    for (let j = 0; j < n; j++) {
      let e = words[j] ?? ZERO;
      if (j === n - 1 && mask && m !== null && e !== ZERO)
        e = isLit(e) ? String(Number(e) & Number(m)) : `(${e} & ${m})`;
      if (isLit(e) || /^[A-Za-z_$][\w$]*$/.test(e)) out.push(e);
      else {
        const t = `${this.name}_${j}`;
        this.stmts.push(`const ${t} = ${e};`);
        out.push(t);
      }
    }
    return { stmts: this.stmts, words: out };
  }

  narrow(l: Lowered): WideLowered {
    return { stmts: this.stmts, narrow: l };
  }
}

/** The words of an operand (a narrow one as one exact word). */
function wordsOfOperand(o: AnyOperand): readonly string[] {
  return o.words ?? [tight(o)];
}

function arg(c: WideCtx, i: number): AnyOperand {
  const a = c.args[i];
  if (!a) throw internalError(`sim: operand ${i} missing`);
  return a;
}

const at = (ws: readonly string[], j: number, fill = ZERO): string => (j < 0 ? ZERO : (ws[j] ?? fill));
/** uint32 value of a word for arithmetic. */
const u = (e: string): string => (isLit(e) ? e : `(${e} >>> 0)`);
const or = (parts: readonly string[], empty = ZERO): string => {
  const p = parts.filter((x) => x !== ZERO);
  return p.length === 0 ? empty : p.length === 1 ? (p[0] as string) : `(${p.join(' | ')})`;
};

/**
 * Words [lo, lo + w) of `src` (beyond its words: `fill`); bits of the top word above `w` are
 * garbage (the callers mask them).
 */
function sliceWords(src: readonly string[], lo: number, w: number, fill = ZERO): string[] {
  const q = lo >> 5;
  const r = lo & 31;
  const out: string[] = [];
  for (let j = 0; j < wordsOf(w); j++) {
    const a = at(src, q + j, fill);
    if (r === 0) out.push(a);
    else {
      // The next word only when bits of it are in this result word (the rest is masked off).
      const b = r + Math.min(32, w - 32 * j) <= 32 ? ZERO : at(src, q + j + 1, fill);
      out.push(or([a === ZERO ? ZERO : `(${a} >>> ${r})`, b === ZERO ? ZERO : `(${b} << ${32 - r})`]));
    }
  }
  return out;
}

/** The words of a wide operand with its top word sign-extended, and its sign word (0 or -1). */
function signed(e: Emitter, a: AnyOperand): { words: string[]; sign: string } {
  const ws = [...wordsOfOperand(a)];
  const t = ws.length - 1;
  const tb = a.width - 32 * t;
  const top = tb === 32 ? `(${ws[t]} | 0)` : `((${ws[t]} << ${32 - tb}) >> ${32 - tb})`;
  ws[t] = e.tmp(top);
  return { words: ws, sign: e.tmp(`(${ws[t]} >> 31)`) };
}

/** A shift amount as an exact JS number (a wide amount beyond 2^32 becomes 2^32 - 1). */
export function amountExpr(n: AnyOperand): string {
  if (!n.words) return tight(n);
  const hi = n.words.slice(1).filter((x) => x !== ZERO);
  const lo = u(n.words[0] ?? ZERO);
  return hi.length === 0 ? lo : `((${hi.join(' | ')}) !== 0 ? 4294967295 : ${lo})`;
}

function compare(e: Emitter, op: CellOp, a: AnyOperand, b: AnyOperand): string {
  const aw = wordsOfOperand(a);
  const bw = wordsOfOperand(b);
  const n = Math.max(aw.length, bw.length);
  if (op === 'eq' || op === 'ne') {
    const diffs: string[] = [];
    for (let j = 0; j < n; j++) {
      const x = at(aw, j);
      const y = at(bw, j);
      diffs.push(x === ZERO ? y : y === ZERO ? x : `(${x} ^ ${y})`);
    }
    return bit(`${or(diffs)} ${op === 'eq' ? '===' : '!=='} 0`);
  }
  const strict = op === 'ltU' || op === 'ltS';
  const isSigned = op === 'ltS' || op === 'leS';
  let acc = `${u(at(aw, 0))} ${strict ? '<' : '<='} ${u(at(bw, 0))}`;
  for (let j = 1; j < n; j++) {
    let x = u(at(aw, j));
    let y = u(at(bw, j));
    if (isSigned && j === n - 1) {
      const tb = a.width - 32 * j;
      const sx = (v: string): string => (tb === 32 ? `(${v} | 0)` : `((${v} << ${32 - tb}) >> ${32 - tb})`);
      x = sx(at(aw, j));
      y = sx(at(bw, j));
    }
    const ax = e.tmp(x);
    const by = e.tmp(y);
    acc = `(${ax} < ${by} || (${ax} === ${by} && ${acc}))`;
  }
  return bit(acc);
}

function add(e: Emitter, a: readonly string[], b: readonly string[], n: number, sub: boolean): string[] {
  const out: string[] = [];
  let c = ZERO;
  for (let j = 0; j < n; j++) {
    const x = at(a, j);
    const y = at(b, j);
    const terms = [u(x), u(y), c].filter((t, i) => i === 0 || t !== ZERO);
    const s = e.tmp(terms.length === 1 ? (terms[0] as string) : `(${terms.join(sub ? ' - ' : ' + ')})`);
    out.push(`(${s} | 0)`);
    if (j < n - 1) c = e.tmp(sub ? bit(`${s} < 0`) : bit(`${s} > 4294967295`));
  }
  return out;
}

function mul(e: Emitter, a: readonly string[], b: readonly string[], w: number): string[] {
  const limbs = Math.ceil(w / 16);
  const limbsOf = (ws: readonly string[]): string[] => {
    const l: string[] = [];
    for (let k = 0; k < limbs; k++) {
      const x = at(ws, k >> 1);
      if (x === ZERO) l.push(ZERO);
      else if (isLit(x)) l.push(String(k & 1 ? Number(x) >>> 16 : Number(x) & 0xffff));
      else l.push(e.tmp(k & 1 ? `(${x} >>> 16)` : `(${x} & 65535)`));
    }
    return l;
  };
  const la = limbsOf(a);
  const lb = limbsOf(b);
  const res: string[] = [];
  let carry = ZERO;
  for (let k = 0; k < limbs; k++) {
    const terms: string[] = [];
    for (let i = 0; i <= k; i++) {
      const x = la[i] ?? ZERO;
      const y = lb[k - i] ?? ZERO;
      if (x !== ZERO && y !== ZERO) terms.push(`${x} * ${y}`);
    }
    if (carry !== ZERO) terms.push(carry);
    const s = terms.length === 0 ? ZERO : e.tmp(terms.length === 1 ? (terms[0] as string) : `(${terms.join(' + ')})`);
    res.push(s === ZERO ? ZERO : e.tmp(`(${s} & 65535)`));
    carry = k < limbs - 1 && s !== ZERO ? e.tmp(`Math.floor(${s} / 65536)`) : ZERO;
  }
  const out: string[] = [];
  for (let j = 0; j < wordsOf(w); j++) {
    const lo = res[2 * j] ?? ZERO;
    const hi = res[2 * j + 1] ?? ZERO;
    out.push(or([lo, hi === ZERO ? ZERO : `(${hi} << 16)`]));
  }
  return out;
}

/** A variable shift through the scratch words T and a prelude helper. */
function varShift(e: Emitter, op: 'shlV' | 'shrUV' | 'shrSV', a: AnyOperand, amount: string, w: number): string[] {
  const ws = wordsOfOperand(a);
  const n = wordsOf(w);
  if (n === 2) return varShift2(e, op, [at(ws, 0), at(ws, 1)], amount, w);
  if (n <= VAR_SHIFT_INLINE_WORDS) return varShiftN(e, op, ws, amount, w);
  for (let j = 0; j < n; j++) e.stmts.push(`T[${j}] = ${at(ws, j)};`);
  if (op === 'shlV') e.stmts.push(`shlW(${n}, ${amount});`);
  else if (op === 'shrUV') e.stmts.push(`shrW(${n}, ${amount}, 0);`);
  else {
    const tb = w - 32 * (n - 1);
    if (tb < 32) e.stmts.push(`T[${n - 1}] = (T[${n - 1}] << ${32 - tb}) >> ${32 - tb};`);
    e.stmts.push(`shrW(${n}, Math.min(${amount}, ${w - 1}), T[${n - 1}] >> 31);`);
  }
  // Every word is read into a local before the next use of T.
  const out: string[] = [];
  for (let j = 0; j < n; j++) out.push(e.tmp(`T[${j}]`));
  return out;
}

/** Words up to which a variable shift is straight-line code (varShiftN) instead of shlW/shrW. */
const VAR_SHIFT_INLINE_WORDS = 4;

/**
 * A variable shift of a 3- or 4-word value as expressions, without the scratch words T and the
 * call (an fp alignment or normalization shift of a narrow mantissa into a 65..128-bit field:
 * olive-dyn shifts 17 such values per cycle, most words of them constant 0, which drop out).
 * Word j of the result picks its two source words by q = amount / 32 (a chain of q cases, 0
 * beyond) and joins them by r = amount % 32 without a case for r = 0: `(y >>> 1) >>> (31 - r)`
 * is `y >>> (32 - r)` for r > 0 and 0 for r = 0 (likewise `(y << 1) << (31 - r)`).
 * shrSV clamps the amount to w - 1 and shifts the sign-extended top word in, then its sign.
 */
function varShiftN(e: Emitter, op: 'shlV' | 'shrUV' | 'shrSV', ws: readonly string[], amount: string, w: number): string[] {
  const n = wordsOf(w);
  const t = e.tmp(op === 'shrSV' ? `Math.min(${amount}, ${w - 1})` : amount);
  const q = e.tmp(`(${t} >= ${32 * n} ? ${n} : ${t} >>> 5)`);
  const r = e.tmp(`(${t} & 31)`);
  const src: string[] = [];
  for (let j = 0; j < n; j++) src.push(e.tmp(at(ws, j)));
  let fill = ZERO;
  if (op === 'shrSV') {
    const tb = w - 32 * (n - 1);
    src[n - 1] = e.tmp(tb === 32 ? `(${src[n - 1]} | 0)` : `((${src[n - 1]} << ${32 - tb}) >> ${32 - tb})`);
    fill = e.tmp(`(${src[n - 1]} >> 31)`);
  }
  const word = (k: number): string => (k < 0 ? ZERO : k >= n ? fill : (src[k] as string));
  // x shifted by r, joined with the bits y gives (y the word below for shlV, above for shr).
  const join = (x: string, y: string): string => {
    const lo = x === ZERO ? '' : op === 'shlV' ? `(${x} << ${r})` : `(${x} >>> ${r})`;
    const hi = y === ZERO ? '' : op === 'shlV' ? `((${y} >>> 1) >>> (31 - ${r}))` : `((${y} << 1) << (31 - ${r}))`;
    return lo && hi ? `(${lo} | ${hi})` : lo || hi || ZERO;
  };
  const out: string[] = [];
  for (let j = 0; j < n; j++) {
    // Cases q = 0 .. n - 1 (q >= n: every word shifted out).
    const cases: string[] = [];
    for (let k = 0; k < n; k++)
      cases.push(op === 'shlV' ? join(word(j - k), word(j - k - 1)) : join(word(j + k), word(j + k + 1)));
    let expr = op === 'shlV' ? ZERO : fill;
    for (let k = n - 1; k >= 0; k--) {
      const c = cases[k] as string;
      expr = c === expr ? expr : `(${q} === ${k} ? ${c} : ${expr})`;
    }
    out.push(e.tmp(expr));
  }
  return out;
}

/**
 * A variable shift of a two-word value (33..64 bits, the common wide case: accumulators,
 * alignment shifts) as expressions, without the scratch words. JS shifts count mod 32, so each
 * case guards its amount range; `t` is the amount (any non-negative number).
 */
function varShift2(e: Emitter, op: 'shlV' | 'shrUV' | 'shrSV', [a0, a1]: [string, string], amount: string, w: number): string[] {
  if (op === 'shlV') {
    const t = e.tmp(amount);
    return [
      e.tmp(`(${t} >= 32 ? 0 : ${a0} << ${t})`),
      e.tmp(`(${t} >= 64 ? 0 : ${t} >= 32 ? ${a0} << (${t} - 32) : ${t} === 0 ? ${a1} : (${a1} << ${t}) | (${a0} >>> (32 - ${t})))`),
    ];
  }
  if (op === 'shrUV') {
    // The top word is exact (0 above the width), so zeros come in from the top.
    const t = e.tmp(amount);
    return [
      e.tmp(`(${t} >= 64 ? 0 : ${t} >= 32 ? ${a1} >>> (${t} - 32) : ${t} === 0 ? ${a0} : (${a0} >>> ${t}) | (${a1} << (32 - ${t})))`),
      e.tmp(`(${t} >= 32 ? 0 : ${a1} >>> ${t})`),
    ];
  }
  // shrSV: the top word sign-extended to 32 bits, the amount clamped to w - 1.
  const tb = w - 32;
  const s1 = e.tmp(tb === 32 ? `(${a1} | 0)` : `((${a1} << ${32 - tb}) >> ${32 - tb})`);
  const t = e.tmp(`Math.min(${amount}, ${w - 1})`);
  return [
    e.tmp(`(${t} >= 32 ? ${s1} >> (${t} - 32) : ${t} === 0 ? ${a0} : (${a0} >>> ${t}) | (${s1} << (32 - ${t})))`),
    e.tmp(`(${t} >= 32 ? ${s1} >> 31 : ${s1} >> ${t})`),
  ];
}

function wideResult(e: Emitter, op: CellOp, c: WideCtx): WideLowered {
  const w = c.w;
  const n = wordsOf(w);
  switch (op) {
    case 'const':
      return e.finish(literalWords(c.value ?? 0n, w), w, false);
    case 'zext':
      return e.finish([...wordsOfOperand(arg(c, 0))], w, false);
    case 'sext': {
      const a = arg(c, 0);
      if (a.width === w) return e.finish([...wordsOfOperand(a)], w, false);
      if (!a.words) {
        const lo = e.tmp(
          a.sbits !== undefined && a.sbits <= a.width
            ? a.expr
            : a.width === 32
              ? `(${a.expr} | 0)`
              : `((${a.expr} << ${32 - a.width}) >> ${32 - a.width})`,
        );
        const sign = e.tmp(`(${lo} >> 31)`);
        return e.finish([lo, ...new Array<string>(n - 1).fill(sign)], w, true);
      }
      const s = signed(e, a);
      const out = [...s.words];
      while (out.length < n) out.push(s.sign);
      return e.finish(out, w, true);
    }
    case 'slice':
      return e.finish(sliceWords(wordsOfOperand(arg(c, 0)), c.lo ?? 0, w), w, true);
    case 'concat': {
      const contrib: string[][] = Array.from({ length: n }, () => []);
      let off = 0;
      for (let i = c.args.length - 1; i >= 0; i--) {
        const p = arg(c, i);
        wordsOfOperand(p).forEach((x, k) => {
          if (x === ZERO) return;
          const bit = off + 32 * k;
          const s = bit >> 5;
          const r = bit & 31;
          contrib[s]?.push(r === 0 ? x : `(${x} << ${r})`);
          if (r > 0 && s + 1 < n && 32 * k + 32 - r < p.width) contrib[s + 1]?.push(`(${x} >>> ${32 - r})`);
        });
        off += p.width;
      }
      return e.finish(
        contrib.map((cs) => or(cs)),
        w,
        false,
      );
    }
    case 'not':
      return e.finish(
        wordsOfOperand(arg(c, 0)).map((x) => `(~${x})`),
        w,
        true,
      );
    case 'and':
    case 'or':
    case 'xor': {
      const a = wordsOfOperand(arg(c, 0));
      const b = wordsOfOperand(arg(c, 1));
      const js = op === 'and' ? '&' : op === 'or' ? '|' : '^';
      const out: string[] = [];
      for (let j = 0; j < n; j++) {
        const x = at(a, j);
        const y = at(b, j);
        if (op === 'and') out.push(x === ZERO || y === ZERO ? ZERO : `(${x} & ${y})`);
        else out.push(x === ZERO ? y : y === ZERO ? x : `(${x} ${js} ${y})`);
      }
      return e.finish(out, w, false);
    }
    case 'add':
    case 'sub':
      return e.finish(add(e, wordsOfOperand(arg(c, 0)), wordsOfOperand(arg(c, 1)), n, op === 'sub'), w, true);
    case 'mul':
      return e.finish(mul(e, wordsOfOperand(arg(c, 0)), wordsOfOperand(arg(c, 1)), w), w, true);
    case 'shl': {
      const k = c.amount ?? 0;
      if (k >= w) return e.finish([], w, false);
      const a = wordsOfOperand(arg(c, 0));
      const q = k >> 5;
      const r = k & 31;
      const out: string[] = [];
      for (let j = 0; j < n; j++) {
        const x = at(a, j - q);
        if (r === 0) out.push(x);
        else {
          const y = at(a, j - q - 1);
          out.push(or([x === ZERO ? ZERO : `(${x} << ${r})`, y === ZERO ? ZERO : `(${y} >>> ${32 - r})`]));
        }
      }
      return e.finish(out, w, true);
    }
    case 'shrU': {
      const k = c.amount ?? 0;
      if (k >= w) return e.finish([], w, false);
      return e.finish(sliceWords(wordsOfOperand(arg(c, 0)), k, w), w, true);
    }
    case 'shrS': {
      const k = Math.min(c.amount ?? 0, w - 1);
      const s = signed(e, arg(c, 0));
      return e.finish(sliceWords(s.words, k, w, s.sign), w, true);
    }
    case 'shlV':
    case 'shrUV':
    case 'shrSV': {
      const amount = e.tmp(amountExpr(arg(c, 1)));
      return e.finish(varShift(e, op, arg(c, 0), amount, w), w, true);
    }
    case 'mux': {
      // Word by word; a word of literal 0 in an arm makes a mask (repr.ts selectExpr).
      const sel = e.tmp(selectBit(arg(c, 0)));
      const x = wordsOfOperand(arg(c, 1));
      const y = wordsOfOperand(arg(c, 2));
      const out: string[] = [];
      for (let j = 0; j < n; j++) out.push(selectExpr(sel, at(x, j), at(y, j)).expr);
      return e.finish(out, w, false);
    }
    default:
      throw internalError(`sim: no wide lowering of ${op}`);
  }
}

/** Narrow results of wide operands: slices, compares, reductions, shifts by a wide amount. */
function narrowResult(e: Emitter, op: CellOp, c: WideCtx, narrowLower: (c: WideCtx) => Lowered): WideLowered {
  const a = arg(c, 0);
  const aw = wordsOfOperand(a);
  switch (op) {
    case 'slice': {
      const [x] = sliceWords(aw, c.lo ?? 0, c.w);
      const v = x ?? ZERO;
      return e.narrow(c.w < 32 ? { expr: `(${v} & ${maskNum(c.w)})`, exact: true } : { expr: v, exact: false });
    }
    case 'eq':
    case 'ne':
    case 'ltU':
    case 'leU':
    case 'ltS':
    case 'leS':
      return e.narrow({ expr: compare(e, op, a, arg(c, 1)), exact: true });
    case 'andR': {
      const m = topMask(a.width);
      const ws = aw.map((x, j) => (j === aw.length - 1 && m !== null ? `(${x} | ${~Number(m)})` : x));
      return e.narrow({ expr: bit(`(${ws.join(' & ')}) === -1`), exact: true });
    }
    case 'orR':
      return e.narrow({ expr: bit(`${or(aw)} !== 0`), exact: true });
    case 'xorR':
      return e.narrow({ expr: `par32(${aw.length === 1 ? aw[0] : aw.join(' ^ ')})`, exact: true });
    case 'shlV':
    case 'shrUV':
    case 'shrSV': {
      // Only the amount is wide: clamp it to a number and use the narrow lowering.
      const amount = e.tmp(amountExpr(arg(c, 1)));
      return e.narrow(narrowLower({ ...c, args: [a, { expr: amount, width: 32, exact: true }] }));
    }
    default:
      throw internalError(`sim: no narrow lowering of ${op} with a wide operand`);
  }
}

/**
 * Lowers a cell whose result or some operand is wider than 32 bits. `name` prefixes the locals
 * it introduces (`v12` gives `v12_0`, `v12_t3`, ...); `narrowLower` lowers a narrow cell.
 */
export function lowerWideCell(op: CellOp, c: WideCtx, name: string, narrowLower: (c: WideCtx) => Lowered): WideLowered {
  const e = new Emitter(name);
  return isWide(c.w) ? wideResult(e, op, c) : narrowResult(e, op, c, narrowLower);
}

/**
 * Scratch words and the variable-shift helpers of the word lowering (`maxWords`: widest value).
 * `xW(A, b, n, s, k)`: k words at bit s of the n-word value at A[b..] into T (0 beyond n words;
 * A may be T itself: word j is written after words >= j are read). `dW(A, B, i, e)`: words
 * [i, e) of A and B differ. `siW(i, n, k, p, x)`: the next value of the n-word register at RW[i..]
 * shifted right by k bits with the k-bit x shifted in at bit p = width - k (a collector).
 */
export function widePrelude(maxWords: number): string {
  return `const T = new Uint32Array(${Math.max(maxWords, 1)});
function shlW(n, s) {
  if (s >= 32 * n) { T.fill(0, 0, n); return; }
  const q = s >>> 5, r = s & 31;
  for (let j = n - 1; j >= 0; j--) {
    const lo = j - q;
    let v = lo >= 0 ? T[lo] << r : 0;
    if (r !== 0 && lo >= 1) v |= T[lo - 1] >>> (32 - r);
    T[j] = v;
  }
}
function dW(A, B, i, e) {
  for (; i < e; i++) if (A[i] !== B[i]) return true;
  return false;
}
function xW(A, b, n, s, k) {
  if (s >= 32 * n) { T.fill(0, 0, k); return; }
  const q = s >>> 5, r = s & 31;
  for (let j = 0; j < k; j++) {
    const i = q + j;
    const a = i < n ? A[b + i] : 0;
    if (r === 0) { T[j] = a; continue; }
    const c = i + 1 < n ? A[b + i + 1] : 0;
    T[j] = (a >>> r) | (c << (32 - r));
  }
}
function siW(i, n, k, p, x) {
  const q = k >>> 5, r = k & 31;
  if (r === 0) for (let j = 0; j < n; j++) RWX[i + j] = j + q < n ? RW[i + j + q] : 0;
  else {
    for (let j = 0; j + q + 1 < n; j++) RWX[i + j] = (RW[i + j + q] >>> r) | (RW[i + j + q + 1] << (32 - r));
    RWX[i + n - 1 - q] = RW[i + n - 1] >>> r;
    for (let j = n - q; j < n; j++) RWX[i + j] = 0;
  }
  const w = p >>> 5, s = p & 31;
  RWX[i + w] |= x << s;
  if (s !== 0 && s + k > 32) RWX[i + w + 1] |= x >>> (32 - s);
}
function shrW(n, s, fill) {
  if (s >= 32 * n) { T.fill(fill, 0, n); return; }
  const q = s >>> 5, r = s & 31;
  for (let j = 0; j < n; j++) {
    const hi = j + q;
    const a = hi < n ? T[hi] : fill;
    if (r === 0) { T[j] = a; continue; }
    const b = hi + 1 < n ? T[hi + 1] : fill;
    T[j] = (a >>> r) | (b << (32 - r));
  }
}`;
}
