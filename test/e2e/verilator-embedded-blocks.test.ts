// The decoding blocks (gpt2-block*, llama-block*) with their weights as constants in the logic
// (`embedded`): native = golden under random gaps and stalls; in one Verilator build, Verilator =
// golden on every output beat and native = Verilator on every port in every cycle; and the three
// linters on each design's files as a set. A build of their own (2–4 MB of SV each), beside the
// other designs' in verilator-embedded.test.ts.
import { bundledDesigns, isDecodingBlock } from './designs.js';
import { describeEmbeddedBatch } from './verilator-batch.js';

describeEmbeddedBatch(
  'e2e: the decoding blocks (embedded weights) in Verilator vs the golden model and the native simulator',
  bundledDesigns().filter(isDecodingBlock),
);
