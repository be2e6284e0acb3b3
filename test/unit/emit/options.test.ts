// Emitter options and the emitSv result beside the text (module info, errors), on hand-built
// netlists with the expected SV written out. Cheap and in-process: the `emit` mutation profile
// (docs/mutation.md) runs these for every mutant of src/emit/sv they reach.
import { expect } from 'chai';
import { emitSv, resolveOptions, sha256Hex, type EmitOptions } from '../../../src/emit/sv/index.js';
import { createHash } from 'node:crypto';
import { MxgenError, type Netlist } from '../../../src/hdl/index.js';
import { HandModule } from './hand.js';

/** prod = sext(y) * sext(x) (named); out = prod + zext(y ^ (x & y)). */
function arith(): Netlist {
  const m = new HandModule('top');
  const x = m.input('x', 8);
  const y = m.input('y', 8);
  const p = m.op('mul', 16, [m.op('sext', 16, [y]), m.op('sext', 16, [x])], {}, 'prod');
  const s = m.op('add', 16, [p, m.op('zext', 16, [m.op('xor', 8, [y, m.op('and', 8, [x, y])])])]);
  m.output('out', s);
  return { top: 'top', modules: [m.def()] };
}

/** The module body after the port list. */
function body(nl: Netlist, o: EmitOptions = {}): string {
  const t = emitSv(nl, o).files.at(-1)?.text ?? '';
  return t.slice(t.indexOf(');\n') + 3);
}

