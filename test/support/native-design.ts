// A compiled design through the native simulator against the golden model: `tensors` random
// input tensors with gaps and stalls (probability p each), the output `y` per beat from both.
import { elaborate } from '../../src/hdl/index.js';
import {
  cycleBudget,
  designVectors,
  streamInterface,
  type compileGraph,
} from '../../src/ir/index.js';
import { compile, runStream } from '../../src/sim/index.js';

export function nativeVsGolden(
  c: ReturnType<typeof compileGraph>,
  tensors: number,
  seed: number,
  p = 0.3,
): { native: (bigint | undefined)[]; golden: (bigint | undefined)[] } {
  const v = designVectors(c.graph, tensors);
  const io = streamInterface(c.graph);
  const r = runStream(compile(elaborate(c.top), { images: c.memories.images }), v.inBeats, {
    inFields: io.inFields,
    outFields: io.outFields,
    expectedOutBeats: v.outBeats.length,
    idleProbability: p,
    stallProbability: p,
    seed,
    maxCycles: cycleBudget(c.graph, v.inBeats.length, p, p),
  });
  return { native: r.outBeats.map((b) => b.y), golden: v.outBeats.map((b) => b.y) };
}
