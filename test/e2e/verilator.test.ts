// Every bundled design with its weights in SRAM (the default, `memory`), the OliVe-encoder design
// with a forced small σ (so that the on-chip olive-encoder produces many outliers), the
// multi-block MX-output fixture and gpt2-block with per-channel KV scales, in one Verilator build: Verilator = golden on every output beat,
// native = Verilator on every port in every cycle. The same designs with `embedded` weights are in
// verilator-embedded.test.ts (a second build, so `--parallel` runs the two side by side).
import { expect } from 'chai';
import {
  bundledDesigns,
  compileFile,
  compileWithSigma,
  GPT2_KV_CHANNEL,
  MX_BLOCKS_OUT,
  OLIVE_FORCED,
  TENSORS,
} from './designs.js';
import { checkBatchInVerilator } from './verilator-batch.js';

describe('e2e: bundled designs (weights in SRAM) in Verilator vs the golden model and the native simulator', function () {
  // The decoding blocks run 21 500 cycles each; the batch took 9.5 min with both storage modes
  // in the last serial run on the loaded 2-core machine.
  this.timeout(20 * 60_000);
  it(`all bundled designs, ${TENSORS} tensors each, one Verilator build`, async () => {
    const paths = bundledDesigns();
    expect(paths.length).to.be.at.least(4);
    await checkBatchInVerilator([
      ...paths.map((p) => ({ label: p, c: compileFile(p) })),
      { label: MX_BLOCKS_OUT, c: compileFile(MX_BLOCKS_OUT) },
      { label: GPT2_KV_CHANNEL, c: compileFile(GPT2_KV_CHANNEL) },
      {
        label: `${OLIVE_FORCED.path} σ=2^${OLIVE_FORCED.sigmaExp}`,
        c: compileWithSigma(OLIVE_FORCED.path, OLIVE_FORCED.node, OLIVE_FORCED.sigmaExp),
      },
    ]);
  });
});