describe('emit/sv options and module info', () => {
  it('defaults: no locations, inline up to 40 characters, native products, role names, tables as case', () => {
    expect(resolveOptions()).to.deep.equal({
      locations: 'none',
      inlineLimit: 40,
      nativeProducts: true,
      tempNames: 'role',
      tablesAsCase: true,
    });
    const given = {
      locations: 'relative',
      inlineLimit: 3,
      nativeProducts: false,
      tempNames: 'index',
      tablesAsCase: false,
    } as const;
    expect(resolveOptions(given)).to.deep.equal(given);
    expect(body(arith())).to.equal(
      [
        '  logic [15:0] prod;',
        '',
        '  assign prod = $signed(y) * $signed(x);',
        "  assign out  = prod + {8'h00, y ^ (x & y)};",
        'endmodule',
        '',
      ].join('\n'),
    );
  });

  it('nativeProducts: false spells the sign extensions out', () => {
    expect(body(arith(), { nativeProducts: false })).to.contain(
      '  assign prod = {{8{y[7]}}, y} * {{8{x[7]}}, x};\n',
    );
  });

  it('inlineLimit: an expression longer than the limit gets a wire; one of exactly the limit is inlined', () => {
    // `y ^ (x & y)` is 11 characters, `{8'h00, y ^ (x & y)}` 20.
    expect(body(arith(), { inlineLimit: 10 })).to.equal(
      [
        '  logic [15:0] prod;',
        '  logic [7:0]  y_xor;',
        '  logic [15:0] y_ext;',
        '',
        '  assign prod  = $signed(y) * $signed(x);',
        '  assign y_xor = y ^ (x & y);',
        "  assign y_ext = {8'h00, y_xor};",
        '  assign out   = prod + y_ext;',
        'endmodule',
        '',
      ].join('\n'),
    );
    expect(body(arith(), { inlineLimit: 11 })).to.equal(
      [
        '  logic [15:0] prod;',
        '  logic [15:0] y_ext;',
        '',
        '  assign prod  = $signed(y) * $signed(x);',
        "  assign y_ext = {8'h00, y ^ (x & y)};",
        '  assign out   = prod + y_ext;',
        'endmodule',
        '',
      ].join('\n'),
    );
  });

  it("tempNames: 'index' names temporaries _t<net> and keeps user names", () => {
    expect(body(arith(), { tempNames: 'index', inlineLimit: 10 })).to.equal(
      [
        '  logic [15:0] prod;',
        '  logic [7:0]  _t6;',
        '  logic [15:0] _t7;',
        '',
        '  assign prod = $signed(y) * $signed(x);',
        '  assign _t6  = y ^ (x & y);',
        "  assign _t7  = {8'h00, _t6};",
        '  assign out  = prod + _t7;',
        'endmodule',
        '',
      ].join('\n'),
    );
  });

  it("locations: 'relative' comments ports, declarations and instances; absolute paths never", () => {
    const c = new HandModule('child', true);
    const a = c.input('a', 4);
    const q = c.reg('q', 4, 0n);
    c.setD(q, a);
    c.output('q', q);
    c.output('spare', c.op('not', 4, [a]));
    const m = new HandModule('top', true);
    const x = m.input('x', 4);
    const y = m.input('y', 8);
    m.instances.push({
      name: 'u0',
      module: 'child',
      inputs: [{ port: 'a', net: x }],
      loc: 'src/gen.ts:7:3',
    });
    const uq = m.net(4, { kind: 'inst', inst: 0, port: 'q' });
    const s = m.op('add', 8, [y, m.op('zext', 8, [uq])], {}, 'sum');
    const abs = m.op('xor', 8, [y, s], {}, 'mix');
    m.nets[s] = { ...(m.nets[s] as (typeof m.nets)[number]), loc: 'src/gen.ts:9:5' };
    m.nets[abs] = { ...(m.nets[abs] as (typeof m.nets)[number]), loc: '/abs/gen.ts:10:1' };
    m.ports[0] = { ...(m.ports[0] as (typeof m.ports)[number]), loc: 'src/gen.ts:2:1' };
    m.ports[1] = { ...(m.ports[1] as (typeof m.ports)[number]), loc: '/abs/gen.ts:3:1' };
    m.output('out', abs);
    const nl: Netlist = { top: 'top', modules: [c.def(), m.def()] };
    const top = (o: EmitOptions) => emitSv(nl, o).files[1]?.text ?? '';
    expect(top({ locations: 'relative' })).to.equal(
      [
        '// Generated by mxgen: top (config ' +
          (emitSv(nl, { locations: 'relative' }).modules[1]?.digest ?? '') +
          ')',
        'module top (',
        '  input  logic       clk,',
        '  input  logic       rst,',
        '  input  logic [3:0] x,  // src/gen.ts:2:1',
        '  input  logic [7:0] y,',
        '  output logic [7:0] out',
        ');',
        '  logic [3:0] u0_q;',
        '  logic [7:0] sum;  // src/gen.ts:9:5',
        '  logic [7:0] mix;',
        '  /* verilator lint_off UNUSEDSIGNAL */',
        '  logic [3:0] u0_spare_unused;  // output spare of u0 not used; src/gen.ts:7:3',
        '  /* verilator lint_on UNUSEDSIGNAL */',
        '',
        "  assign sum = y + {4'h0, u0_q};",
        '  assign mix = y ^ sum;',
        '  assign out = mix;',
        '',
        '  child u0 (  // src/gen.ts:7:3',
        '    .clk   (clk),',
        '    .rst   (rst),',
        '    .a     (x),',
        '    .q     (u0_q),',
        '    .spare (u0_spare_unused)',
        '  );',
        'endmodule',
        '',
      ].join('\n'),
    );
    expect(top({})).not.to.contain('src/gen.ts');
    expect(top({})).to.contain('  logic [3:0] u0_spare_unused;  // output spare of u0 not used\n');
  });

  it('module info: files in dependency order, SV names, digests, line counts, clocking, ports', () => {
    const c = new HandModule('module', true);
    const a = c.input('a', 4);
    const q = c.reg('q', 4, null);
    c.setD(q, a);
    c.output('wire', q);
    const m = new HandModule('top 1', true);
    const x = m.input('input', 4);
    m.instances.push({
      name: 'u',
      module: 'module',
      inputs: [{ port: 'a', net: x }],
      loc: undefined,
    });
    m.output('y', m.net(4, { kind: 'inst', inst: 0, port: 'wire' }));
    const nl: Netlist = { top: 'top 1', modules: [c.def('0badc0de'), m.def()] };
    const sv = emitSv(nl);
    expect(sv.top).to.equal('top_1');
    expect(sv.files.map((f) => f.name)).to.deep.equal(['module_1.sv', 'top_1.sv']);
    const child = sv.files[0]?.text ?? '';
    const top = sv.files[1]?.text ?? '';
    expect(child).to.equal(
      [
        '// Generated by mxgen: module_1 (config 0badc0de)',
        'module module_1 (',
        '  input  logic       clk,',
        '  /* verilator lint_off UNUSEDSIGNAL */',
        '  input  logic       rst,  // no register here has a reset value',
        '  /* verilator lint_on UNUSEDSIGNAL */',
        '  input  logic [3:0] a,',
        '  output logic [3:0] wire_1',
        ');',
        '  logic [3:0] q;',
        '',
        '  assign wire_1 = q;',
        '',
        '  always_ff @(posedge clk) begin',
        '    q <= a;',
        '  end',
        'endmodule',
        '',
      ].join('\n'),
    );
    // Without a configDigest: the first 8 hex digits of SHA-256 of the text after the header line.
    const topBody = top.slice(top.indexOf('\n') + 1);
    const digest = sha256Hex(topBody).slice(0, 8);
    expect(digest).to.equal(createHash('sha256').update(topBody).digest('hex').slice(0, 8));
    expect(digest).to.match(/^[0-9a-f]{8}$/);
    expect(topBody).to.equal(
      [
        'module top_1 (',
        '  input  logic       clk,',
        '  input  logic       rst,',
        '  input  logic [3:0] input_1,',
        '  output logic [3:0] y',
        ');',
        '  module_1 u (',
        '    .clk    (clk),',
        '    .rst    (rst),',
        '    .a      (input_1),',
        '    .wire_1 (y)',
        '  );',
        'endmodule',
        '',
      ].join('\n'),
    );
    expect(top).to.equal(`// Generated by mxgen: top_1 (config ${digest})\n${topBody}`);
    expect(sv.modules).to.deep.equal([
      {
        name: 'module',
        svName: 'module_1',
        file: 'module_1.sv',
        digest: '0badc0de',
        lines: 17,
        clocked: true,
        ports: [
          { name: 'a', svName: 'a', dir: 'in', width: 4, signed: false },
          { name: 'wire', svName: 'wire_1', dir: 'out', width: 4, signed: false },
        ],
      },
      {
        name: 'top 1',
        svName: 'top_1',
        file: 'top_1.sv',
        digest,
        lines: 14,
        clocked: true,
        ports: [
          { name: 'input', svName: 'input_1', dir: 'in', width: 4, signed: false },
          { name: 'y', svName: 'y', dir: 'out', width: 4, signed: false },
        ],
      },
    ]);
  });

  it('a child listed after its user, or a top that is not a module, is a one-line MxgenError', () => {
    const c = new HandModule('leaf');
    c.output('y', c.input('a', 1));
    const m = new HandModule('top');
    const x = m.input('a', 1);
    m.instances.push({
      name: 'u',
      module: 'leaf',
      inputs: [{ port: 'a', net: x }],
      loc: undefined,
    });
    m.output('y', m.net(1, { kind: 'inst', inst: 0, port: 'y' }));
    expect(() => emitSv({ top: 'top', modules: [m.def(), c.def()] }))
      .to.throw('module leaf is instantiated before it is defined')
      .with.property('hint', 'Netlist.modules must list instantiated modules before their users');
    expect(() => emitSv({ top: 'top', modules: [m.def(), c.def()] }))
      .to.throw(MxgenError)
      .with.property('kind', 'driver');
    expect(() => emitSv({ top: 'nope', modules: [c.def(), m.def()] }))
      .to.throw('netlist top nope is not among its modules')
      .with.property('kind', 'driver');
    expect(emitSv({ top: 'top', modules: [c.def(), m.def()] }).top).to.equal('top');
  });

  it('an instance is never named like a signal of the module it instantiates, or of one below that', () => {
    const leaf = new HandModule('leaf');
    leaf.output('deep', leaf.op('not', 2, [leaf.input('a', 2)]));
    const mid = new HandModule('mid');
    const ma = mid.input('a', 2);
    mid.instances.push({
      name: 'u',
      module: 'leaf',
      inputs: [{ port: 'a', net: ma }],
      loc: undefined,
    });
    mid.output('y', mid.net(2, { kind: 'inst', inst: 0, port: 'deep' }));
    const top = new HandModule('top');
    const ta = top.input('a', 2);
    for (const name of ['deep', 'y', 'free'])
      top.instances.push({ name, module: 'mid', inputs: [{ port: 'a', net: ta }], loc: undefined });
    top.output('o0', top.net(2, { kind: 'inst', inst: 0, port: 'y' }));
    top.output('o1', top.net(2, { kind: 'inst', inst: 1, port: 'y' }));
    top.output('o2', top.net(2, { kind: 'inst', inst: 2, port: 'y' }));
    const sv = emitSv({ top: 'top', modules: [leaf.def(), mid.def(), top.def()] });
    const text = sv.files[2]?.text ?? '';
    // `deep` is declared in leaf (two levels down), `y` in mid: both renamed; `free` is kept.
    expect(text).to.contain('  mid deep_1 (\n');
    expect(text).to.contain('  mid y_1 (\n');
    expect(text).to.contain('  mid free (\n');
  });
});
