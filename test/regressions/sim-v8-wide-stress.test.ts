// Regression stress test for the V8 Turbofan abort on the simulator's wide (33..64-bit) code
// ("RepresentationChangerError: Phi of kRepTagged (UnsignedBigInt64) cannot be changed to
// kRepWord64", SIGTRAP; see sim-v8-bigint64-phi.test.ts for the first design that hit it). The
// child simulates random designs of wide muxes, shifts, compares, arithmetic, wide registers with
// enable and a wide memory for 3000 cycles each (every design's evaluation function is
// Turbofan-compiled well before that; checked with --trace-opt) and compares every output with
// the reference interpreter on every cycle. With the old lowering (`s ? x : y` on bigints) every
// batch of 10 designs aborted. Runs in a child process because the abort kills the process.
// MXGEN_FUZZ_N scales the number of designs.
import { expect } from 'chai';
import { runTool } from '../../src/backends/index.js';

const DESIGNS = 16 * Number(process.env.MXGEN_FUZZ_N ?? 1);
const CYCLES = 3000;

describe('regression: simulator code for wide mux/shift/compare chains survives V8 optimization', () => {
  it(`simulates ${DESIGNS} random 33..64-bit designs for ${CYCLES} cycles each, equal to the reference`, async () => {
    const r = await runTool(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/regressions/sim-v8-wide-stress.child.ts',
        '1000',
        String(DESIGNS),
        String(CYCLES),
      ],
      { timeoutMs: 600_000 },
    ); // rejects with "exit SIGTRAP" if generated code crashes V8
    expect(r.stdout.trim()).to.equal(`designs ${DESIGNS} cycles ${DESIGNS * CYCLES} wrong 0`);
  });
});
