// A register cone larger than the code generator's CONE_TOKENS_MAX, and the lockstep run of a
// model of it against the reference interpreter: shared by wide-paths and codegen-paths.
import { expect } from 'chai';
import type { Netlist } from '../../../src/hdl/index.js';
import type { Simulator } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Kit, netlist } from './kit.js';
import type { Rng } from './random-netlist.js';

/** An enabled 64-bit register whose next value sums `n` products of 64-bit values. */
export function bigCone(n: number): Netlist {
  const m = new Kit('cone');
  const x = m.input('x', 64);
  const y = m.input('y', 64);
  const en = m.input('en', 1);
  const acc = m.reg('acc', 64, 0n, en);
  let sum = acc;
  for (let i = 0; i < n; i++) {
    const c = m.lit((BigInt(i) * 0x9e3779b97f4a7c15n) % 2n ** 64n, 64);
    const p = m.cell('mul', 64, [m.cell('xor', 64, [x, c]), m.cell('add', 64, [y, c])]);
    sum = m.cell('add', 64, [sum, p]);
  }
  m.next(acc, sum);
  m.output('acc', acc);
  return netlist(m.def());
}

/** `sim` (a model of `bigCone`) cycle by cycle against the interpreter: random x, y, `en` mostly 1. */
export function coneAgrees(nl: Netlist, sim: Simulator, r: Rng, cycles: number): void {
  const ref = new NetlistInterpreter(nl);
  sim.reset();
  ref.reset();
  for (let t = 0; t < cycles; t++) {
    const ins = [
      ['x', r.bits(64)],
      ['y', r.bits(64)],
      ['en', BigInt(r.int(3) === 0 ? 0 : 1)],
    ] as const;
    for (const [p, v] of ins) {
      sim.poke(p, v);
      ref.poke(p, v);
    }
    expect(sim.peek('acc'), `cycle ${t}`).to.equal(ref.peek('acc'));
    sim.step();
    ref.step();
  }
}
