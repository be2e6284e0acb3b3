// Every bundled design (and olive_enc with a forced small σ, so that the on-chip olive-encoder
// produces many outliers, and the multi-block MX-output fixture): the native simulator's recorded run (random gaps and stalls) replayed
// in one Verilator build for all designs; Verilator's output beats equal the golden model and
// every output port equals the native simulator's in every cycle.
import { expect } from 'chai';
import { simulateNative, verilatorChecks, type NativeRun } from '../../src/flow/flow.js';
import { replayDesigns } from '../../src/flow/replay.js';
import { streamInterface } from '../../src/ir/index.js';
import {
  bundledDesigns,
  compileFile,
  compileWithSigma,
  MX_BLOCKS_OUT,
  OLIVE_FORCED,
  TENSORS,
} from './designs.js';

describe('e2e: bundled designs in Verilator vs the golden model and the native simulator', function () {
  // 21 designs twice (SRAM and embedded weights) in one Verilator build, the decoding blocks
  // 21 500 cycles each: 9.5 min in the last full run on the loaded 2-core machine.
  this.timeout(25 * 60_000);
  it(`all bundled designs, ${TENSORS} tensors each, one Verilator build`, async () => {
    const paths = bundledDesigns();
    expect(paths.length).to.be.at.least(4);
    // Every design twice: weights in SRAM (the default, `memory`) and as constants (`embedded`).
    const compiled = [
      ...paths.map((p) => ({ label: p, c: compileFile(p) })),
      ...paths.map((p) => ({ label: `${p} (embedded)`, c: compileFile(p, 'embedded') })),
      { label: MX_BLOCKS_OUT, c: compileFile(MX_BLOCKS_OUT) },
      {
        label: `${OLIVE_FORCED.path} σ=2^${OLIVE_FORCED.sigmaExp}`,
        c: compileWithSigma(OLIVE_FORCED.path, OLIVE_FORCED.node, OLIVE_FORCED.sigmaExp),
      },
    ];
    const runs: NativeRun[] = compiled.map((d) => simulateNative(d.c, TENSORS, 0.2, 0.2));
    runs.forEach((r, i) => expect(r.native.mismatches, `${compiled[i]?.label} native`).to.equal(0));
    const reps = await replayDesigns(
      runs.map((r) => ({ netlist: r.netlist, sv: r.sv, run: r.run, images: r.memories.images })),
    );
    reps.forEach((rep, i) => {
      const run = runs[i] as NativeRun;
      const label = compiled[i]?.label;
      const v = verilatorChecks(rep, run.vectors, streamInterface(run.graph));
      expect(v.verilator.beatsCompared, `${label} beats`).to.equal(TENSORS * run.vectors.tokens);
      expect(v.verilator.mismatches, `${label}: ${v.verilator.firstMismatch}`).to.equal(0);
      expect(v.nativeVsVerilator.values).to.be.greaterThan(0);
      expect(v.nativeVsVerilator.mismatches, `${label}: ${v.nativeVsVerilator.first}`).to.equal(0);
      console.log(
        `      ${label}: ${v.verilator.beatsCompared} beats vs golden (native and Verilator), ${v.nativeVsVerilator.values} port values over ${v.nativeVsVerilator.cycles} cycles native = Verilator`,
      );
    });
  });
});
