// `mxgen equiv <a> <b>`: proves two designs equal with Yosys (src/backends/yosys/equiv.ts), or
// prints the first cycle after reset in which an output differs and the inputs leading to it.
// Exit 0 equal, 1 bad input (missing file, different ports, a proof that times out), 3 different
// or not proven.
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action } from '../action.js';
import { DESIGN_ARG } from '../options.js';

export function register(program: Command): void {
  program
    .command('equiv')
    .description('prove two designs equal with Yosys, or print a counterexample')
    .argument('<a>', `an rtl-out/<design> folder, or ${DESIGN_ARG}`)
    .argument('<b>', 'the same kinds as <a>; its top must have the same ports')
    .option('--cycles <n>', 'induction depth and counterexample search length in cycles', '8')
    .option('--timeout <seconds>', 'limit for each Yosys run', '600')
    .option(
      '--engine <name>',
      'pairs: signals paired by name (equiv_*); abc: the miter proven by ABC dprove (docs/equiv.md)',
      'pairs',
    )
    .action(
      action(async (a: string, b: string, opts: flow.EquivCommandOptions) => {
        const r = await flow.equiv(a, b, opts);
        if (r.kind === 'equal') {
          console.log(
            opts.engine === 'abc'
              ? `equivalent: ${a} = ${b} (proven by ABC from the all-zero state)`
              : `equivalent: ${a} = ${b} (${r.equivCells} matched signals proven)`,
          );
          return;
        }
        if (r.kind === 'unknown')
          throw new flow.MxgenError(
            'mismatch',
            `not proven: ${r.unproven} matched signals unproven, and no output differs within ${r.cycles} cycles after reset`,
            { hint: 'raise --cycles to search longer or deepen the induction' },
          );
        for (const l of flow.formatCounterexample(r)) console.log(l);
        throw new flow.MxgenError(
          'mismatch',
          `not equivalent: ${a} and ${b} differ in cycle ${r.cycle} after reset`,
        );
      }),
    );
}
