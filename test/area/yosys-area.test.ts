// Real Yosys (the Debian binary and @yowasp/yosys) on hand-written designs: expected cells from
// hand calculations, properties across sizes, totals over the hierarchy, and Yosys's own `ltp` as
// the oracle of the hierarchical logic depth.
import { expect } from 'chai';
import { subtreeTotals, type AreaReport, type YosysKind } from '../../src/backends/index.js';
import { ltpDepths, mod, suiteReport, SUITE_MODULES, SUITE_TOP } from './fixtures.js';

/** Cell areas of templates/yosys/mxgen_ge.lib, as documented in docs/area.md. */
const GE: Record<string, number> = {
  BUF: 1,
  INV: 0.667,
  NAND2: 1,
  NOR2: 1,
  AND2: 1.333,
  OR2: 1.333,
  XOR2: 2,
  XNOR2: 2,
  AOI21: 1.333,
  OAI21: 1.333,
  MUX2: 2.333,
  DFF: 5.667,
};

const sumGe = (counts: Record<string, number>): number =>
  Math.round(Object.entries(counts).reduce((a, [t, n]) => a + (GE[t] ?? NaN) * n, 0) * 1000) / 1000;

for (const tool of ['system', 'yowasp'] as const satisfies readonly YosysKind[]) {
  describe(`yosys area with ${tool} Yosys`, () => {
    let r: AreaReport;
    before(async () => {
      r = await suiteReport({ tool });
    });

    it('records which Yosys ran and its version', () => {
      expect(r.tool.kind).to.equal(tool);
      expect(r.tool.version).to.equal(tool === 'system' ? '0.23' : '0.55');
      expect(r.tool.detail).to.match(
        tool === 'system' ? /^Yosys 0\.23/ : /^@yowasp\/yosys 0\.55\.944$/,
      );
    });

    it('lists every module once, children before parents, top last', () => {
      expect(r.modules.map((m) => m.name).sort()).to.deep.equal([...SUITE_MODULES].sort());
      expect(r.modules[r.modules.length - 1]?.name).to.equal(SUITE_TOP);
      const pos = new Map(r.modules.map((m, i) => [m.name, i]));
      for (const m of r.modules)
        for (const kid of Object.keys(m.submodules))
          expect(pos.get(kid) ?? Infinity).to.be.lessThan(pos.get(m.name) ?? -1);
    });

    it('a NAND is one $_NAND_: 4 transistors, 1 GE, depth 1', () => {
      // Hand: ~(a & b) is exactly one 2-input NAND; static CMOS NAND2 = 2 pMOS + 2 nMOS.
      const m = mod(r, 'nand_only');
      expect(m.cellsByType).to.deep.equal({ $_NAND_: 1 });
      expect(m.transistors).to.equal(4);
      expect(m.gateEquivalents).to.equal(1);
      expect(m.logicDepth).to.equal(1);
    });

    it('an 8-bit register is 8 plain D flip-flops: 128 transistors, 45.336 GE, depth 0', () => {
      // Hand: 8 x $_DFF_P_; Yosys's CMOS cost of a D flip-flop is 16 -> 8 x 16 = 128;
      // library DFF = 5.667 GE -> 8 x 5.667 = 45.336; d -> q has no gate.
      const m = mod(r, 'reg8');
      expect(m.cellsByType).to.deep.equal({ $_DFF_P_: 8 });
      expect(m.flipFlops).to.equal(8);
      expect(m.transistors).to.equal(128);
      expect(m.gateEquivalents).to.equal(45.336);
      expect(m.libCellsByType).to.deep.equal({ DFF: 8 });
      expect(m.logicDepth).to.equal(0);
    });

    it('the 8-bit ripple-carry adder is 8 textbook full adders of 5 gates', () => {
      // Hand: the full adder is written as s = a^b^cin, cout = (a&b) | (cin&(a^b)). Sum: two
      // 2-input XORs (shared a^b); carry: AND, AND, OR -> 5 gates. Yosys keeps the hierarchy
      // (8 instances, no cells in rca8) and maps each FA to 2 XNOR + ANDNOT + AND + OR (the XNOR
      // polarity turns one AND into ANDNOT): still 5 gates, 2 of them parity gates.
      const fa = mod(r, 'full_adder');
      const rca = mod(r, 'rca8');
      expect(rca.submodules).to.deep.equal({ full_adder: 8 });
      expect(rca.cells).to.equal(0);
      expect(fa.instances).to.equal(8);
      expect(fa.cells).to.equal(5);
      expect((fa.cellsByType.$_XOR_ ?? 0) + (fa.cellsByType.$_XNOR_ ?? 0)).to.equal(2);
      // CMOS: 2 XNOR x 12 + 3 two-input AND/OR-type gates x 6 = 42 per FA.
      expect(fa.transistors).to.equal(42);
      const t = subtreeTotals(r, 'rca8');
      expect(t.cells).to.equal(40);
      expect(t.transistors).to.equal(8 * 42);
      expect(t.gateEquivalents).to.equal(Math.round(8 * fa.gateEquivalents * 1000) / 1000);
      // Depth: a0^b0 (1) then AND-OR per carry stage (2 x 8) = 17 levels to cout.
      expect(rca.logicDepth).to.equal(17);
    });

    it('gate equivalents are the library areas times the mapped cell counts', () => {
      for (const m of r.modules)
        expect(m.gateEquivalents, m.name).to.equal(sumGe(m.libCellsByType));
      expect(r.total.gateEquivalents).to.equal(sumGe(r.total.libCellsByType));
    });

    it('an int4 MAC is smaller than an int8 MAC on every measure', () => {
      const a = mod(r, 'mac_int4');
      const b = mod(r, 'mac_int8');
      expect(a.flipFlops).to.equal(12); // 12-bit accumulator
      expect(b.flipFlops).to.equal(24); // 24-bit accumulator
      expect(a.cells).to.be.lessThan(b.cells);
      expect(a.transistors).to.be.lessThan(b.transistors);
      expect(a.gateEquivalents).to.be.lessThan(b.gateEquivalents);
      expect(a.logicDepth).to.be.lessThan(b.logicDepth);
      // A 4x4 multiplier has ~1/4 the partial products of an 8x8: the int8 MAC is 2.5-4.5x.
      const ratio = b.gateEquivalents / a.gateEquivalents;
      expect(ratio).to.be.within(2.5, 4.5);
    });

    it('an N x N array grows as N^2 (4x4 vs 2x2: 16 vs 4 PEs)', () => {
      const a2 = mod(r, 'array_2x2');
      const a4 = mod(r, 'array_4x4');
      expect(a2.submodules).to.deep.equal({ pe_int4: 4 });
      expect(a4.submodules).to.deep.equal({ pe_int4: 16 });
      expect(mod(r, 'pe_int4').instances).to.equal(20);
      const t2 = subtreeTotals(r, 'array_2x2');
      const t4 = subtreeTotals(r, 'array_4x4');
      expect(t4.gateEquivalents / t2.gateEquivalents).to.be.within(3.6, 4.4);
      expect(t4.transistors / t2.transistors).to.be.within(3.6, 4.4);
      // Per PE: 4 + 4 pass-through flip-flops and a 12-bit accumulator.
      expect(t2.flipFlops).to.equal(4 * 20);
      expect(t4.flipFlops).to.equal(16 * 20);
      // Registered PE boundaries: the array is as deep as one PE.
      expect(a4.logicDepth).to.equal(mod(r, 'pe_int4').logicDepth);
    });

    it('the total is every module times its instance count', () => {
      let cells = 0;
      let ge = 0;
      let tr = 0;
      for (const m of r.modules) {
        cells += m.cells * m.instances;
        ge += m.gateEquivalents * m.instances;
        tr += m.transistors * m.instances;
      }
      expect(r.total.cells).to.equal(cells);
      expect(r.total.transistors).to.equal(tr);
      expect(r.total.gateEquivalents).to.be.closeTo(ge, 1e-6);
      expect(subtreeTotals(r, SUITE_TOP)).to.deep.equal(r.total);
      expect(r.total.logicDepth).to.equal(Math.max(...r.modules.map((m) => m.logicDepth)));
      expect(r.warnings).to.deep.equal([]);
    });

    it('text and JSON stat parses give the same report', async () => {
      const text = await suiteReport({ tool, statFormat: 'text' });
      const json = await suiteReport({ tool, statFormat: 'json' });
      expect(text).to.deep.equal(r);
      expect(json).to.deep.equal(r);
    });
  });
}

describe('yosys area logic depth', () => {
  it('equals Yosys `flatten; ltp -noff` for every module (system Yosys)', async () => {
    const r = await suiteReport({ tool: 'system' });
    const ltp = await ltpDepths(SUITE_MODULES);
    expect(ltp.size).to.equal(SUITE_MODULES.length);
    for (const m of r.modules) expect(m.logicDepth, m.name).to.equal(ltp.get(m.name));
  });
});
