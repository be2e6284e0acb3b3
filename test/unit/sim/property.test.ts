// The native simulator equals the reference interpreter (test/support/netlist-interp.ts) on random
// netlists: every op, edge widths, registers with enable/reset/init null, memories, hierarchy.
import fc from 'fast-check';
import { agree } from './agree.js';

const RUNS = 300 * Number(process.env.MXGEN_FUZZ_N ?? 1);

describe('sim: native simulator vs reference interpreter', () => {
  it('agrees on random netlists for 12 cycles each', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7fffffff }), (seed) => {
        agree(seed, 12);
      }),
      { seed: 20261124, numRuns: RUNS },
    );
  });
});
