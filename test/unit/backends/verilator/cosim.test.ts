// The co-simulation driver on a hand-written netlist and SV with a hand-written reference model
// standing in for the native simulator (the real one is compared in test/cosim/): agreement,
// and a mismatch report that names the cycle, the port, both values and the inputs.
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cosimDesigns,
  designStimulus,
  interfaceOf,
  mismatchError,
  resetStream,
  wrapDesigns,
  type CosimMismatch,
  type CosimReport,
  type DesignLayout,
  type NativeModel,
} from '../../../../src/backends/index.js';
import {
  elaborate,
  lit,
  ModuleBuilder,
  u,
  type MemImages,
  type Netlist,
} from '../../../../src/hdl/index.js';
import { compile } from '../../../../src/sim/index.js';
import { thrown } from '../../../support/mxgen-error.js';

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
      // One design, one vector set: no "more mismatched" note.
      expect(r.mismatches).to.have.length(1);
      expect(err.format()).to.not.contain('more design/vector sets');
      expect(m.vcds).to.have.length(2);
      for (const f of m.vcds) {
        expect(existsSync(f)).to.equal(true);
        expect(readFileSync(f, 'utf8')).to.contain('$var wire 8 ');
      }
      // The two waveforms share the inputs and differ in q: each holds its own side's outputs.
      const [nat, ver] = m.vcds.map((f) => readFileSync(f, 'utf8'));
      expect(nat).to.not.equal(ver);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// rom4: q <= rom[ra] (4 words of 8 bits, init image 'rom4.hex'); and add4: y = a + b
// (combinational, no rst). Both from the builder, compared against the real native simulator.
function rom4(): Netlist {
  const m = new ModuleBuilder('rom4');
  const ra = m.input('ra', u(2));
  const rom = m.sram('rom', { width: 8, depth: 4, init: 'rom4.hex' });
  rom.write(lit(0, u(2)), lit(0, u(8)), lit(0, u(1)));
  m.output('q', u(8)).set(rom.read(ra, lit(1, u(1))));
  return elaborate(m);
}

/** pass4: y = a (4 bits, combinational); PASS4_SV, given as its SV, is y = a + 1 instead. */
function pass4(): Netlist {
  const m = new ModuleBuilder('pass4');
  const a = m.input('a', u(4));
  m.output('y', u(4)).set(a);
  return elaborate(m);
}

const PASS4_SV = `module pass4 (
  input  logic [3:0] a,
  output logic [3:0] y
);
  assign y = a + 4'd1;
endmodule
`;

function add4(): Netlist {
  const m = new ModuleBuilder('add4');
  const a = m.input('a', u(4));
  const b = m.input('b', u(4));
  m.output('y', u(5)).set(a.add(b));
  return elaborate(m);
}

/** The real native simulator with output `port` XOR 1 whenever `when(cycle, rst)` holds. */
function flipWhen(
  nl: Netlist,
  port: string,
  when: (cycle: number, rst: bigint) => boolean,
  images?: MemImages,
): NativeModel {
  const sim = compile(nl, images ? { images } : {});
  let cycle = 0;
  let rst = 0n;
  return {
    poke: (p, v) => {
      if (p === 'rst') rst = v;
      sim.poke(p, v);
    },
    peek: (p) => sim.peek(p) ^ (p === port && when(cycle, rst) ? 1n : 0n),
    step: (n = 1) => {
      sim.step(n);
      cycle += n;
    },
  };
}

// resetStream(9, 0, 2, 200, true): the cycles with rst = 1; designStimulus('acc8', …, 9, 0, 4): [en, a].
const RST_ONES_9_0 = [0, 1, 3, 10, 82, 191];
const ACC8_ROWS_9_0 = [
  [1n, 21n],
  [1n, 175n],
  [0n, 136n],
  [1n, 196n],
];

