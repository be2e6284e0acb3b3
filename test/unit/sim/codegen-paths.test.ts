// Code paths of the model generator (src/sim/codegen.ts) that the other specs' designs never
// reach, each against the reference interpreter cycle by cycle (docs/mutants/src/sim/codegen.ts
// .part2.yaml names the mutants they kill).
import { expect } from 'chai';
import { compile, type CompileOptions } from '../../../src/sim/index.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { Rng } from './random-netlist.js';
import { Kit, netlist } from './kit.js';
import type { Netlist } from '../../../src/hdl/index.js';

/** Random inputs (and a reset now and then) for `cycles` cycles: every output equals the reference's. */
function agree(nl: Netlist, opts: CompileOptions, seed: number, cycles: number): string {
  const sim = compile(nl, { signals: false, ...opts });
  const ref = new NetlistInterpreter(nl);
  const top = nl.modules[nl.modules.length - 1];
  if (!top) throw new Error('no top');
  const r = new Rng(seed);
  sim.reset();
  ref.reset();
  for (let t = 0; t < cycles; t++) {
    for (const p of top.ports.filter((q) => q.dir === 'in')) {
      const v = r.bits(p.width);
      sim.poke(p.name, v);
      ref.poke(p.name, v);
    }
    for (const p of top.ports.filter((q) => q.dir === 'out'))
      expect(sim.peek(p.name), `${p.name} at cycle ${t} (${JSON.stringify(opts)})`).to.equal(ref.peek(p.name));
    sim.step();
    ref.step();
  }
  return sim.source;
}

const FORMS: CompileOptions[] = [{ activity: false }, { activity: true, chunkSize: 2 }, { activity: false, inPlace: false }];

/**
 * Dynamic part-selects `src[amt +: 40]` at bit 64 of a 256-bit shift (words [2, 4) of it live):
 * of an input (read from storage), of a value computed in the same function (a local: T) and of
 * a constant.
 */
function partSelects(): Netlist {
  const m = new Kit('parts');
  const a = m.input('a', 256);
  const b = m.input('b', 256);
  const amt = m.input('amt', 8);
  const c = m.lit(0x0123456789abcdef_fedcba9876543210_0f1e2d3c4b5a6978_8796a5b4c3d2e1f0n, 256);
  const x = m.cell('xor', 256, [a, b]);
  for (const [name, src] of [['stored', a], ['local', x], ['const', c]] as const) {
    const sh = m.cell('shrUV', 256, [src, amt]);
    m.output(name, m.cell('slice', 40, [sh], { lo: 64 }));
  }
  return netlist(m.def(false));
}

describe('sim: code generator paths', () => {
  it('a partial shift of a stored, a local and a constant source, its words above word 0', () => {
    const nl = partSelects();
    for (const opts of FORMS) {
      const src = agree(nl, opts, 7, 60);
      expect(src).to.match(/xW\(T, 0, 8, /);
    }
  });
});
