// One Verilator build for a batch of compiled designs: the native simulator's recorded run
// (random gaps and stalls) replayed in Verilator; Verilator's output beats equal the golden model
// and every output port equals the native simulator's in every cycle. Shared by the e2e files
// that split the bundled designs into batches (one per mocha worker under `--parallel`). The same
// files lint each design's emitted SV as the set of files it is (`lintBatch`), from the runs they
// have already generated: every bundled design is compiled, emitted and simulated natively once
// per storage mode in the whole suite.
import { expect } from 'chai';
import { simulateNative, verilatorChecks, type NativeRun } from '../../src/flow/flow.js';
import { replayDesigns } from '../../src/flow/replay.js';
import { type Compiled, streamInterface } from '../../src/ir/index.js';
import { lintAll } from '../support/lint-set.js';
import { compileFile, TENSORS } from './designs.js';

export interface BatchDesign {
  readonly label: string;
  /** Directory name of the design's files in the lint run (unique in the batch). */
  readonly name: string;
  readonly compile: () => Compiled;
}

export interface BatchRun {
  readonly label: string;
  readonly name: string;
  readonly run: NativeRun;
}

/**
 * Every design compiled and run in the native simulator (random gaps and stalls), native = golden
 * on every output beat; memoized per batch so that the Verilator and lint tests of one file share
 * the runs.
 */
export function nativeBatch(designs: readonly BatchDesign[]): () => BatchRun[] {
  let runs: BatchRun[] | undefined;
  return () => {
    runs ??= designs.map((d) => {
      const run = simulateNative(d.compile(), TENSORS, 0.2, 0.2);
      expect(run.native.mismatches, `${d.label} native: ${run.native.firstMismatch}`).to.equal(0);
      return { label: d.label, name: d.name, run };
    });
    return runs;
  };
}

export async function checkBatchInVerilator(batch: readonly BatchRun[]): Promise<void> {
  const runs = batch.map((b) => b.run);
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
    const label = batch[i]?.label;
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

/**
 * Each design's emitted SV linted as the set of files it is, with its top module (and its SRAM
 * images): verilator -Wall with zero warnings, iverilog -g2012, yosys check -assert. Linting files
 * one by one misses what only the set shows: a child's signal named like the instance that holds
 * it (VARHIDDEN, olive-dyn's `scale`), or two files defining one module.
 */
export async function lintBatch(batch: readonly BatchRun[]): Promise<void> {
  const problems = await lintAll(
    batch.map((b) => ({ name: b.name, sv: b.run.sv, images: b.run.memories.images })),
  );
  expect(problems.map((p) => `${p.design} (${p.tool}):\n${p.output}`).join('\n\n')).to.equal('');
}

/** A design file's name without directory and `.yaml`. */
export const designName = (p: string): string => p.replace(/^.*\//, '').replace(/\.yaml$/, '');

/**
 * A describe block for `paths` with embedded weights: native = golden, one Verilator build
 * (Verilator = golden, native = Verilator every cycle), and the three linters on each design.
 */
export function describeEmbeddedBatch(title: string, paths: readonly string[]): void {
  describe(title, function () {
    this.timeout(20 * 60_000);
    const runs = nativeBatch(
      paths.map((p) => ({
        label: `${p} (embedded)`,
        name: `${designName(p)}-embedded`,
        compile: () => compileFile(p, 'embedded'),
      })),
    );
    it(`${paths.length} designs, ${TENSORS} tensors each: native = golden, one Verilator build`, async () => {
      await checkBatchInVerilator(runs());
    });
    it('each design passes verilator -Wall, iverilog and yosys check -assert as a set of files', async () => {
      await lintBatch(runs());
    });
  });
}
