// Every bundled design in the native simulator, with random producer gaps and consumer stalls:
// every output beat equals the golden model of the graph, for 20 random input tensors.
import { expect } from 'chai';
import { elaborate } from '../../src/hdl/index.js';
import { cycleBudget, designVectors, streamInterface } from '../../src/ir/index.js';
import { compile, runStream } from '../../src/sim/index.js';
import { bundledDesigns, compileFile, TENSORS } from './designs.js';

describe('e2e: bundled designs in the native simulator vs the golden model', () => {
  for (const path of bundledDesigns())
    it(`${path}: ${TENSORS} tensors bit-exact under stalls`, () => {
      const c = compileFile(path);
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
        expect(b.y, `${path} beat ${i}`).to.equal(v.outBeats[i]?.y);
        expect(b.y_scale, `${path} beat ${i} scale`).to.equal(v.outBeats[i]?.y_scale);
      });
    });
});