describe('verilator co-simulation driver: images, mid-run resets, batches', function () {
  this.timeout(10 * 60_000);
  const IMAGES: MemImages = new Map([
    ['rom4.hex', { width: 8, words: [0x5an, 0xa5n, 0x3cn, 0xc3n] }],
  ]);

  it('SRAM init images reach both simulators; a mid-run reset cycle is reported with rst = 1; an unclocked design has no rst', async () => {
    const seed = 9;
    const cycles = 200;
    const rst = resetStream(seed, 0, 2, cycles, true);
    const firstMid = rst.indexOf(1n, 4) - 2;
    expect(firstMid, 'seed 9 has a mid-run reset after cycle 4').to.equal(8);
    const r = await cosimDesigns(
      [
        { name: 'rom4', netlist: rom4(), images: IMAGES },
        { name: 'acc8', netlist: NETLIST, sv: SV },
        { name: 'add4', netlist: add4() },
        // The given SV is what Verilator runs (not the SV of the netlist): it adds 1.
        { name: 'pass4', netlist: pass4(), sv: PASS4_SV },
      ],
      {
        // rom4 and add4 run the real simulator (rom4 with its image); acc8's model is wrong only
        // on cycles from 4 on where rst = 1 (its output during a mid-run reset cycle: cycle 10,
        // compared cycle 8), add4's only on cycle 150.
        native: (nl, o) =>
          nl.top === 'rom4' || nl.top === 'pass4'
            ? compile(nl, o)
            : nl.top === 'add4'
              ? flipWhen(nl, 'y', (c) => c === 150)
              : flipWhen(nl, 'q', (c, v) => c >= 4 && v === 1n),
        cycles,
        seed,
      },
    );
    // rom4 agrees: Verilator read the same image (without it, it would read 0 every cycle).
    expect(r.mismatches.map((m) => [m.design, m.cycle, m.port])).to.deep.equal([
      ['acc8', firstMid, 'q'],
      ['add4', 148, 'y'],
      ['pass4', 0, 'y'],
    ]);
    expect(r.compared).to.equal(4 * cycles);
    const [acc, add, pass] = r.mismatches as [CosimMismatch, CosimMismatch, CosimMismatch];
    expect(pass.verilator).to.equal((pass.native + 1n) & 0xfn);
    expect(acc.native ^ acc.verilator).to.equal(1n);
    const accLayout = wrapDesigns([interfaceOf(NETLIST)]).designs[0] as DesignLayout;
    const accRow = designStimulus('acc8', accLayout, seed, 0, cycles + 2)[firstMid + 2] ?? [];
    expect(acc.inputs).to.deep.equal([
      { port: 'rst', value: 1n },
      { port: 'en', value: accRow[0] },
      { port: 'a', value: accRow[1] },
    ]);
    // add4: no rst among its inputs; the values are its own stimulus (independent of the batch).
    const addNl = add4();
    const addLayout = wrapDesigns([interfaceOf(addNl)]).designs[0] as DesignLayout;
    const addRow = designStimulus('add4', addLayout, seed, 0, cycles + 2)[150] ?? [];
    expect(add.inputs).to.deep.equal([
      { port: 'a', value: addRow[0] },
      { port: 'b', value: addRow[1] },
    ]);
    expect(add.verilator).to.equal(((addRow[0] ?? 0n) + (addRow[1] ?? 0n)) & 0x1fn);
    expect(add.native).to.equal(add.verilator ^ 1n);
    expect([add.seed, add.vectorSet, add.width, add.vcds]).to.deep.equal([seed, 0, 5, []]);
  });

  it('mismatchError of a design without inputs says inputs: (none)', () => {
    const m = {
      design: 'k',
      vectorSet: 0,
      seed: 1,
      cycle: 3,
      port: 'y',
      width: 4,
      native: 1n,
      verilator: 2n,
      inputs: [],
      vcds: [],
    };
    const report = { designs: 1, vectorSets: 1, cycles: 4, compared: 4, mismatches: [m] };
    expect(mismatchError(report as unknown as CosimReport).notes).to.deep.equal([
      'native sim 0x1   verilator 0x2',
      'inputs: (none)',
    ]);
  });

  it('mismatchError on a report without mismatches is an internal error', () => {
    const report = { designs: 0, vectorSets: 0, cycles: 0, compared: 0, mismatches: [] };
    const e = thrown(() => mismatchError(report as unknown as CosimReport));
    expect(e.kind).to.equal('internal');
    expect(e.message).to.contain('mismatchError needs a report with a mismatch');
    expect(e.hint).to.equal('call mismatchError only when report.mismatches is not empty');
  });

  it('the reset and stimulus streams are fixed functions of seed, label and set (a reported seed replays)', () => {
    // Literal values: a seed printed in a mismatch report must give the same stimulus later.
    const rst = resetStream(9, 0, 2, 200, true);
    expect(rst.flatMap((v, t) => (v === 1n ? [t] : []))).to.deep.equal(RST_ONES_9_0);
    const layout = wrapDesigns([interfaceOf(NETLIST)]).designs[0] as DesignLayout;
    expect(designStimulus('acc8', layout, 9, 0, 4)).to.deep.equal(ACC8_ROWS_9_0);
    expect(designStimulus('acc8', layout, 9, 1, 4)).to.not.deep.equal(ACC8_ROWS_9_0);
    expect(designStimulus('acc9', layout, 9, 0, 4)).to.not.deep.equal(ACC8_ROWS_9_0);
  });
});
