// One normalized cell as SystemVerilog expression text. Every net is declared unsigned with its
// exact width and every normalized operand already has the width the op needs, so SV's
// context-width rules never widen or narrow anything; signedness appears only where an op needs
// it (`$signed()` on both sides of ltS/leS, on the shifted value of shrS/shrSV).
import type { Cell } from '../../hdl/index.js';
import { internalError } from '../../hdl/index.js';

/** Expression text; `atomic` when it needs no parentheses as an operand. */
export interface Term {
  readonly text: string;
  readonly atomic: boolean;
}

/** An operand: its text and its width. */
export interface Operand extends Term {
  readonly width: number;
}

/** A sized literal: `1'b0`, `8'h0f`, `24'h000000`. */
export function literal(width: number, value: bigint): string {
  if (width === 1) return `1'b${value & 1n}`;
  return `${width}'h${value.toString(16).padStart(Math.ceil(width / 4), '0')}`;
}

const paren = (t: Term): string => (t.atomic ? t.text : `(${t.text})`);
const atom = (text: string): Term => ({ text, atomic: true });
const expr = (text: string): Term => ({ text, atomic: false });

const BINARY: Readonly<Record<string, string>> = {
  and: '&',
  or: '|',
  xor: '^',
  add: '+',
  sub: '-',
  mul: '*',
  eq: '==',
  ne: '!=',
  ltU: '<',
  leU: '<=',
};
const REDUCE: Readonly<Record<string, string>> = { andR: '&', orR: '|', xorR: '^' };

function operand(args: readonly Operand[], i: number): Operand {
  const a = args[i];
  if (!a) throw internalError(`internal: cell operand ${i} missing`);
  return a;
}

/** Part-select of a named operand: `a[3:0]`, `a[5]`, or `a` itself when it is the whole net. */
export function select(a: Operand, lo: number, width: number): Term {
  if (lo === 0 && width === a.width) return a;
  if (!a.atomic) throw internalError(`internal: part-select of an unnamed expression ${a.text}`);
  return atom(width === 1 ? `${a.text}[${lo}]` : `${a.text}[${lo + width - 1}:${lo}]`);
}

/** Bits needed to write the number `w`: the smallest k with w < 2^k. */
export function bitsFor(w: number): number {
  return w.toString(2).length;
}

/**
 * The amount operand of a shift by a signal `n` of a `width`-bit value, as an operand text. An
 * amount no wider than `bitsFor(width)` is printed as is. A wider one is clamped to that many
 * bits, `(|n[hi:k]) ? k'(width) : n[k-1:0]`, which shifts out every bit exactly when n >= width
 * (2^k > width): Verilator 5.006 computes `a << n` as `a << (n mod 64)` when n is a computed
 * 65-bit or wider value, and a narrow amount is cheap in every tool. The ternary is
 * self-determined (an amount always is), so it cannot change the width or sign of the shift.
 * Needs `n` named (usage.ts marks it).
 */
function shiftAmount(n: Operand, width: number): string {
  const k = bitsFor(width);
  if (n.width <= k) return paren(n);
  const hi = select(n, k, n.width - k).text;
  const over = n.width - k === 1 ? hi : `|${hi}`;
  return `(${over} ? ${literal(k, BigInt(width))} : ${select(n, 0, k).text})`;
}

/** The SV text of `cell`, whose result has `width` bits. */
export function renderCell(cell: Cell, width: number, args: readonly Operand[]): Term {
  const op = cell.op;
  switch (op) {
    case 'const':
      return atom(literal(width, cell.value ?? 0n));
    case 'rom':
      throw internalError('internal: a rom is printed as a case (print.ts), not an expression');
    case 'zext': {
      const a = operand(args, 0);
      if (width === a.width) return a;
      return atom(`{${literal(width - a.width, 0n)}, ${a.text}}`);
    }
    case 'sext': {
      const a = operand(args, 0);
      const k = width - a.width;
      if (k === 0) return a;
      if (a.width === 1) return atom(`{${width}{${a.text}}}`);
      const top = select(a, a.width - 1, 1).text;
      return atom(k === 1 ? `{${top}, ${a.text}}` : `{{${k}{${top}}}, ${a.text}}`);
    }
    case 'slice':
      return select(operand(args, 0), cell.lo ?? 0, width);
    case 'concat':
      return args.length === 1 ? operand(args, 0) : atom(`{${args.map((a) => a.text).join(', ')}}`);
    case 'not':
      return expr(`~${paren(operand(args, 0))}`);
    case 'and':
    case 'or':
    case 'xor':
    case 'add':
    case 'sub':
    case 'mul':
    case 'eq':
    case 'ne':
    case 'ltU':
    case 'leU':
      return expr(`${paren(operand(args, 0))} ${BINARY[op]} ${paren(operand(args, 1))}`);
    case 'ltS':
    case 'leS': {
      const sym = op === 'ltS' ? '<' : '<=';
      return expr(`$signed(${operand(args, 0).text}) ${sym} $signed(${operand(args, 1).text})`);
    }
    case 'shl':
    case 'shrU': {
      const k = cell.amount ?? 0;
      if (k === 0) return operand(args, 0);
      if (k >= width) return atom(literal(width, 0n)); // every bit shifted out
      return expr(`${paren(operand(args, 0))} ${op === 'shl' ? '<<' : '>>'} ${k}`);
    }
    case 'shrS': {
      // Beyond width - 1 every bit is a copy of the sign, as at width - 1.
      const k = Math.min(cell.amount ?? 0, width - 1);
      if (k === 0) return operand(args, 0);
      return expr(`$signed(${operand(args, 0).text}) >>> ${k}`);
    }
    case 'shlV':
    case 'shrUV': {
      const n = shiftAmount(operand(args, 1), width);
      return expr(`${paren(operand(args, 0))} ${op === 'shlV' ? '<<' : '>>'} ${n}`);
    }
    case 'shrSV':
      return expr(`$signed(${operand(args, 0).text}) >>> ${shiftAmount(operand(args, 1), width)}`);
    case 'mux': {
      const [s, t, f] = [0, 1, 2].map((i) => paren(operand(args, i)));
      return expr(`${s} ? ${t} : ${f}`);
    }
    case 'andR':
    case 'orR':
    case 'xorR':
      return expr(`${REDUCE[op]}${paren(operand(args, 0))}`);
    default:
      return assertNever(op);
  }
}

/**
 * A product at its operands' own widths: `$signed(a) * $signed(b)`, or `a * b` unsigned. Only
 * valid as the whole right-hand side of an assign to the product's net, whose width then sets the
 * width of the multiplication (usage.ts, nativeProducts).
 */
export function renderNativeMul(signed: boolean, args: readonly Operand[]): Term {
  const [a, b] = [operand(args, 0), operand(args, 1)];
  return signed
    ? expr(`$signed(${a.text}) * $signed(${b.text})`)
    : expr(`${paren(a)} * ${paren(b)}`);
}

function assertNever(x: never): never {
  throw internalError(`internal: unknown cell op ${String(x)}`);
}
