// Every bundled design in the native simulator, with random producer gaps and consumer stalls:
// every output beat equals the golden model of the graph, for 20 random input tensors. Plus the
// olive_enc design with its on-chip OliVe σ forced below the calibrated one, so that the encoder
// sees many outliers (counted in the golden intermediate tensor and asserted).
import { expect } from 'chai';
import { elaborate } from '../../src/hdl/index.js';
import {
  type Compiled,
  ConstCache,
  cycleBudget,
  designVectors,
  goldenToken,
  streamInterface,
  tokenInputs,
} from '../../src/ir/index.js';
import { compile, runStream } from '../../src/sim/index.js';
import { bundledDesigns, compileFile, compileWithSigma, OLIVE_FORCED, TENSORS } from './designs.js';

function expectBitExact(c: Compiled, label: string): void {
  const v = designVectors(c.graph, TENSORS);
  const io = streamInterface(c.graph);
  const r = runStream(compile(elaborate(c.top)), v.inBeats, {
    inFields: io.inFields,
    outFields: io.outFields,
    expectedOutBeats: v.outBeats.length,
    idleProbability: 0.25,
    stallProbability: 0.25,
    seed: 11,
    maxCycles: cycleBudget(c.graph, v.inBeats.length, 0.25, 0.25),
  });
  expect(r.outBeats.length).to.equal(v.outBeats.length);
  r.outBeats.forEach((b, i) => {
    expect(b.y, `${label} beat ${i}`).to.equal(v.outBeats[i]?.y);
    expect(b.y_scale, `${label} beat ${i} scale`).to.equal(v.outBeats[i]?.y_scale);
  });
}

/** Pairs of OliVe tensor `name` (olive4) over the test tensors that hold an outlier. */
function outlierPairs(c: Compiled, name: string): { pairs: number; outliers: number } {
  const consts = new ConstCache(c.graph);
  const tokens = c.graph.nodes.find((n) => n.op === 'input')?.type?.shape[0] ?? 1;
  let pairs = 0;
  let outliers = 0;
  for (let v = 0; v < TENSORS; v++)
    for (let t = 0; t < tokens; t++)
      for (const b of goldenToken(c.graph, tokenInputs(c.graph, v, t).quantized, consts).get(name)
        ?.codes ?? []) {
        pairs++;
        if ((b & 15) === 8 || b >> 4 === 8) outliers++; // 0x8 is the victim's identifier code
      }
  return { pairs, outliers };
}

describe('e2e: bundled designs in the native simulator vs the golden model', () => {
  for (const path of bundledDesigns())
    it(`${path}: ${TENSORS} tensors bit-exact under stalls`, () => {
      expectBitExact(compileFile(path), path);
    });
  for (const e of [OLIVE_FORCED.sigmaExp, OLIVE_FORCED.sigmaExp - 1])
    it(`${OLIVE_FORCED.path} with σ(${OLIVE_FORCED.node}) = 2^${e}: outliers on chip, bit-exact`, () => {
      const c = compileWithSigma(OLIVE_FORCED.path, OLIVE_FORCED.node, e);
      const o = outlierPairs(c, OLIVE_FORCED.node);
      expect(o.outliers, `outlier pairs of ${o.pairs}`).to.be.at.least(o.pairs / 4);
      expectBitExact(c, `${OLIVE_FORCED.path} σ=2^${e}`);
    });
});
