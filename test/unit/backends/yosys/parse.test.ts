// Pure parts of the Yosys backend: stat parsing (text, JSON, the 0.23 JSON repair) and the
// hierarchical depth summary on hand-made netlists.
import { expect } from 'chai';
import { parseStatJson, parseStatText } from '../../../../src/backends/index.js';
import { logicDepths } from '../../../../src/backends/yosys/depth.js';
import { parseNetlistJson } from '../../../../src/backends/yosys/netlist-json.js';

const TEXT = `
=== inv2 ===

   Number of wires:                  3
   Number of cells:                  2
     $_NOT_                          2

   Estimated number of transistors:          4

=== top ===

   Number of cells:                  3
     inv2                            3

   Estimated number of transistors:          0+

=== design hierarchy ===

   top                               1
     inv2                            3
`;

describe('yosys stat parsing', () => {
  it('reads module sections of the text report and skips the hierarchy summary', () => {
    const mods = parseStatText(TEXT);
    expect(mods.map((m) => m.name)).to.deep.equal(['inv2', 'top']);
    expect([...(mods[0]?.cellsByType ?? [])]).to.deep.equal([['$_NOT_', 2]]);
    expect(mods[0]?.transistors).to.deep.equal({ count: 4, partial: false });
    expect(mods[1]?.transistors).to.deep.equal({ count: 0, partial: true });
  });

  it('repairs the bare hierarchy lines Yosys 0.23 leaves inside stat -json', () => {
    const broken = `{
   "modules": {
      "\\\\inv2": { "num_cells": 2, "num_cells_by_type": { "$_NOT_": 2 } }
   },
       inv2                          3
      "design": { "num_cells": 6 }
}`;
    const mods = parseStatJson(broken);
    expect(mods).to.have.length(1);
    expect(mods[0]?.name).to.equal('inv2');
    expect(mods[0]?.cells).to.equal(2);
  });
});

describe('yosys logic depth summary', () => {
  // inv2: y = ~~a (2 levels). top: three inv2 in a chain, then a flip-flop: 6 levels to D.
  const netlist = JSON.stringify({
    modules: {
      inv2: {
        ports: { a: { direction: 'input', bits: [2] }, y: { direction: 'output', bits: [4] } },
        cells: {
          n1: {
            type: '$_NOT_',
            port_directions: { A: 'input', Y: 'output' },
            connections: { A: [2], Y: [3] },
          },
          n2: {
            type: '$_NOT_',
            port_directions: { A: 'input', Y: 'output' },
            connections: { A: [3], Y: [4] },
          },
        },
      },
      top: {
        ports: {
          clk: { direction: 'input', bits: [2] },
          x: { direction: 'input', bits: [3] },
          q: { direction: 'output', bits: [7] },
        },
        cells: {
          u0: { type: 'inv2', port_directions: {}, connections: { a: [3], y: [4] } },
          u1: { type: 'inv2', port_directions: {}, connections: { a: [4], y: [5] } },
          u2: { type: 'inv2', port_directions: {}, connections: { a: [5], y: [6] } },
          ff: {
            type: '$_DFF_P_',
            port_directions: { C: 'input', D: 'input', Q: 'output' },
            connections: { C: [2], D: [6], Q: [7] },
          },
        },
      },
    },
  });

  it('adds child depths along a chain and stops at flip-flops (hand: 3 x 2 = 6)', () => {
    const mods = parseNetlistJson(netlist);
    const d = logicDepths(mods, ['inv2', 'top']);
    expect(d.get('inv2')?.depth).to.equal(2);
    expect(d.get('inv2')?.inToReg).to.deep.equal([-1]);
    expect(d.get('top')?.depth).to.equal(6);
    // x reaches the flip-flop through 6 levels; q comes straight from it.
    expect(d.get('top')?.inToReg[1]).to.equal(6);
    expect([...(d.get('top')?.outputs.get('q')?.[0] ?? [])]).to.deep.equal([[-1, 0]]);
  });
});
