// The parallelize rules (src/ir/parallelize.ts, docs/ir.md) with hand-derived expected values.
// Operands are chosen so that the plausible confusions give a different answer: the tie going to
// the smaller tile, K and N swapped, the budget split evenly instead of by work, a share rounded
// instead of floored, and a budget taken as "at least" instead of "at most".
import { expect } from 'chai';
import { parseDesignYaml } from '../../src/flow/design-file.js';
import {
  chooseParallelism,
  designToGraph,
  inferPass,
  parallelizePass,
  quantizePass,
  runPasses,
  PASSES,
} from '../../src/ir/index.js';
import { MxgenError } from '../../src/hdl/index.js';

describe('ir: parallelize rules', () => {
  it('ties go to the larger tile: K = 12, N = 8, budget 8 gives 2 lanes × tile 4, not 8 × 1', () => {
    // lanes | 8, tile | 12, lanes·tile = 8: (2, 4), (4, 2), (8, 1); the largest tile is 4.
    expect(chooseParallelism(12, 8, 8)).to.deep.equal({
      lanes: 2,
      tile: 4,
      macs: 8,
      cyclesPerToken: (8 / 2) * (12 / 4), // 12
    });
    // K = N = 16, budget 16: (1, 16) beats (2, 8), (4, 4), (8, 2), (16, 1).
    expect(chooseParallelism(16, 16, 16)).to.deep.equal({
      lanes: 1,
      tile: 16,
      macs: 16,
      cyclesPerToken: 16,
    });
  });

  it('K and N are not interchangeable: K = 3, N = 4, budget 4 gives 4 lanes × tile 1', () => {
    // tile | 3 and lanes | 4: only (4, 1) reaches 4; swapped (K = 4, N = 3) it would be (1, 4).
    expect(chooseParallelism(3, 4, 4)).to.deep.equal({
      lanes: 4,
      tile: 1,
      macs: 4,
      cyclesPerToken: 3,
    });
    expect(chooseParallelism(4, 3, 4)).to.deep.equal({
      lanes: 1,
      tile: 4,
      macs: 4,
      cyclesPerToken: 3,
    });
  });

  it('takes the largest product at most the budget, even when the budget is not reachable', () => {
    // K = 6, N = 5, budget 9: products 1, 2, 3, 5, 6 (and 10, 15, 30 over budget): 6 = 1 × 6.
    expect(chooseParallelism(6, 5, 9)).to.deep.equal({
      lanes: 1,
      tile: 6,
      macs: 6,
      cyclesPerToken: 5,
    });
    // A budget beyond K·N: the whole layer in one cycle.
    expect(chooseParallelism(4, 3, 100)).to.deep.equal({
      lanes: 3,
      tile: 4,
      macs: 12,
      cyclesPerToken: 1,
    });
    // Budget 1: one multiplier, K·N cycles. Prime K and N, budget 6: only 1 × 1 fits.
    expect(chooseParallelism(7, 5, 1)).to.deep.equal({
      lanes: 1,
      tile: 1,
      macs: 1,
      cyclesPerToken: 35,
    });
    expect(chooseParallelism(7, 11, 6)).to.deep.equal({
      lanes: 1,
      tile: 1,
      macs: 1,
      cyclesPerToken: 77,
    });
  });

  const design = (macs: number): string => `
design: par
seed: 1
macs: ${macs}
tokens: 1
graph:
  - { op: input, name: x, features: 12 }
  - { op: linear, name: fc1, input: x, features: 8 }
  - { op: linear, name: fc2, input: fc1, features: 4 }
outputs: [fc2]
precision: { weights: int8, activations: int8 }
`;
  const parallel = (macs: number): Record<string, unknown> => {
    const g = designToGraph(parseDesignYaml(design(macs), 'par.yaml'), 'par.yaml');
    const r = runPasses(g, [inferPass, quantizePass, parallelizePass], PASSES);
    return Object.fromEntries(
      r.graph.nodes.filter((n) => n.op === 'linear').map((n) => [n.name, n.parallelism]),
    );
  };

  it('shares the budget in proportion to K·N, floored: macs 22 → fc1 16, fc2 5', () => {
    // fc1: K 12, N 8 (work 96); fc2: K 8, N 4 (work 32); total 128.
    // fc1 share floor(22 · 96 / 128) = floor(16.5) = 16 → (4, 4) or (8, 2): tie → tile 4.
    //   (An even split, 11, would give (2, 4); K and N swapped, (2, 8).)
    // fc2 share floor(22 · 32 / 128) = floor(5.5) = 5 → 4: (1, 4) beats (2, 2) and (4, 1).
    expect(parallel(22)).to.deep.equal({
      fc1: { lanes: 4, tile: 4, macs: 16, cyclesPerToken: 6 },
      fc2: { lanes: 1, tile: 4, macs: 4, cyclesPerToken: 8 },
    });
  });

  it('a share below one multiplier is raised to one; fewer multipliers than layers is an error', () => {
    // macs 2: fc2 share floor(2 · 32 / 128) = 0 → 1.
    expect(parallel(2)).to.deep.equal({
      fc1: { lanes: 1, tile: 1, macs: 1, cyclesPerToken: 96 },
      fc2: { lanes: 1, tile: 1, macs: 1, cyclesPerToken: 32 },
    });
    let err: unknown;
    try {
      parallel(1);
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(MxgenError);
    expect((err as MxgenError).message).to.equal(
      'macs 1 is below one multiplier per layer (2 layers)',
    );
  });
});
