// The co-simulation driver on a hand-written netlist and SV with a hand-written reference model
// standing in for the native simulator (the real one is compared in test/cosim/): agreement,
// and a mismatch report that names the cycle, the port, both values and the inputs.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cosimDesigns, mismatchError, type NativeModel } from '../../../../src/backends/index.js';
import type { Netlist } from '../../../../src/hdl/index.js';

// acc8: q <= rst ? 0 : en ? q + a : q (8 bits, wrapping); output q.
const NETLIST: Netlist = {
  top: 'acc8',
  modules: [
    {
      name: 'acc8',
      clocked: true,
      loc: undefined,
      ports: [
        { name: 'en', dir: 'in', width: 1, signed: false, net: 0, loc: undefined },
        { name: 'a', dir: 'in', width: 8, signed: false, net: 1, loc: undefined },
        { name: 'q', dir: 'out', width: 8, signed: false, net: 2, loc: undefined },
      ],
      nets: [
        { width: 1, signed: false, name: 'en', driver: { kind: 'input', port: 0 }, loc: undefined },
        { width: 8, signed: false, name: 'a', driver: { kind: 'input', port: 1 }, loc: undefined },
        { width: 8, signed: false, name: 'q', driver: { kind: 'reg', reg: 0 }, loc: undefined },
        {
          width: 8,
          signed: false,
          driver: { kind: 'cell', cell: { op: 'add', args: [2, 1] } },
          loc: undefined,
        },
      ],
      regs: [{ name: 'q', width: 8, q: 2, d: 3, init: 0n, enable: 0, loc: undefined }],
      mems: [],
      instances: [],
    },
  ],
};

const SV = `module acc8 (
  input  logic       clk,
  input  logic       rst,
  input  logic       en,
  input  logic [7:0] a,
  output logic [7:0] q
);
  always_ff @(posedge clk) begin
    if (rst) q <= 8'h00;
    else if (en) q <= q + a;
  end
endmodule
`;

/** A hand-written model of acc8 (rst poked per cycle); `bug` adds one extra when a == 0xff. */
function acc8Model(bug: boolean): NativeModel {
  let q = 0n;
  const ins = new Map<string, bigint>([
    ['rst', 0n],
    ['en', 0n],
    ['a', 0n],
  ]);
  return {
    poke: (p, v) => void ins.set(p, v),
    peek: (p) => {
      if (p !== 'q') throw new Error(`no port ${p}`);
      return q;
    },
    step: (n = 1) => {
      for (let i = 0; i < n; i++) {
        const a = ins.get('a') ?? 0n;
        if (ins.get('rst') === 1n) q = 0n;
        else if (ins.get('en') === 1n) q = (q + a + (bug && a === 0xffn ? 1n : 0n)) & 0xffn;
      }
    },
  };
}

describe('verilator co-simulation driver', function () {
  this.timeout(10 * 60_000);

  it('agrees with a correct model on every cycle of every vector set', async () => {
    const r = await cosimDesigns([{ name: 'acc8', netlist: NETLIST, sv: SV }], {
      native: () => acc8Model(false),
      cycles: 300,
      vectors: 3,
      seed: 7,
    });
    expect(r.mismatches).to.deep.equal([]);
    // 1 output x 300 cycles x 3 sets.
    expect(r.compared).to.equal(900);
  });

  it('reports the first mismatching cycle, port, both values and inputs, and writes VCDs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mxgen-cosim-test-'));
    try {
      const r = await cosimDesigns([{ name: 'acc8', netlist: NETLIST, sv: SV }], {
        native: () => acc8Model(true),
        cycles: 300,
        seed: 7,
        vcdDir: dir,
      });
      const m = r.mismatches[0];
      expect(m, 'a = 0xff with en = 1 occurs in 300 random cycles').to.not.equal(undefined);
      if (!m) return;
      expect(m.port).to.equal('q');
      // The buggy model adds one extra: native = verilator + 1 (mod 256) at the first bad cycle,
      // whose previous cycle had en = 1 and a = 0xff.
      expect((m.native - m.verilator) & 0xffn).to.equal(1n);
      expect(m.inputs.map((i) => i.port)).to.deep.equal(['rst', 'en', 'a']);
      const err = mismatchError(r);
      expect(err.kind).to.equal('mismatch');
      expect(err.format()).to.match(/acc8: cycle \d+ after reset, port q \(seed 7/);
      expect(err.format()).to.match(/native sim 0x[0-9a-f]{2} {3}verilator 0x[0-9a-f]{2}/);
      expect(m.vcds).to.have.length(2);
      for (const f of m.vcds) {
        expect(existsSync(f)).to.equal(true);
        expect(readFileSync(f, 'utf8')).to.contain('$var wire 8 ');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
