// Every bundled design with its weights as constants in the logic (`embedded`): native = golden
// under random gaps and stalls; in one Verilator build, Verilator = golden on every output beat
// and native = Verilator on every port in every cycle; and the three linters on each design's
// files as a set. The small add-output fixtures (MX, nvfp4, OliVe, uint; decision 45) ride along
// in the same build. The `memory` batch is verilator.test.ts.
import { expect } from 'chai';
import { ADD_OUT_FIXTURES, bundledDesigns, compileFile, TENSORS } from './designs.js';
import { checkBatchInVerilator, lintBatch, nativeBatch } from './verilator-batch.js';

const designName = (p: string): string => p.replace(/^.*\//, '').replace(/\.yaml$/, '');

describe('e2e: bundled designs (embedded weights) in Verilator vs the golden model and the native simulator', function () {
  this.timeout(20 * 60_000);
  const paths = bundledDesigns();
  const runs = nativeBatch(
    [...paths, ...ADD_OUT_FIXTURES].map((p) => ({
      label: `${p} (embedded)`,
      name: `${designName(p)}-embedded`,
      compile: () => compileFile(p, 'embedded'),
    })),
  );
  it(`all bundled designs, ${TENSORS} tensors each: native = golden, one Verilator build`, async () => {
    expect(paths.length).to.be.at.least(10);
    await checkBatchInVerilator(runs());
  });
  it('each design passes verilator -Wall, iverilog and yosys check -assert as a set of files', async () => {
    await lintBatch(runs());
  });
});
