// The narrow lowerings of src/sim/repr.ts, one cell at a time, against the reference
// interpreter's evalCell (test/support/netlist-interp.ts), for every kind of operand the code
// generator passes in: a decimal literal, an exact value, a loose int32 (garbage above the
// width), a sign extension (sbits = width) and a value with a known narrower signed range. Each
// result must keep the contract of `Lowered` (repr.ts): its low w bits are the value; when
// `exact`, it *is* the unsigned value; when `sbits` is set, it is an int32 in
// [-2^(sbits-1), 2^(sbits-1)) and, for sbits <= w, the sign extension of the value. A lowering
// that claims a stronger fact than holds (a mutant of `exact`, `sbits` or `fits`) breaks a
// consumer that trusts it; the end-to-end netlists of loose.test.ts see only some of them.
import { expect } from 'chai';
import type { Cell, CellOp } from '../../../src/hdl/index.js';
import { literal, lowerCell, prelude, type Operand } from '../../../src/sim/repr.js';
import { evalCell } from '../../support/netlist-interp.js';

const WIDTHS = [1, 2, 7, 16, 31, 32] as const;
// over: a known range one bit wider than the width (sbits = w + 1, what a sum of two w-bit
// sign extensions has), so the number is not yet its own sign extension.
type Form = 'lit' | 'exact' | 'loose' | 'sext' | 'half' | 'over';
const FORMS: readonly Form[] = ['lit', 'exact', 'loose', 'sext', 'half', 'over'];

let seed = 12345;
/** A 32-bit pseudo-random number (an LCG: the same cases every run). */
const rnd = (): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed;
};
const mask = (w: number): bigint => (1n << BigInt(w)) - 1n;

/** One operand: its value, the number the generated code holds, and its Operand description. */
interface Arg {
  readonly value: bigint;
  readonly num: number;
  readonly form: Form;
  readonly sbits?: number;
}

/** Values of width w for a form: the edges (0, 1, max, the sign boundary) and a few random ones. */
function argsOf(form: Form, w: number): Arg[] {
  const half = Math.max(1, w >> 1);
  const signed = (s: bigint): Arg => ({
    value: BigInt.asUintN(w, s),
    num: Number(s),
    form,
    sbits: form === 'sext' ? w : form === 'over' ? w + 1 : half,
  });
  if (form === 'over' && w === 32) return []; // sbits 33: not an int32
  if (form === 'sext' || form === 'half' || form === 'over') {
    const sbits = form === 'sext' ? w : form === 'over' ? w + 1 : half;
    const lim = 1n << BigInt(sbits - 1);
    const picks = [0n, -1n, lim - 1n, -lim, 1n % lim];
    for (let i = 0; i < 2; i++) picks.push(BigInt(rnd() % Number(2n * lim)) - lim);
    return [...new Set(picks)].map(signed);
  }
  const picks = [0n, 1n & mask(w), mask(w), 1n << BigInt(w - 1), mask(w) >> 1n];
  for (let i = 0; i < 2; i++) picks.push(BigInt(rnd()) & mask(w));
  return [...new Set(picks)].map((value) => {
    // Loose: garbage above the width (w < 32), or the int32 reading of a 32-bit pattern.
    const garbage = w < 32 ? Number(BigInt.asIntN(32, (BigInt(rnd()) << BigInt(w)) | value)) : Number(BigInt.asIntN(32, value));
    return { value, num: form === 'loose' ? garbage : Number(value), form };
  });
}

/** The Operand for argument i (named a0, a1, ... unless a literal). */
const operand = (x: Arg, w: number, i: number): Operand => ({
  expr: x.form === 'lit' ? literal(x.value, w) : `a${i}`,
  width: w,
  exact: x.form === 'lit' || x.form === 'exact',
  ...(x.sbits !== undefined ? { sbits: x.sbits } : {}),
});

const PRELUDE = prelude();
let checks = 0;
const fnCache = new Map<string, (...a: number[]) => number>();
/** The generated expression as a function of a0..a2 (compiled once per expression). */
function evaluate(expr: string, nums: readonly number[]): number {
  let f = fnCache.get(expr);
  if (!f) {
    f = new Function('a0', 'a1', 'a2', `${PRELUDE}\nreturn ${expr};`) as (...a: number[]) => number;
    fnCache.set(expr, f);
  }
  return f(...nums);
}

