// `mxgen sim <design>`: compile a design file with the native simulator, reset it for one cycle,
// run seeded random inputs and write a VCD; `--emit-ts out.ts` writes the typed model instead.
import { relative } from 'node:path';
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action } from '../action.js';
import { collect, DESIGN_ARG, SET_HELP } from '../options.js';

export function register(program: Command): void {
  program
    .command('sim')
    .description('simulate a design file natively with seeded random inputs and write a VCD')
    .argument('<design>', DESIGN_ARG)
    .option('--set <key=value>', SET_HELP, collect)
    .option('--cycles <n>', 'cycles after the one reset cycle', '100')
    .option('--vcd <file>', 'VCD output (default sim/<design>.vcd)')
    .option('--seed <s>', 'seed of the random inputs', '1')
    .option('--emit-ts <file>', 'write the typed TypeScript model instead of simulating')
    .option('--force', 'overwrite a file that mxgen did not write')
    .action(
      action(async (spec: string, opts: flow.SimOptions) => {
        const r = await flow.simulate(spec, opts);
        if (r.emitTs) {
          console.log(
            `wrote ${relative(process.cwd(), r.emitTs) || r.emitTs} (typed model of ${r.top})`,
          );
          return;
        }
        const rate = Math.round(r.cyclesPerSec ?? 0);
        console.log(`simulated ${r.top}: 1 reset + ${r.cycles} cycles (${rate} cycles/s with VCD)`);
        console.log(`wrote ${r.vcd}`);
      }),
    );
}
