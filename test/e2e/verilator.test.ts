// Every bundled design: the native simulator's recorded run (random gaps and stalls) replayed in
// one Verilator build for all designs; Verilator's output beats equal the golden model and every
// output port equals the native simulator's in every cycle.
import { expect } from 'chai';
import { simulateNative, verilatorChecks, type NativeRun } from '../../src/cli/report/flow.js';
import { replayDesigns } from '../../src/cli/report/replay.js';
import { streamInterface } from '../../src/ir/index.js';
import { bundledDesigns, compileFile, TENSORS } from './designs.js';

describe('e2e: bundled designs in Verilator vs the golden model and the native simulator', () => {
  it(`all bundled designs, ${TENSORS} tensors each, one Verilator build`, async () => {
    const paths = bundledDesigns();
    expect(paths.length).to.be.at.least(4);
    const runs: NativeRun[] = paths.map((p) => simulateNative(compileFile(p), TENSORS, 0.2, 0.2));
    runs.forEach((r, i) => expect(r.native.mismatches, `${paths[i]} native`).to.equal(0));
    const reps = await replayDesigns(
      runs.map((r) => ({ netlist: r.netlist, sv: r.sv, run: r.run })),
    );
    reps.forEach((rep, i) => {
      const run = runs[i] as NativeRun;
      const v = verilatorChecks(rep, run.vectors, streamInterface(run.graph).yBits);
      expect(v.verilator.beatsCompared, `${paths[i]} beats`).to.equal(TENSORS * run.vectors.tokens);
      expect(v.verilator.mismatches, `${paths[i]}: ${v.verilator.firstMismatch}`).to.equal(0);
      expect(v.nativeVsVerilator.values).to.be.greaterThan(0);
      expect(v.nativeVsVerilator.mismatches, `${paths[i]}: ${v.nativeVsVerilator.first}`).to.equal(
        0,
      );
    });
  });
});