/** A cell's constant fields (LowerCtx's). */
interface Extra {
  readonly value?: bigint;
  readonly lo?: number;
  readonly amount?: number;
}

/** Lowers `op` for the given operands and checks the result's contract against evalCell. */
function check(op: CellOp, w: number, xs: readonly Arg[], widths: readonly number[], extra: Extra = {}): void {
  const ops = xs.map((x, i) => operand(x, widths[i] as number, i));
  const low = lowerCell(op, { ...extra, w, args: ops });
  const cell = { op, args: [], ...extra } as Cell;
  const want = evalCell(
    cell,
    w,
    xs.map((x) => x.value),
    widths,
  );
  const r = evaluate(
    low.expr,
    xs.map((x) => x.num),
  );
  const at = (what: string): string =>
    `${op} w=${w} ${xs.map((x, i) => `${x.form}:${x.value}/${widths[i]}`).join(' ')} ${JSON.stringify(extra, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))} -> ${low.expr} = ${r} (exact ${low.exact}, sbits ${low.sbits}): ${what}`;
  // Plain comparisons first (this runs ~10^5 times); expect() only to report a failure.
  if (!Number.isInteger(r)) expect.fail(at('not an integer'));
  if (BigInt.asUintN(w, BigInt(r)) !== want) expect(BigInt.asUintN(w, BigInt(r)), at('low bits')).to.equal(want);
  if (low.exact && r !== Number(want)) expect(r, at('exact')).to.equal(Number(want));
  if (low.sbits !== undefined) {
    if (r !== (r | 0)) expect.fail(at('not an int32'));
    if (r < -(2 ** (low.sbits - 1)) || r >= 2 ** (low.sbits - 1)) expect.fail(at('outside sbits'));
    if (low.sbits <= w && r !== Number(BigInt.asIntN(w, want)))
      expect(r, at('sign extension')).to.equal(Number(BigInt.asIntN(w, want)));
  }
  checks++;
}

/** Every pair of operand forms and values of width w (operand widths wa, wb). */
function pairs(w: number, wa: number, wb: number, body: (x: Arg, y: Arg) => void): void {
  for (const fa of FORMS)
    for (const fb of FORMS) for (const x of argsOf(fa, wa)) for (const y of argsOf(fb, wb)) body(x, y);
  void w;
}

/** Operands for the shape table: exact, loose, known signed range, literal (named a<i>). */
const E = (w: number, i = 0): Operand => ({ expr: `a${i}`, width: w, exact: true });
const L = (w: number, i = 0): Operand => ({ expr: `a${i}`, width: w, exact: false });
const S = (w: number, s: number, i = 0): Operand => ({ expr: `a${i}`, width: w, exact: false, sbits: s });
const K = (v: number, w: number): Operand => ({ expr: String(v), width: w, exact: true });

