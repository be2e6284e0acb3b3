// One Verilator build for a batch of compiled designs: the native simulator's recorded run
// (random gaps and stalls) replayed in Verilator; Verilator's output beats equal the golden model
// and every output port equals the native simulator's in every cycle. Shared by the e2e files
// that split the bundled designs into batches (one per mocha worker under `--parallel`).
import { expect } from 'chai';
import { simulateNative, verilatorChecks, type NativeRun } from '../../src/flow/flow.js';
import { replayDesigns } from '../../src/flow/replay.js';
import { type Compiled, streamInterface } from '../../src/ir/index.js';
import { TENSORS } from './designs.js';

export async function checkBatchInVerilator(
  compiled: readonly { label: string; c: Compiled }[],
): Promise<void> {
  const runs: NativeRun[] = compiled.map((d) => simulateNative(d.c, TENSORS, 0.2, 0.2));
  runs.forEach((r, i) => expect(r.native.mismatches, `${compiled[i]?.label} native`).to.equal(0));
  // g++ -O0: the build of ~25 designs is most of the time, and the replay is a few thousand
  // cycles (the embedded batch's O0 build: 237 s on the quiet machine; its O1 build: 640 s in the
  // full run, where two mocha workers and pytest shared the cores).
  const reps = await replayDesigns(
    runs.map((r) => ({ netlist: r.netlist, sv: r.sv, run: r.run, images: r.memories.images })),
    { opt: 'O0' },
  );
  expect(reps).to.have.length(runs.length);
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
}
