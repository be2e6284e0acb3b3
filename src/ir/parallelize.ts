// `parallelize`: chooses, per linear/matmul, how many output features run side by side (lanes)
// and how many input features each lane multiplies per cycle (tile) so that the total number of
// multipliers fits the MAC budget. The budget is shared in proportion to each layer's work (K·N);
// within its share a layer takes the largest lanes·tile (lanes | N, tile | K), ties to the
// larger tile (fewer accumulators).
import { MxgenError } from '../hdl/index.js';
import type { Graph, Parallelism } from './graph.js';
import type { Pass } from './passes.js';

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

export function chooseParallelism(k: number, n: number, budget: number): Parallelism {
  let best: Parallelism = { lanes: 1, tile: 1, macs: 1, cyclesPerToken: k * n };
  for (const lanes of divisors(n))
    for (const tile of divisors(k)) {
      const macs = lanes * tile;
      if (macs > budget) continue;
      if (macs > best.macs || (macs === best.macs && tile > best.tile))
        best = { lanes, tile, macs, cyclesPerToken: (n / lanes) * (k / tile) };
    }
  return best;
}

export const parallelizePass: Pass = {
  name: 'parallelize',
  requires: ['shapes'],
  provides: ['parallel'],
  run(g: Graph) {
    const layers = g.nodes.filter((n) => n.op === 'linear' || n.op === 'matmul');
    const work = (s: readonly number[] | undefined): number => (s?.[0] ?? 1) * (s?.[1] ?? 1);
    const weightShape = (name: string): readonly number[] | undefined =>
      g.nodes.find((n) => n.name === name)?.type?.shape;
    const total = layers.reduce(
      (a, n) => a + work(weightShape(n.op === 'linear' ? n.weight : n.op === 'matmul' ? n.b : '')),
      0,
    );
    if (g.macs < layers.length)
      throw new MxgenError(
        'config',
        `macs ${g.macs} is below one multiplier per layer (${layers.length} layers)`,
        { hint: `set macs to at least ${layers.length}` },
      );
    for (const n of layers) {
      const ws = weightShape(n.op === 'linear' ? n.weight : n.op === 'matmul' ? n.b : '');
      const share = Math.max(1, Math.floor((g.macs * work(ws)) / Math.max(total, 1)));
      n.parallelism = chooseParallelism(ws?.[1] ?? 1, ws?.[0] ?? 1, share);
    }
  },
};
