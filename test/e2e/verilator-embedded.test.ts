// Every bundled design with its weights as constants in the logic (`embedded`), in one Verilator
// build: Verilator = golden on every output beat, native = Verilator on every port in every cycle.
// The small add-output fixtures (MX, nvfp4, OliVe, uint; decision 45) ride along in the same
// build. The `memory` batch is verilator.test.ts.
import { expect } from 'chai';
import { ADD_OUT_FIXTURES, bundledDesigns, compileFile, TENSORS } from './designs.js';
import { checkBatchInVerilator } from './verilator-batch.js';

describe('e2e: bundled designs (embedded weights) in Verilator vs the golden model and the native simulator', function () {
  this.timeout(20 * 60_000);
  it(`all bundled designs, ${TENSORS} tensors each, one Verilator build`, async () => {
    const paths = bundledDesigns();
    expect(paths.length).to.be.at.least(4);
    await checkBatchInVerilator(
      [...paths, ...ADD_OUT_FIXTURES].map((p) => ({
        label: `${p} (embedded)`,
        c: compileFile(p, 'embedded'),
      })),
    );
  });
});
