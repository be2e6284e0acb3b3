// The co-simulation wrapper and the SV merge that put many designs into one Verilator model.
import { expect } from 'chai';
import { mergeSv, splitModules, wrapDesigns } from '../../../../src/backends/index.js';

describe('verilator wrapper', () => {
  it('gives every design port its own column and shares clk and rst', () => {
    const w = wrapDesigns([
      {
        top: 'comb',
        clocked: false,
        ports: [
          { name: 'a', dir: 'in', width: 4 },
          { name: 'y', dir: 'out', width: 5 },
        ],
      },
      {
        top: 'seq',
        clocked: true,
        ports: [
          { name: 'd', dir: 'in', width: 70 },
          { name: 'q', dir: 'out', width: 70 },
        ],
      },
    ]);
    expect(w.resetColumn).to.equal(0);
    expect(w.spec.clock).to.equal('clk');
    expect(w.spec.inputs.map((p) => `${p.name}:${p.width}`)).to.deep.equal([
      'rst:1',
      'i1:4',
      'i2:70',
    ]);
    expect(w.spec.outputs.map((p) => `${p.name}:${p.width}`)).to.deep.equal(['o0:5', 'o1:70']);
    expect(w.designs[1]?.inputs).to.deep.equal([{ port: 'd', width: 70, column: 2 }]);
    expect(w.sv).to.contain('comb u0 (.a(i1), .y(o0));');
    expect(w.sv).to.contain('seq u1 (.clk(clk), .rst(rst), .d(i2), .q(o1));');
  });

  it('has no clock or reset when no design is clocked', () => {
    const w = wrapDesigns([
      { top: 'c', clocked: false, ports: [{ name: 'y', dir: 'out', width: 1 }] },
    ]);
    expect(w.spec.clock).to.equal(null);
    expect(w.resetColumn).to.equal(null);
  });
});

describe('sv merge', () => {
  const a =
    '// header\nmodule leaf(input logic x, output logic y);\n  assign y = x;\nendmodule\n\nmodule top_a(input logic x, output logic y);\n  leaf u(.x(x), .y(y));\nendmodule\n';
  const b =
    "module leaf(input logic x, output logic y);\n  assign y = x;\nendmodule\nmodule top_b(output logic y);\n  assign y = 1'b0;\nendmodule\n";

  it('splits modules by name', () => {
    expect(splitModules(a).map((m) => m.name)).to.deep.equal(['leaf', 'top_a']);
  });

  it('keeps an identical module once', () => {
    const merged = mergeSv([a, b]);
    expect(merged.match(/^module leaf/gm)?.length).to.equal(1);
    expect(splitModules(merged).map((m) => m.name)).to.deep.equal(['leaf', 'top_a', 'top_b']);
  });

  it('refuses two different modules of one name', () => {
    const c = 'module leaf(input logic x, output logic y);\n  assign y = ~x;\nendmodule\n';
    expect(() => mergeSv([a, c])).to.throw(/define module leaf differently/);
  });
});
