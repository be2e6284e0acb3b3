// The known schedule of every unit (src/ir/schedule.ts) against the native simulator: on every
// small bundled design, with its weights in SRAM and embedded, each unit's latency (input
// handshake to output handshake, no gaps or stalls) and the design's steady-state cycles per
// token are exactly what the schedule says; the cycle budget built from it is never below the
// stall-free run and rejects impossible stall rates. The add-output fixtures (decision 45: add
// units with a quantizer, MX-input casts) run with their weights in SRAM only. (test/e2e/native.test.ts runs the same
// designs under gaps and stalls within that budget; the real-size ones run in real-size.test.ts.)
import { expect } from 'chai';
import { measureThroughput } from '../../src/flow/throughput.js';
import {
  BUDGET_SLACK_CYCLES,
  cycleBudget,
  designVectors,
  graphSchedule,
  unitSchedule,
} from '../../src/ir/index.js';
import { ADD_OUT_FIXTURES, bundledDesigns, compileFile } from '../e2e/designs.js';

// The bundled designs whose layers all lower with streamed weights (the others are refused).
const STREAMS = ['cast-chain', 'mlp-int8', 'norm-act', 'olive-dyn', 'residual', 'swiglu'];

describe('ir: unit schedules (cycle budgets from the schedule)', () => {
  for (const path of [...bundledDesigns(), ...ADD_OUT_FIXTURES])
    for (const storage of ['memory', 'embedded', 'stream'] as const) {
      if (storage !== 'memory' && ADD_OUT_FIXTURES.includes(path)) continue;
      if (storage === 'stream' && !STREAMS.some((d) => path.endsWith(`/${d}.yaml`))) continue;
      it(`${path} (${storage}): every unit's latency and the cycles per token match the simulator`, () => {
        const c = compileFile(path, storage);
        const tokens = 4;
        const t = measureThroughput(c, designVectors(c.graph, 2), 500, tokens);
        const units = c.graph.nodes.filter((n) => n.unit);
        expect(t.units.map((u) => u.node)).to.deep.equal(units.map((n) => n.name));
        units.forEach((n, i) => {
          const s = unitSchedule(n.unit ?? ({} as never));
          // measureThroughput counts both handshake cycles: latency + 1.
          expect(t.units[i]?.cyclesPerToken, `${n.name} (${n.unit?.kind})`).to.equal(s.latency + 1);
          expect(s.interval, n.name)
            .to.be.at.least(1)
            .and.at.most(s.latency + 1);
        });
        const gs = graphSchedule(c.graph);
        expect(t.cyclesPerToken, 'design cycles per token').to.equal(gs.interval);
        expect(cycleBudget(c.graph, tokens, 0, 0)).to.equal(
          BUDGET_SLACK_CYCLES + 2 * (gs.latency + tokens * gs.interval),
        );
      });
    }

  it('the budget grows with the stall rates and rejects rates of 1 or more', () => {
    const c = compileFile('templates/designs/default.yaml');
    const free = cycleBudget(c.graph, 40, 0, 0);
    expect(cycleBudget(c.graph, 40, 0.25, 0.25)).to.be.greaterThan(free);
    expect(() => cycleBudget(c.graph, 40, 1, 0)).to.throw(/idle \(1\) and stall \(0\)/);
  });
});
