// The native simulator on netlists from the real builder: every design of the test catalogue and
// random builder designs (test/support/random-design.ts) against the reference interpreter, and
// the catalogue's MAC array against a hand calculation.
import { expect } from 'chai';
import fc from 'fast-check';
import { elaborate, type MemImages, type Netlist } from '../../../src/hdl/index.js';
import { compile } from '../../../src/sim/index.js';
import { CATALOGUE } from '../../designs/index.js';
import { macArray2x2 } from '../../designs/mac-array.js';
import { NetlistInterpreter } from '../../support/netlist-interp.js';
import { buildRecipe, designRecipe, recipeImages } from '../../support/random-design.js';
import { Rng } from './random-netlist.js';

/** Runs both models in lock-step with random inputs (rst for the first 2 cycles, then 1 in 8). */
function lockStep(nl: Netlist, seed: number, cycles: number, images: MemImages = new Map()): void {
  const sim = compile(nl, { images });
  const ref = new NetlistInterpreter(nl, images);
  const r = new Rng(seed);
  const top = nl.modules.find((m) => m.name === nl.top);
  if (!top) throw new Error('no top');
  for (let t = 0; t < cycles; t++) {
    const rst = t < 2 || r.int(8) === 0 ? 1 : 0;
    sim.poke('rst', rst);
    ref.rst = BigInt(rst);
    for (const p of top.ports) {
      if (p.dir !== 'in') continue;
      const v = r.bits(p.width);
      sim.poke(p.name, v);
      ref.poke(p.name, v);
    }
    for (const p of top.ports) {
      if (p.dir !== 'out') continue;
      const got = sim.peek(p.name);
      const want = ref.peek(p.name);
      if (got !== want)
        expect.fail(
          `${nl.top} seed ${seed} cycle ${t} port ${p.name}: native 0x${got.toString(16)}, reference 0x${want.toString(16)}`,
        );
    }
    sim.step();
    ref.step();
  }
}

describe('sim: builder designs', () => {
  for (const entry of CATALOGUE)
    it(`catalogue design ${entry.name} matches the reference for 40 random cycles`, () => {
      lockStep(elaborate(entry.build()), 17, 40);
    });

  it('mac_array_2x2 accumulates a_i * b_j by hand calculation', () => {
    const sim = compile(elaborate(macArray2x2()));
    sim.poke('en', 1);
    sim.poke('clear', 0);
    sim.reset();
    // cycle 1: a = (3, -2), b = (5, -7); cycle 2: a = (-128, 1), b = (-128, 127)
    const stim: [number, number, number, number][] = [
      [3, -2, 5, -7],
      [-128, 1, -128, 127],
    ];
    for (const [a0, a1, b0, b1] of stim) {
      sim.poke('a0', a0);
      sim.poke('a1', a1);
      sim.poke('b0', b0);
      sim.poke('b1', b1);
      sim.step();
    }
    // acc_0_0 = 3*5 + (-128)(-128) = 15 + 16384 = 16399
    // acc_0_1 = 3*(-7) + (-128)(127) = -21 - 16256 = -16277
    // acc_1_0 = (-2)(5) + 1*(-128) = -10 - 128 = -138
    // acc_1_1 = (-2)(-7) + 1*127 = 14 + 127 = 141
    expect(sim.peekSigned('acc_0_0')).to.equal(16399n);
    expect(sim.peekSigned('acc_0_1')).to.equal(-16277n);
    expect(sim.peekSigned('acc_1_0')).to.equal(-138n);
    expect(sim.peekSigned('acc_1_1')).to.equal(141n);
    expect(sim.peekSignal('pe_1_1.acc')).to.equal(141n);
  });

  it('random builder designs match the reference interpreter', () => {
    const runs = 25 * Number(process.env.MXGEN_FUZZ_N ?? 1);
    fc.assert(
      fc.property(designRecipe, fc.integer({ min: 0, max: 1 << 30 }), (recipe, seed) => {
        lockStep(buildRecipe('rnd', recipe), seed, 16, recipeImages('rnd', recipe));
      }),
      { seed: 5151, numRuns: runs },
    );
  });
});
