// Every bundled design in the native simulator, with random producer gaps and consumer stalls:
// every output beat equals the golden model of the graph, for 20 random input tensors. Plus the
// olive_enc design with its on-chip OliVe σ forced below the calibrated one, so that the encoder
// sees many outliers (counted in the golden intermediate tensor and asserted).
import { expect } from 'chai';
import { listComponents } from '../../src/components/index.js';
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
import {
  bundledDesigns,
  compileFile,
  compileWithSigma,
  DESIGN_DIR,
  OLIVE_FORCED,
  TENSORS,
} from './designs.js';

function expectBitExact(c: Compiled, label: string): void {
  const v = designVectors(c.graph, TENSORS);
  const io = streamInterface(c.graph);
  const r = runStream(compile(elaborate(c.top), { images: c.memories.images }), v.inBeats, {
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

/**
 * Pairs of OliVe tensor `name` (olive4 or olive4_dyn) over the test tensors that hold an outlier,
 * and the distinct per-token scales X (olive4_dyn).
 */
function outlierPairs(
  c: Compiled,
  name: string,
): { pairs: number; outliers: number; scales: Set<number> } {
  const consts = new ConstCache(c.graph);
  const tokens = c.graph.nodes.find((n) => n.op === 'input')?.type?.shape[0] ?? 1;
  let pairs = 0;
  let outliers = 0;
  const scales = new Set<number>();
  for (let v = 0; v < TENSORS; v++)
    for (let t = 0; t < tokens; t++) {
      const q = goldenToken(c.graph, tokenInputs(c.graph, v, t).quantized, consts).get(name);
      for (const x of q?.scales ?? []) scales.add(x);
      for (const b of q?.codes ?? []) {
        pairs++;
        if ((b & 15) === 8 || b >> 4 === 8) outliers++; // 0x8 is the victim's identifier code
      }
    }
  return { pairs, outliers, scales };
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
  it(`${DESIGN_DIR}/olive-dyn.yaml: per-token σ varies and the encoder sees outliers`, () => {
    // σ = 2^(X − 128) puts each token's max at 8σ..16σ, above the normal range's 7.5σ whenever
    // amax > 9.5σ: the hidden tensor holds outliers, and X differs between tokens.
    const o = outlierPairs(compileFile(`${DESIGN_DIR}/olive-dyn.yaml`), 'fc1');
    expect(o.outliers, `outlier pairs of ${o.pairs}`).to.be.at.least(o.pairs / 10);
    expect(o.scales.size).to.be.at.least(3);
  });
  // Kinds registered before the IR can place them: the transformer ops of issue 13 (their graph
  // ops arrive with its point 2) and fp32-acc (multi-block linear layers with fp32-blockwise
  // accumulation, formats.md 5.2). Each must still be absent from every design, so an entry is
  // removed (and the check applies) as soon as a design uses the kind.
  const NOT_YET_IN_A_DESIGN = new Set([
    'softmax',
    'layernorm',
    'rmsnorm',
    'gelu',
    'silu',
    'mul',
    'fp32-acc',
  ]);
  it('the bundled designs instantiate every registered component kind', () => {
    const names = new Set<string>();
    for (const path of bundledDesigns())
      for (const m of elaborate(compileFile(path).top).modules) names.add(m.name);
    const kinds = listComponents().map((k) => k.kind);
    expect(kinds).to.include.members([...NOT_YET_IN_A_DESIGN]);
    for (const k of listComponents()) {
      const prefix = `${k.kind.replace(/-/g, '_')}_`;
      expect(
        [...names].some((n) => n.startsWith(prefix)),
        `${k.kind} (module ${prefix}…)`,
      ).to.equal(!NOT_YET_IN_A_DESIGN.has(k.kind));
    }
  });
});