// Every lowering's expression and facts for the operand kinds that choose its form, as the
// comments of repr.ts describe them: a *weaker* fact (exact or sbits dropped) or a longer
// expression keeps every value (the contract tests above cannot see it) but costs masks, sign
// extensions and tests in every model, so the forms are pinned here (update deliberately).
const SHAPES: readonly [string, CellOp, number, Operand[], Extra, string, boolean, number | undefined][] = [
  ['and E L', 'and', 8, [E(8), L(8, 1)], {}, '(a0 & a1)', true, undefined],
  ['or E L', 'or', 8, [E(8), L(8, 1)], {}, '(a0 | a1)', false, undefined],
  ['or E E', 'or', 8, [E(8), E(8, 1)], {}, '(a0 | a1)', true, undefined],
  ['xor E E 32', 'xor', 32, [E(32), E(32, 1)], {}, '(a0 ^ a1)', false, undefined],
  ['xor E E 31', 'xor', 31, [E(31), E(31, 1)], {}, '(a0 ^ a1)', true, undefined],
  ['add S S', 'add', 8, [S(8, 8), S(8, 6, 1)], {}, '((a0 + a1) | 0)', false, 9],
  ['add S S 32', 'add', 32, [S(32, 32), S(32, 31, 1)], {}, '((a0 + a1) | 0)', false, undefined],
  ['add S S 31 fits', 'add', 32, [S(32, 31), S(32, 30, 1)], {}, '((a0 + a1) | 0)', false, 32],
  ['add E S', 'add', 8, [E(8), S(8, 8, 1)], {}, '((a0 + a1) | 0)', false, undefined],
  ['sub S E', 'sub', 8, [S(8, 8), E(8, 1)], {}, '((a0 - a1) | 0)', false, undefined],
  ['sub S S', 'sub', 8, [S(8, 3), S(8, 7, 1)], {}, '((a0 - a1) | 0)', false, 8],
  ['mul S S', 'mul', 8, [S(8, 4), S(8, 4, 1)], {}, 'Math.imul(a0, a1)', false, 8],
  ['mul S S 33', 'mul', 32, [S(32, 16), S(32, 17, 1)], {}, 'Math.imul(a0, a1)', false, undefined],
  ['mul S S 32', 'mul', 32, [S(32, 16), S(32, 16, 1)], {}, 'Math.imul(a0, a1)', false, 32],
  ['mul L S', 'mul', 8, [L(8), S(8, 4, 1)], {}, 'Math.imul(a0, a1)', false, undefined],
  ['mux S S', 'mux', 8, [E(1), S(8, 3, 1), S(8, 5, 2)], {}, '(a0 ? a1 : a2)', false, 5],
  ['mux E E', 'mux', 8, [E(1), E(8, 1), E(8, 2)], {}, '(a0 ? a1 : a2)', true, undefined],
  ['mux L sel', 'mux', 8, [L(1), E(8, 1), L(8, 2)], {}, '((a0 & 1) ? a1 : a2)', false, undefined],
  ['mux S E', 'mux', 8, [E(1), S(8, 3, 1), E(8, 2)], {}, '(a0 ? a1 : a2)', false, undefined],
  // selectExpr: equal arms or a literal select give the arm itself (exact as it is); an arm of
  // literal 0 a mask, an int32: exact below 32 bits (0 or the exact arm), not at 32.
  ['mux E E 32', 'mux', 32, [E(1), E(32, 1), E(32, 2)], {}, '(a0 ? a1 : a2)', true, undefined],
  ['mux same 32', 'mux', 32, [E(1), E(32, 1), E(32, 1)], {}, 'a1', true, undefined],
  ['mux K1 32', 'mux', 32, [K(1, 1), E(32, 1), E(32, 2)], {}, 'a1', true, undefined],
  ['mux K0 32', 'mux', 32, [K(0, 1), E(32, 1), E(32, 2)], {}, 'a2', true, undefined],
  ['mux E 0', 'mux', 8, [E(1), E(8, 1), K(0, 8)], {}, '(a1 & -a0)', true, undefined],
  ['mux L sel E 0', 'mux', 8, [L(1), E(8, 1), K(0, 8)], {}, '(a1 & -(a0 & 1))', true, undefined],
  ['mux E 0 32', 'mux', 32, [E(1), E(32, 1), K(0, 32)], {}, '(a1 & -a0)', false, undefined],
  ['mux 0 E', 'mux', 8, [E(1), K(0, 8), E(8, 2)], {}, '(a2 & (a0 - 1))', true, undefined],
  ['mux 0 E 32', 'mux', 32, [E(1), K(0, 32), E(32, 2)], {}, '(a2 & (a0 - 1))', false, undefined],
  ['sext S to 16', 'sext', 16, [S(8, 3)], {}, 'a0', false, 3],
  ['sext E to 16', 'sext', 16, [E(8)], {}, '((a0 << 24) >> 24)', false, 8],
  ['sext L to 8', 'sext', 8, [L(8)], {}, 'a0', false, undefined],
  ['sext S9 to 16', 'sext', 16, [S(8, 9)], {}, '((a0 << 24) >> 24)', false, 8],
  ['sext L31 to 32', 'sext', 32, [L(31)], {}, '((a0 << 1) >> 1)', false, 31],
  ['slice 0 8 of E8', 'slice', 8, [E(8)], { lo: 0 }, 'a0', true, undefined],
  ['slice 0 4 of E8', 'slice', 4, [E(8)], { lo: 0 }, 'a0', false, undefined],
  ['slice 4 4 of E8', 'slice', 4, [E(8)], { lo: 4 }, '(a0 >>> 4)', true, undefined],
  ['slice 2 4 of E8', 'slice', 4, [E(8)], { lo: 2 }, '(a0 >>> 2)', false, undefined],
  ['slice 4 4 of L8', 'slice', 4, [L(8)], { lo: 4 }, '(a0 >>> 4)', false, undefined],
  ['concat E E 16', 'concat', 16, [E(8), E(8, 1)], {}, '((a0 << 8) | a1)', true, undefined],
  ['concat E E 32', 'concat', 32, [E(16), E(16, 1)], {}, '((a0 << 16) | a1)', false, undefined],
  ['concat L E', 'concat', 16, [L(8), E(8, 1)], {}, '((a0 << 8) | a1)', false, undefined],
  ['concat E L', 'concat', 16, [E(8), L(8, 1)], {}, '((a0 << 8) | (a1 & 255))', true, undefined],
  ['concat 1', 'concat', 8, [L(8)], {}, 'a0', false, undefined],
  ['concat 3', 'concat', 12, [L(4), L(4, 1), L(4, 2)], {}, '((a0 << 8) | ((a1 & 15) << 4) | (a2 & 15))', false, undefined],
  ['eq E E', 'eq', 1, [E(8), E(8, 1)], {}, '((a0 === a1) | 0)', true, undefined],
  ['eq L L', 'eq', 1, [L(8), L(8, 1)], {}, '((((a0 ^ a1) & 255) === 0) | 0)', true, undefined],
  ['eq E L', 'eq', 1, [E(8), L(8, 1)], {}, '((((a0 ^ a1) & 255) === 0) | 0)', true, undefined],
  ['ne L L 32', 'ne', 1, [L(32), L(32, 1)], {}, '(((a0 ^ a1) !== 0) | 0)', true, undefined],
  ['eq K L', 'eq', 1, [K(5, 8), L(8, 1)], {}, '((5 === (a1 & 255)) | 0)', true, undefined],
  ['eq L K', 'eq', 1, [L(8), K(5, 8)], {}, '(((a0 & 255) === 5) | 0)', true, undefined],
  ['ne K L', 'ne', 1, [K(5, 8), L(8, 1)], {}, '((5 !== (a1 & 255)) | 0)', true, undefined],
  ['eq K L 32', 'eq', 1, [K(5, 32), L(32, 1)], {}, '(((5 ^ a1) === 0) | 0)', true, undefined],
  ['ltU L E', 'ltU', 1, [L(8), E(8, 1)], {}, '(((a0 & 255) < a1) | 0)', true, undefined],
  ['ltS S S', 'ltS', 1, [S(8, 8), S(8, 5, 1)], {}, '((a0 < a1) | 0)', true, undefined],
  ['ltS L L', 'ltS', 1, [L(8), L(8, 1)], {}, '((((a0 << 24) >> 24) < ((a1 << 24) >> 24)) | 0)', true, undefined],
  ['leS L32 E32', 'leS', 1, [L(32), E(32, 1)], {}, '(((a0 | 0) <= (a1 | 0)) | 0)', true, undefined],
  ['ltS K L', 'ltS', 1, [K(200, 8), L(8, 1)], {}, '((-56 < ((a1 << 24) >> 24)) | 0)', true, undefined],
  ['ltS S9', 'ltS', 1, [S(8, 9), E(8, 1)], {}, '((((a0 << 24) >> 24) < ((a1 << 24) >> 24)) | 0)', true, undefined],
  ['shl 0', 'shl', 8, [L(8)], { amount: 0 }, 'a0', false, undefined],
  ['shl 8', 'shl', 8, [L(8)], { amount: 8 }, '0', true, undefined],
  ['shl 3', 'shl', 8, [L(8)], { amount: 3 }, '(a0 << 3)', false, undefined],
  ['shrU 0', 'shrU', 8, [L(8)], { amount: 0 }, 'a0', false, undefined],
  ['shrU 3', 'shrU', 8, [L(8)], { amount: 3 }, '((a0 & 255) >>> 3)', true, undefined],
  ['shrU 8', 'shrU', 8, [L(8)], { amount: 8 }, '0', true, undefined],
  ['shrS 0', 'shrS', 8, [L(8)], { amount: 0 }, 'a0', false, undefined],
  ['shrS 3 w32', 'shrS', 32, [L(32)], { amount: 3 }, '(a0 >> 3)', false, undefined],
  ['shrS 3 w8', 'shrS', 8, [L(8)], { amount: 3 }, '((a0 << 24) >> 27)', false, undefined],
  ['shrS 9 w8', 'shrS', 8, [L(8)], { amount: 9 }, '((a0 << 24) >> 31)', false, undefined],
  ['shlV n3', 'shlV', 8, [L(8), E(3, 1)], {}, '(a0 << a1)', false, undefined],
  ['shlV n4', 'shlV', 8, [L(8), E(4, 1)], {}, '(a1 >= 8 ? 0 : (a0 << a1))', false, undefined],
  ['shrUV n4 L', 'shrUV', 8, [L(8), L(4, 1)], {}, '((a1 & 15) >= 8 ? 0 : ((a0 & 255) >>> (a1 & 15)))', true, undefined],
  ['shrSV n3', 'shrSV', 8, [L(8), E(3, 1)], {}, '((a0 << 24) >> (24 + a1))', false, undefined],
  ['shrSV n6 w32', 'shrSV', 32, [L(32), E(6, 1)], {}, '(a0 >> (a1 >= 32 ? 31 : a1))', false, undefined],
  ['shlV n32', 'shlV', 32, [L(32), E(32, 1)], {}, '(a1 >= 32 ? 0 : (a0 << a1))', false, undefined],
  ['andR L8', 'andR', 1, [L(8)], {}, '(((a0 & 255) === 255) | 0)', true, undefined],
  ['andR L32', 'andR', 1, [L(32)], {}, '(((a0 | 0) === -1) | 0)', true, undefined],
  ['orR L8', 'orR', 1, [L(8)], {}, '(((a0 & 255) !== 0) | 0)', true, undefined],
  ['orR L32', 'orR', 1, [L(32)], {}, '((a0 !== 0) | 0)', true, undefined],
  ['xorR L8', 'xorR', 1, [L(8)], {}, 'par32((a0 & 255))', true, undefined],
  ['xorR L32', 'xorR', 1, [L(32)], {}, 'par32(a0)', true, undefined],
  ['zext L8', 'zext', 16, [L(8)], {}, '(a0 & 255)', true, undefined],
  ['zext L32', 'zext', 32, [L(32)], {}, '(a0 >>> 0)', true, undefined],
  ['not S', 'not', 8, [S(8, 5)], {}, '(~a0)', false, 5],
  ['const', 'const', 8, [], { value: 200n }, '200', true, undefined],
];

