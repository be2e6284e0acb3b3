// The generated code never picks a wide (bigint) value with a conditional expression: V8 11.3
// (Node 20) Turbofan aborts on a phi of two BigInt.asUintN(w <= 64) results that feeds a 64-bit
// shift or compare (test/regressions/sim-v8-*). This checks the invariant statically; the
// regression tests check that V8 survives and the values stay right.
import { expect } from 'chai';
import { CELL_OPS, type CellOp } from '../../../src/hdl/index.js';
import { compile, LOWERINGS, type Operand } from '../../../src/sim/index.js';
import { Kit, netlist } from './kit.js';

const WIDE_WIDTHS = [33, 37, 63, 64, 65, 128];
/** Ops with a 1-bit result: always lowered by the narrow table (`lowerCell` picks by result width). */
const ONE_BIT: readonly CellOp[] = ['eq', 'ne', 'ltU', 'leU', 'ltS', 'leS', 'andR', 'orR', 'xorR'];

/** Operand shapes a wide-result cell can see: wide exact, narrow loose, narrow exact, 1-bit. */
function operands(op: CellOp, w: number): Operand[][] {
  const wide: Operand = { expr: 'va', width: w, exact: true };
  const wide2: Operand = { expr: 'vb', width: w, exact: true };
  const sel: Operand[] = [
    { expr: 'vs', width: 1, exact: true },
    { expr: 'vs', width: 1, exact: false },
  ];
  const amounts: Operand[] = [
    { expr: 'vn', width: 6, exact: false },
    { expr: 'vn', width: 32, exact: true },
    { expr: 'vn', width: 40, exact: true },
  ];
  switch (op) {
    case 'mux':
      return sel.map((s) => [s, wide, wide2]);
    case 'shlV':
    case 'shrUV':
    case 'shrSV':
      return amounts.map((n) => [wide, n]);
    case 'zext':
    case 'sext':
      return [[{ expr: 'vn', width: 8, exact: false }], [{ expr: 'vn', width: 32, exact: false }], [{ ...wide, width: 33 }]];
    case 'concat':
      return [[{ expr: 'vn', width: 8, exact: false }, { ...wide, width: w - 8 }]];
    default:
      return [[wide, wide2]];
  }
}

describe('sim: no bigint-valued conditionals in generated code', () => {
  for (const op of CELL_OPS.filter((o) => !ONE_BIT.includes(o)))
    it(`the wide lowering of ${op} has no conditional expression`, () => {
      for (const w of WIDE_WIDTHS)
        for (const args of operands(op, w)) {
          const { expr } = LOWERINGS.wide[op]({ w, args, value: 5n, lo: 1, amount: 3 });
          expect(expr, `${op} w=${w}: ${expr}`).to.not.include('?');
        }
    });

  it('compares and reductions of wide operands choose only between the numbers 1 and 0', () => {
    for (const op of ONE_BIT)
      for (const w of WIDE_WIDTHS) {
        const args: Operand[] = [
          { expr: 'va', width: w, exact: true },
          { expr: 'vb', width: w, exact: true },
        ];
        const { expr } = LOWERINGS.narrow[op]({ w: 1, args });
        const conditionals = expr.split('?').length - 1;
        expect(expr.split('? 1 : 0').length - 1, `${op} w=${w}: ${expr}`).to.equal(conditionals);
      }
  });

  it('wide registers with enable and wide memory reads are not conditional expressions', () => {
    const k = new Kit('wide_state');
    const en = k.input('en', 1);
    const x = k.input('x', 40);
    const addr = k.input('addr', 3);
    const q = k.reg('q', 40, 0n, en);
    k.next(q, x);
    const [rd] = k.mem('m', 40, 5, [addr], [{ addr, data: x, en }]);
    k.output('y', k.cell('add', 40, [q, rd as number]));
    const src = compile(netlist(k.def())).source;
    const lines = src.split('\n').filter((l) => /RWX\[|M0\[/.test(l) && !l.includes('function'));
    expect(lines.length).to.be.greaterThan(1);
    for (const l of lines) expect(l, l).to.not.match(/\?[^:]*:/);
  });

  it('wide memories read 0 beyond their depth and registers hold without enable', () => {
    // depth 5: addresses 5, 6, 7 read 0 (netlist contract); writes there are ignored.
    const k = new Kit('wide_mem');
    const en = k.input('en', 1);
    const x = k.input('x', 40);
    const addr = k.input('addr', 3);
    const q = k.reg('q', 40, 0n, en);
    k.next(q, x);
    const [rd] = k.mem('m', 40, 5, [addr], [{ addr, data: x, en }]);
    k.output('rd', rd as number);
    k.output('q', q);
    const sim = compile(netlist(k.def()));
    const v = 0xab_cdef_0123n; // a 40-bit value
    for (const a of [4, 5, 7]) {
      sim.poke('en', 1);
      sim.poke('x', v + BigInt(a));
      sim.poke('addr', a);
      sim.step();
    }
    sim.poke('en', 0);
    sim.poke('x', 1n);
    sim.step(); // q keeps v + 7 (en = 0)
    sim.poke('addr', 4);
    expect(sim.peek('rd')).to.equal(v + 4n);
    expect(sim.peek('q')).to.equal(v + 7n);
    for (const a of [5, 7]) {
      sim.poke('addr', a);
      expect(sim.peek('rd')).to.equal(0n);
    }
  });
});
