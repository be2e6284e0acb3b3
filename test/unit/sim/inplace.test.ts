// Registers updated in place during evaluation (codegen.ts `inPlaceRegs`, Verilator's order-based
// commit): every ordering case against the same design compiled with every register through the
// RX buffer (`inPlace: false`), including re-evaluations within a cycle (a poke after a peek),
// register reads between evaluation and edge, reset, and both activity forms.
import { expect } from 'chai';
import { compile, type Simulator } from '../../../src/sim/index.js';
import type { Netlist } from '../../../src/hdl/index.js';
import { Kit, netlist } from './kit.js';
import { Rng } from './random-netlist.js';

/**
 * A chain a -> b -> c (readers after writers unless reordered), a swap x <-> y (one of the two
 * cannot be in place), a counter read by logic after its own next value, an enabled register
 * with a cone, registers read by a memory write and by an output, reset and no-reset registers,
 * and a direct swap p <-> q.
 */
function orderings(): Netlist {
  const k = new Kit('orderings');
  const din = k.input('din', 8);
  const en = k.input('en', 1);
  const sel = k.input('sel', 1);
  const a = k.reg('a', 8, 0n);
  const b = k.reg('b', 8, 1n);
  const c = k.reg('c', 8, null);
  k.next(a, din);
  k.next(b, a);
  k.next(c, k.cell('add', 8, [b, a]));
  const x = k.reg('x', 5, 3n);
  const y = k.reg('y', 5, 9n, en);
  k.next(x, k.cell('mux', 5, [sel, y, k.cell('slice', 5, [din], { lo: 1 })]));
  k.next(y, x);
  const cnt = k.reg('cnt', 6, 0n, en);
  const inc = k.cell('add', 6, [cnt, k.lit(1n, 6)]);
  k.next(cnt, inc);
  // Read after the counter's next value: in place only if the scheduler moves the counter.
  const late = k.cell('xor', 6, [cnt, k.cell('slice', 6, [din], { lo: 0 })]);
  const acc = k.reg('acc', 12, 0n, sel);
  // A cone only acc's d reads: computed inside `if (sel)`.
  const cone = k.cell('add', 12, [acc, k.cell('mul', 12, [k.cell('zext', 12, [late]), k.cell('zext', 12, [b])])]);
  k.next(acc, cone);
  // A direct swap p <-> q (each next value is the other's q, no logic between): whatever their
  // order, one of the two is read after its own next value, so that one stays in RX.
  const p = k.reg('p', 7, 5n);
  const q = k.reg('q', 7, 100n);
  k.next(p, q);
  k.next(q, p);
  const wa = k.reg('wa', 2, 0n);
  k.next(wa, k.cell('slice', 2, [din], { lo: 6 }));
  const [rd] = k.mem('m', 8, 4, [k.cell('slice', 2, [din], { lo: 2 })], [{ addr: wa, data: c, en }]);
  const wide = k.reg('wide', 40, 0n, en);
  k.next(wide, k.cell('concat', 40, [k.cell('zext', 32, [c]), rd as number]));
  // A wide register read only by logic (in place too) and shifted through itself.
  const w2 = k.reg('w2', 72, 0n, sel);
  k.next(w2, k.cell('concat', 72, [k.cell('slice', 64, [w2], { lo: 0 }), din]));
  k.output('w2_hi', k.cell('slice', 32, [w2], { lo: 40 }));
  k.output('c_out', c);
  k.output('x_out', x);
  k.output('late', late);
  k.output('acc_out', k.cell('slice', 8, [acc], { lo: 4 }));
  k.output('wide_out', wide);
  k.output('pq', k.cell('add', 7, [p, k.cell('xor', 7, [q, k.cell('slice', 7, [din], { lo: 1 })])]));
  return netlist(k.def());
}

const REGS = ['a', 'b', 'c', 'x', 'y', 'cnt', 'acc', 'wa', 'wide', 'w2', 'p', 'q'];
const OUTS = ['c_out', 'x_out', 'late', 'acc_out', 'wide_out', 'w2_hi', 'pq'];

