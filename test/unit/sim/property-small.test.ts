// A small deterministic variant of the random-netlist property (property.test.ts): seeds 0..23,
// one `it` each, so that Stryker's per-test coverage runs only the netlists that execute a mutant
// (the 300-netlist sweep, 9 s, is left out of the `sim` mutation profile). Seeds 0..23 cover every
// combination of the sweep's options (chunk size seed % 7, named signals seed % 2, calibration
// window seed % 3, token-cut plain form seed % 4). The expected values come from the reference
// interpreter (test/support/netlist-interp.ts), not from the simulator.
import { agree } from './agree.js';

describe('sim: native simulator vs reference interpreter (24 fixed netlists)', () => {
  for (let seed = 0; seed < 24; seed++)
    it(`seed ${seed}: 16 cycles agree on every output`, () => {
      agree(seed, 16);
    });
});
