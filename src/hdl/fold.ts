// The value of a cell whose operands are constants, by the netlist contract (src/hdl/netlist.ts):
// shared by the elaboration's simplification (simplify.ts) and the simulator's (src/sim/optimize.ts).
import type { CellOp } from './netlist.js';

export const mask = (w: number): bigint => (1n << BigInt(w)) - 1n;
const signedOf = (v: bigint, w: number): bigint =>
  v >> BigInt(w - 1) === 1n ? v - (1n << BigInt(w)) : v;
const wrap = (v: bigint, w: number): bigint => v & mask(w);

/** The value of a cell of constant operands (the netlist contract, src/hdl/netlist.ts). */
export function foldCell(
  op: CellOp,
  w: number,
  x: readonly bigint[],
  wx: readonly number[],
  lo: number,
  amount: number,
  table: readonly bigint[] = [],
): bigint {
  const a = x[0] ?? 0n;
  const b = x[1] ?? 0n;
  const wa = wx[0] ?? w;
  switch (op) {
    case 'const':
      return a;
    case 'rom':
      return a < BigInt(table.length) ? (table[Number(a)] ?? 0n) : 0n;
    case 'zext':
      return a;
    case 'sext':
      return wrap(signedOf(a, wa), w);
    case 'slice':
      return (a >> BigInt(lo)) & mask(w);
    case 'concat': {
      let v = 0n;
      x.forEach((p, i) => (v = (v << BigInt(wx[i] ?? 0)) | p));
      return v;
    }
    case 'not':
      return a ^ mask(w);
    case 'and':
      return a & b;
    case 'or':
      return a | b;
    case 'xor':
      return a ^ b;
    case 'add':
      return wrap(a + b, w);
    case 'sub':
      return wrap(a - b, w);
    case 'mul':
      return wrap(a * b, w);
    case 'eq':
      return a === b ? 1n : 0n;
    case 'ne':
      return a === b ? 0n : 1n;
    case 'ltU':
      return a < b ? 1n : 0n;
    case 'leU':
      return a <= b ? 1n : 0n;
    case 'ltS':
      return signedOf(a, wa) < signedOf(b, wa) ? 1n : 0n;
    case 'leS':
      return signedOf(a, wa) <= signedOf(b, wa) ? 1n : 0n;
    case 'shl':
      return amount >= w ? 0n : wrap(a << BigInt(amount), w);
    case 'shrU':
      return amount >= w ? 0n : a >> BigInt(amount);
    case 'shrS':
      return wrap(signedOf(a, w) >> BigInt(Math.min(amount, w)), w);
    case 'shlV':
      return b >= BigInt(w) ? 0n : wrap(a << b, w);
    case 'shrUV':
      return b >= BigInt(w) ? 0n : a >> b;
    case 'shrSV':
      return wrap(signedOf(a, w) >> (b >= BigInt(w) ? BigInt(w) : b), w);
    case 'mux':
      return a === 1n ? b : (x[2] ?? 0n);
    case 'andR':
      return a === mask(wa) ? 1n : 0n;
    case 'orR':
      return a === 0n ? 0n : 1n;
    case 'xorR': {
      let p = 0n;
      for (let v = a; v > 0n; v >>= 1n) p ^= v & 1n;
      return p;
    }
  }
}
