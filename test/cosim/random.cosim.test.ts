// Differential property: for random designs built through the builder, the native simulator and
// Verilator (on the emitted SV) agree on every output every cycle. 300 designs x 200 cycles by
// default in two Verilator builds, plus 60 designs dominated by 65..1 024-bit values with up to
// 12 inputs and outputs in a third; MXGEN_FUZZ_N multiplies the number of designs. A failing
// design is shrunk (one build per shrink step) and printed as a recipe for test/regressions/.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  cosimDesigns,
  mismatchError,
  type CosimDesign,
  type NativeFactory,
  type CosimReport,
} from '../../src/backends/index.js';
import { compile } from '../../src/sim/index.js';
import {
  buildRecipe,
  designRecipe,
  recipeImages,
  sampleRecipes,
  wideDesignRecipe,
  type DesignRecipe,
} from '../support/random-design.js';

const FUZZ = Math.max(1, Number(process.env.MXGEN_FUZZ_N ?? '1'));
const DESIGNS = 300 * FUZZ;
/** Designs dominated by 65..1 024-bit values with many ports (the simulator's word lowering). */
const WIDE_DESIGNS = 60 * FUZZ;
const BATCH = 150;
const CYCLES = 200;
const SEED = 20240601;

/**
 * Odd-numbered designs run with small chunks (many chunks per design), so the evaluation that
 * skips chunks whose inputs did not change is compared with Verilator too; half the designs are
 * compiled without named signals.
 */
const native: NativeFactory = (nl, opts) => {
  const i = Number(/\d+$/.exec(nl.top)?.[0] ?? 0);
  // Designs 4k+2 and 4k+3 without named signals (the model the flows use).
  const o = { ...opts, signals: i % 4 < 2 };
  // Small chunks give a model two forms (chunks skipped or not); the co-simulation steps one
  // cycle at a time, which runs the plain form, so designs 4k+3 force the skipping form (the
  // run-time switching between them is checked in test/unit/sim/activity.test.ts); designs 4k+1
  // cut that plain form into small functions by tokens (codegen.ts: plainTokens; by default these
  // designs fit one function). Both split every enabled register's cone above a few tokens into
  // functions of its own, called under the enable (coneTokens).
  return compile(
    nl,
    i % 2 === 1
      ? {
          ...o,
          chunkSize: 3 + (i % 23),
          coneTokens: i % 9,
          ...(i % 4 === 3 ? { activity: true } : { plainTokens: 20 + (i % 29) * 4 }),
        }
      : o,
  );
};

function stringify(r: DesignRecipe): string {
  return JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

async function runOne(r: DesignRecipe): Promise<CosimReport> {
  const d = {
    name: 'shrunk',
    netlist: buildRecipe('shrunk', r),
    images: recipeImages('shrunk', r),
  };
  return cosimDesigns([d], {
    native,
    cycles: CYCLES,
    seed: SEED,
    build: { opt: 'O0' },
  });
}

/** Shrinks a failing recipe with fast-check's shrinker, starting from it. */
async function shrink(r: DesignRecipe, arb = designRecipe): Promise<string> {
  const out = await fc.check(
    fc.asyncProperty(arb, async (x) => (await runOne(x)).mismatches.length === 0),
    { examples: [[r]], numRuns: 1, seed: SEED, interruptAfterTimeLimit: 5 * 60_000 },
  );
  const ce = out.counterexample?.[0];
  if (!ce) return `(did not reproduce alone) ${stringify(r)}`;
  const rep = await runOne(ce);
  return `${stringify(ce)}\n${rep.mismatches.length > 0 ? mismatchError(rep).format() : ''}`;
}

describe('co-simulation of random designs: native simulator vs Verilator', function () {
  this.timeout(30 * 60_000);

  const run = (label: string, recipes: readonly DesignRecipe[], arb: typeof designRecipe): void => {
    for (let start = 0; start < recipes.length; start += BATCH) {
      const batch = recipes.slice(start, start + BATCH);
      it(`${label}${start}..${start + batch.length - 1} agree on every output every cycle`, async () => {
        const designs: CosimDesign[] = batch.map((r, i) => {
          const name = `rd${start + i}`;
          return { name, netlist: buildRecipe(name, r), images: recipeImages(name, r) };
        });
        const rep = await cosimDesigns(designs, {
          native,
          cycles: CYCLES,
          seed: SEED,
          vectors: 1,
          build: { opt: 'O0' },
          vcdDir: 'sim/cosim-failures',
        });
        // Every output of every design compared on every cycle.
        const outputs = designs.reduce((n, d) => {
          const top = d.netlist.modules[d.netlist.modules.length - 1];
          return n + (top?.ports.filter((p) => p.dir === 'out').length ?? 0);
        }, 0);
        expect(rep.compared).to.equal(outputs * CYCLES);
        if (rep.mismatches.length > 0) {
          const first = rep.mismatches[0];
          const idx = Number(first?.design.slice(2)) - start;
          const shrunk = await shrink(batch[idx] as DesignRecipe, arb);
          expect.fail(`${mismatchError(rep).format()}\nshrunk recipe:\n${shrunk}`);
        }
      });
    }
  };
  run('designs ', sampleRecipes(SEED, DESIGNS), designRecipe);
  run(
    'wide designs (65..1 024 bits, many ports) ',
    sampleRecipes(SEED, WIDE_DESIGNS, wideDesignRecipe),
    wideDesignRecipe,
  );
});