function state(sim: Simulator): string {
  return [...OUTS.map((p) => sim.peek(p)), ...REGS.map((r) => sim.peekSignal(r))].join(',');
}

describe('sim: registers updated in place', () => {
  const nl = orderings();

  it('moves registers after their readers and copies only the others at the edge', () => {
    const src = compile(nl, { activity: false }).source;
    const ref = compile(nl, { activity: false, inPlace: false }).source;
    expect(ref).to.contain('R.set(RX);');
    expect(src).not.to.contain('R.set(RX);');
    // a, b and the counter are written in place (R[i] = ...), c (an output) through RX.
    expect(src.match(/^\s*R\[\d+\] = /gm)?.length ?? 0).to.be.greaterThan(2);
    expect(src).to.match(/R\[\d+\] = RX\[\d+\];/);
    // w2 (wide, read by logic only) in place, wide (an output) through RWX.
    expect(ref).to.contain('RW.set(RWX);');
    expect(src).to.match(/^\s*RW\[\d+\] = v\d+_0;/m);
    expect(src).to.match(/RW\[\d+\] = RWX\[\d+\];/);
  });

  // split: every cone in functions of its own (codegen.ts coneTokens), so acc and w2, in place
  // otherwise, go through RX, and their readers in other chunks are woken by their change.
  for (const [activity, split] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matches every register through RX, cycle by cycle, with re-evaluations (activity ${activity}${split ? ', cones split' : ''})`, () => {
      const sim = compile(nl, { activity, chunkSize: 3, ...(split ? { coneTokens: 0, plainTokens: 4 } : {}) });
      const ref = compile(nl, { activity, chunkSize: 3, inPlace: false });
      const rng = new Rng(7 + Number(activity));
      for (const s of [sim, ref]) s.reset(2);
      for (let t = 0; t < 300; t++) {
        const din = rng.int(256);
        const en = rng.int(2);
        const sel = rng.int(2);
        for (const s of [sim, ref]) {
          s.poke('din', din);
          s.poke('en', en);
          s.poke('sel', sel);
        }
        expect(state(sim), `cycle ${t}`).to.equal(state(ref));
        if (t % 7 === 3) {
          // A poke after a peek: the cycle is evaluated again from the state before it.
          for (const s of [sim, ref]) s.poke('din', din ^ 0x5a);
          expect(state(sim), `cycle ${t} again`).to.equal(state(ref));
        }
        if (t % 53 === 40) for (const s of [sim, ref]) s.poke('rst', 1);
        if (t % 53 === 42) for (const s of [sim, ref]) s.poke('rst', 0);
        for (const s of [sim, ref]) s.step();
      }
    });
  }

  it('matches in cycle loops (runWords, step(n)) started after a peek, and the forms switching', () => {
    const sim = compile(nl, { chunkSize: 2, calibrationWindow: 3 });
    const ref = compile(nl, { activity: false, inPlace: false });
    const rng = new Rng(11);
    const per = 1 + sim.wordCount('in');
    const cycles = 200;
    const words = new Uint32Array(cycles * per);
    for (let c = 0; c < cycles; c++) {
      words[c * per] = c < 2 || c % 61 === 30 ? 1 : 0;
      words[c * per + 1] = rng.int(256);
      words[c * per + 2] = rng.int(2);
      words[c * per + 3] = rng.int(2);
    }
    const out = new Uint32Array(cycles * sim.wordCount('out'));
    const want = new Uint32Array(out.length);
    for (const [s, o] of [
      [sim, out],
      [ref, want],
    ] as const) {
      s.poke('din', 77);
      s.peek('c_out'); // evaluated: the loop evaluates this cycle again with its own inputs
      s.runWords(words, cycles, o, true);
      s.poke('en', 1);
      s.peek('late');
      s.step(9);
    }
    expect([...out]).to.deep.equal([...want]);
    expect(state(sim)).to.equal(state(ref));
  });
});
