// The generated model has no BigInt at all: values wider than 32 bits are 32-bit words in
// Uint32Arrays and locals (src/sim/wide.ts), so BigInt appears only at the API boundary (poke,
// peek). That also rules out the V8 11.3 (Node 20) Turbofan abort on a phi of two
// BigInt.asUintN(w <= 64) results (test/regressions/sim-v8-*), which the previous bigint
// representation had to avoid by hand.
import { expect } from 'chai';
import { CELL_OPS, type CellOp } from '../../../src/hdl/index.js';
import { compile } from '../../../src/sim/index.js';
import { Kit, netlist } from './kit.js';

const WIDTHS = [33, 37, 63, 64, 65, 128, 1024];
const ONE_BIT: readonly CellOp[] = ['eq', 'ne', 'ltU', 'leU', 'ltS', 'leS', 'andR', 'orR', 'xorR'];

/** Every op at width w, wide operands, wide shift amounts and wide state in one design. */
function everyOp(w: number): ReturnType<typeof netlist> {
  const k = new Kit(`all_${w}`);
  const a = k.input('a', w);
  const b = k.input('b', w);
  const n = k.input('n', 40);
  const s = k.input('s', 1);
  const outs: number[] = [];
  for (const op of CELL_OPS) {
    if (op === 'const') outs.push(k.lit(5n, w));
    else if (op === 'zext' || op === 'sext') outs.push(k.cell(op, w + 3, [a]));
    else if (op === 'slice') outs.push(k.cell('slice', 9, [a], { lo: w - 12 }), k.cell('slice', w - 3, [a], { lo: 3 }));
    else if (op === 'concat') outs.push(k.cell('concat', 2 * w, [a, b]));
    else if (op === 'not') outs.push(k.cell('not', w, [a]));
    else if (op === 'mux') outs.push(k.cell('mux', w, [s, a, b]));
    else if (op === 'rom') outs.push(k.cell('rom', w, [n], { table: [1n << BigInt(w - 1), 5n] }), k.cell('rom', 8, [a], { table: [3n, 200n] }));
    else if (op === 'shl' || op === 'shrU' || op === 'shrS') outs.push(k.cell(op, w, [a], { amount: 7 }));
    else if (op === 'shlV' || op === 'shrUV' || op === 'shrSV') outs.push(k.cell(op, w, [a, n]), k.cell(op, 8, [k.lit(3n, 8), a]));
    else if (ONE_BIT.includes(op)) outs.push(op.endsWith('R') ? k.cell(op, 1, [a]) : k.cell(op, 1, [a, b]));
    else outs.push(k.cell(op, w, [a, b]));
  }
  const en = k.input('en', 1);
  const q = k.reg('q', w, 3n, en);
  k.next(q, k.cell('add', w, [q, a]));
  const [rd] = k.mem('m', w, 5, [n], [{ addr: n, data: b, en }]);
  outs.push(q, rd as number);
  outs.forEach((o, i) => k.output(`y${i}`, o));
  return netlist(k.def());
}

describe('sim: no BigInt in generated code', () => {
  for (const w of WIDTHS)
    it(`a design with every op at ${w} bits has no BigInt or bigint literal in its model`, () => {
      const src = compile(everyOp(w)).source;
      expect(src).to.not.match(/BigInt/);
      expect(src).to.not.match(/\b(0x[0-9a-f]+|\d+)n\b/);
    });
});