describe('sim: narrow lowerings (repr.ts) keep the Lowered contract for every operand form', () => {
  for (const op of ['and', 'or', 'xor', 'add', 'sub', 'mul'] as const)
    it(`${op}: every form pair at widths 1-32`, () => {
      for (const w of WIDTHS) pairs(w, w, w, (x, y) => check(op, w, [x, y], [w, w]));
    });

  for (const op of ['eq', 'ne', 'ltU', 'leU', 'ltS', 'leS'] as const)
    it(`${op}: every form pair at widths 1-32`, () => {
      for (const w of WIDTHS) pairs(w, w, w, (x, y) => check(op, 1, [x, y], [w, w]));
    });

  it('not, andR, orR, xorR: every form at widths 1-32', () => {
    for (const w of WIDTHS)
      for (const f of FORMS)
        for (const x of argsOf(f, w)) {
          check('not', w, [x], [w]);
          for (const op of ['andR', 'orR', 'xorR'] as const) check(op, 1, [x], [w]);
        }
  });

  it('zext and sext to the same, one more and 32 bits', () => {
    for (const w of WIDTHS)
      for (const to of new Set([w, Math.min(w + 1, 32), 32]))
        for (const f of FORMS)
          for (const x of argsOf(f, w)) {
            check('zext', to, [x], [w]);
            check('sext', to, [x], [w]);
          }
  });

  it('slice: low, middle and top bits', () => {
    for (const w of WIDTHS)
      for (const [lo, n] of [
        [0, w],
        [0, Math.max(1, w - 1)],
        [1, Math.max(1, w - 1)],
        [w - 1, 1],
        [w >> 1, Math.max(1, w - (w >> 1) - 1)],
      ] as const) {
        if (lo + n > w) continue;
        for (const f of FORMS) for (const x of argsOf(f, w)) check('slice', n, [x], [w], { lo });
      }
  });

  it('concat of two and three parts, up to 32 bits (MSB first)', () => {
    for (const [wa, wb] of [
      [1, 1],
      [7, 16],
      [16, 16],
      [31, 1],
      [1, 31],
      [2, 7],
    ] as const) {
      pairs(wa + wb, wa, wb, (x, y) => check('concat', wa + wb, [x, y], [wa, wb]));
      if (wa + wb < 32) for (const z of argsOf('loose', 1)) pairs(0, wa, wb, (x, y) => check('concat', wa + wb + 1, [x, y, z], [wa, wb, 1]));
    }
    // One part: the part itself.
    for (const f of FORMS) for (const x of argsOf(f, 7)) check('concat', 7, [x], [7]);
  });

  it('shl, shrU, shrS by constant amounts 0, 1, w-1, w and past w', () => {
    for (const w of WIDTHS)
      for (const amount of [0, 1, w - 1, w, w + 3])
        for (const f of FORMS)
          for (const x of argsOf(f, w)) for (const op of ['shl', 'shrU', 'shrS'] as const) check(op, w, [x], [w], { amount });
  });

  it('shlV, shrUV, shrSV by amount operands of 3, 6 and 32 bits', () => {
    for (const w of WIDTHS)
      for (const wn of [3, 6, 32])
        for (const f of FORMS)
          for (const fn of ['lit', 'exact', 'loose'] as const)
            for (const x of argsOf(f, w))
              for (const n of argsOf(fn, wn))
                for (const op of ['shlV', 'shrUV', 'shrSV'] as const) check(op, w, [x, n], [w, wn]);
  });

  it('mux: every form of select and arms', () => {
    for (const w of WIDTHS)
      for (const fs of ['lit', 'exact', 'loose'] as const)
        for (const s of argsOf(fs, 1)) pairs(w, w, w, (x, y) => check('mux', w, [s, x, y], [1, w, w]));
  });

  it('const: the value as a literal at every width', () => {
    for (const w of WIDTHS) for (const v of [0n, 1n & mask(w), mask(w), 1n << BigInt(w - 1)]) check('const', w, [], [], { value: v });
  });

  it('each lowering has the expression and facts its operand kinds call for (SHAPES)', () => {
    for (const [name, op, w, args, extra, expr, exact, sbits] of SHAPES) {
      const r = lowerCell(op, { ...extra, w, args });
      expect([r.expr, r.exact, r.sbits], name).to.deep.equal([expr, exact, sbits]);
    }
  });

  after(() => expect(checks, 'checks run').to.be.greaterThan(0));

  it('internal errors: wide literal, wide operand, missing operand, rom, each named', () => {
    expect(() => literal(1n, 33)).to.throw(/^sim: literal of 33 bits; use literalWords/);
    const a: Operand = { expr: 'a0', width: 33, exact: true };
    expect(() => lowerCell('add', { w: 33, args: [a, a] })).to.throw(/sim: add of width 33 has a wide value; lower it with wide\.ts/);
    expect(() => lowerCell('add', { w: 8, args: [{ ...a, width: 8 }, a] })).to.throw(/sim: add of width 8 has a wide value/);
    expect(() => lowerCell('add', { w: 8, args: [{ ...a, width: 8 }] })).to.throw(/sim: operand 1 missing/);
    expect(() => lowerCell('rom', { w: 8, args: [{ ...a, width: 8 }] })).to.throw(/sim: a rom is read from its table/);
  });
});
