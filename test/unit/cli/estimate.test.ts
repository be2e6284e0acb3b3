// The pre-flight estimate (issue 19): linear in the sizes, made from the design file alone; the
// documented limits allow a 768→3072→768 FFN and a 4096×11008 int4 layer with one token and
// refuse 10^9 features or 10^9 tokens, with the estimate in the message.
import { expect } from 'chai';
import { designToGraph } from '../../../src/ir/index.js';
import { checkLimits, estimateDesign, LIMITS } from '../../../src/flow/estimate.js';

const GIB = 2 ** 30;

function design(
  layers: number[],
  tokens: number,
  weights = 'int8',
): ReturnType<typeof designToGraph> {
  const graph: unknown[] = [{ op: 'input', name: 'x', features: layers[0] }];
  layers
    .slice(1)
    .forEach((n, i) =>
      graph.push({ op: 'linear', name: `l${i}`, input: i === 0 ? 'x' : `l${i - 1}`, features: n }),
    );
  return designToGraph(
    { design: 'd', tokens, macs: 64, graph, precision: { weights, activations: 'int8' } },
    'd.yaml',
  );
}

describe('cli: pre-flight estimate and limits', () => {
  it('counts weights, bits, multipliers and cycles from the shapes', () => {
    const e = estimateDesign(design([32, 32, 16], 4), 20);
    expect(e.weights).to.equal(32 * 32 + 32 * 16);
    expect(e.weightBits).to.equal(8 * e.weights);
    expect(e.macs).to.be.at.most(64);
    expect(e.tokens).to.equal(4);
    expect(e.cycles).to.equal(20 * 4 * e.cyclesPerToken);
  });

  it('allows a 768→3072→768 FFN (4 GiB free) and a 4096×11008 int4 layer with one token (20 GiB)', () => {
    const ffn = estimateDesign(design([768, 3072, 768], 1, 'int8'), 20);
    expect(() => checkLimits(ffn, 'd.yaml', 4 * GIB)).not.to.throw();
    const big = estimateDesign(design([4096, 11008], 1, 'int4'), 20);
    expect(big.weights).to.be.below(LIMITS.weights);
    expect(() => checkLimits(big, 'd.yaml', 20 * GIB)).not.to.throw();
    expect(big.weightBits).to.equal(4096 * 11008 * 4);
    // ~330 bytes per weight on the host today (exact golden values per weight): 45 M weights
    // need ~14 GiB, so the estimate refuses the layer where V8's default heap (~4 GiB) is all
    // there is — it would abort there.
    expect(() => checkLimits(big, 'd.yaml', 5 * GIB)).to.throw(/host memory ≈/);
  });

  it('refuses 10^9 features and 10^9 tokens with the estimate in the message', () => {
    const f = estimateDesign(design([1_000_000_000, 16], 4), 20);
    expect(() => checkLimits(f, 'd.yaml', 16 * GIB)).to.throw(
      /d\.yaml: design too large: a tensor has 1\.00e9 features/,
    );
    const t = estimateDesign(design([16, 16], 1_000_000_000), 20);
    let hint = '';
    try {
      checkLimits(t, 'd.yaml', 16 * GIB);
    } catch (e) {
      hint = String((e as { hint?: string }).hint);
      expect((e as Error).message).to.match(/simulated cycles .*limit/);
    }
    expect(hint).to.match(/^estimate: 1 layers, 256 weights .* 1\.00e9 tokens .*--no-limits/);
  });

  it('refuses what does not fit in the free memory', () => {
    const e = estimateDesign(design([4096, 11008], 1, 'int4'), 20);
    expect(() => checkLimits(e, 'd.yaml', 1 * GIB)).to.throw(/host memory ≈ .* but only 1\.0 GiB/);
  });
});
