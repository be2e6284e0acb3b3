// Every bundled design with its weights in SRAM (the default, `memory`), the OliVe-encoder design
// with a forced small σ (so that the on-chip olive-encoder produces many outliers), the
// multi-block MX-output fixture and gpt2-block with per-channel KV scales: native = golden under
// random gaps and stalls; in one Verilator build, Verilator = golden on every output beat and
// native = Verilator on every port in every cycle; and the three linters on each design's files
// as a set (with its `.hex` images). The same designs with `embedded` weights are in
// verilator-embedded.test.ts (a second build, so `--parallel` runs the two side by side). The
// real-size designs are in real-size.test.ts.
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
import { checkBatchInVerilator, designName, lintBatch, nativeBatch } from './verilator-batch.js';

describe('e2e: bundled designs (weights in SRAM) in Verilator vs the golden model and the native simulator', function () {
  // The decoding blocks run 21 500 cycles each; the batch took 9.5 min with both storage modes
  // in the last serial run on the loaded 2-core machine.
  this.timeout(20 * 60_000);
  const paths = bundledDesigns();
  const runs = nativeBatch([
    ...paths.map((p) => ({ label: p, name: designName(p), compile: () => compileFile(p) })),
    {
      label: MX_BLOCKS_OUT,
      name: designName(MX_BLOCKS_OUT),
      compile: () => compileFile(MX_BLOCKS_OUT),
    },
    {
      label: GPT2_KV_CHANNEL,
      name: designName(GPT2_KV_CHANNEL),
      compile: () => compileFile(GPT2_KV_CHANNEL),
    },
    {
      label: `${OLIVE_FORCED.path} σ=2^${OLIVE_FORCED.sigmaExp}`,
      name: `${designName(OLIVE_FORCED.path)}-sigma`,
      compile: () => compileWithSigma(OLIVE_FORCED.path, OLIVE_FORCED.node, OLIVE_FORCED.sigmaExp),
    },
  ]);
  it(`all bundled designs, ${TENSORS} tensors each: native = golden, one Verilator build`, async () => {
    expect(paths.length).to.be.at.least(10);
    await checkBatchInVerilator(runs());
  });
  it('each design passes verilator -Wall, iverilog and yosys check -assert as a set of files', async () => {
    await lintBatch(runs());
  });
});
