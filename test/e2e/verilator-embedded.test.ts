// Every bundled design with its weights as constants in the logic (`embedded`) except the decoding
// blocks: native = golden under random gaps and stalls; in one Verilator build, Verilator = golden
// on every output beat and native = Verilator on every port in every cycle; and the three linters
// on each design's files as a set. The small add-output fixtures (MX, nvfp4, OliVe, uint,
// blockdialect, mixed; decision 45) ride along in the same build. The decoding blocks are
// verilator-embedded-blocks.test.ts (a build of their own, so `--parallel` runs the two side by
// side); the `memory` batch is verilator.test.ts.
import { expect } from 'chai';
import { ADD_OUT_FIXTURES, bundledDesigns, isDecodingBlock } from './designs.js';
import { describeEmbeddedBatch } from './verilator-batch.js';

const paths = bundledDesigns().filter((p) => !isDecodingBlock(p));
describeEmbeddedBatch(
  'e2e: bundled designs (embedded weights, no decoding block) in Verilator vs the golden model and the native simulator',
  [...paths, ...ADD_OUT_FIXTURES],
);
describe('e2e: the embedded batches', () => {
  it('cover every bundled design', () => {
    expect(paths.length).to.be.at.least(10);
    expect(bundledDesigns().filter(isDecodingBlock).length).to.be.at.least(4);
  });
});
