// Every catalogue design (test/designs): the native simulator and Verilator agree on every output
// every cycle, for several seeded random vector sets, all designs in one Verilator build.
import { expect } from 'chai';
import { cosimDesigns, mismatchError } from '../../src/backends/index.js';
import { elaborate } from '../../src/hdl/index.js';
import { compile } from '../../src/sim/index.js';
import { CATALOGUE } from '../designs/index.js';

const FUZZ = Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1'));

describe('co-simulation of the design catalogue: native simulator vs Verilator', function () {
  this.timeout(20 * 60_000);

  it('every catalogue design agrees on every output every cycle (one build)', async () => {
    const designs = CATALOGUE.map((e) => ({ name: e.name, netlist: elaborate(e.build()) }));
    const rep = await cosimDesigns(designs, {
      native: compile,
      cycles: 300,
      vectors: 4 * FUZZ,
      seed: 11,
      build: { opt: 'O1' },
      vcdDir: 'sim/cosim-failures',
    });
    expect(rep.designs).to.equal(CATALOGUE.length);
    expect(rep.compared).to.be.greaterThan(0);
    if (rep.mismatches.length > 0)
      expect.fail(
        `${mismatchError(rep).format()}\nall: ${rep.mismatches.map((m) => `${m.design}.${m.port}@${m.cycle}`).join(', ')}`,
      );
  });
});
