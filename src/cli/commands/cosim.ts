// `mxgen cosim <design>`: the native simulator and Verilator run the same seeded random vectors
// (one Verilator build, all vector sets in one process) and every output is compared every cycle.
// Exit 3 on a mismatch, with the first cycle, port, both values, the inputs and two VCDs.
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action, EXIT } from '../action.js';
import { collect, DESIGN_ARG, SET_HELP } from '../options.js';

export function register(program: Command): void {
  program
    .command('cosim')
    .description('co-simulate a design: native simulator vs Verilator on seeded random vectors')
    .argument('<design>', DESIGN_ARG)
    .option('--set <key=value>', SET_HELP, collect)
    .option('--cycles <n>', 'compared cycles per vector set, after reset', '1000')
    .option('--seed <s>', 'seed of the random vectors', '1')
    .option('--vectors <n>', 'independent random vector sets (one Verilator process runs all)', '4')
    .option('--reset <n>', 'reset cycles before the compared cycles', '2')
    .option('--opt <level>', 'g++ optimization of the Verilator model: O0, O1, O2 or O3', 'O2')
    .option('--vcd-dir <dir>', 'where mismatch waveforms go (default sim/cosim/<design>)')
    .option(
      '--transactions <n>',
      'components: random input beats checked against the golden reference model',
      '1000',
    )
    .option(
      '--stall <p>',
      'components: probability of an input gap / output stall per cycle',
      '0.3',
    )
    .action(
      action(async (spec: string, opts: flow.CosimCliOptions) => {
        const c = await flow.cosim(spec, opts);
        if (c.source === 'component') {
          const r = c.report;
          console.log(
            `cosim ${r.design}: ${r.inBeats} input beats, native ${r.nativeMatched}/${r.expected}, ` +
              `verilator ${r.verilatorMatched}/${r.expected} output beats bit-exact vs golden; ` +
              `${r.valuesCompared} output values equal native vs Verilator over ${r.cycles} cycles`,
          );
          return EXIT.ok;
        }
        const { report, name } = c;
        const b = report.build;
        console.log(
          `cosim ${name}: ${report.vectorSets} vector sets x ${report.cycles} cycles, ` +
            `${report.compared} output values equal (Verilator build ${b.hit ? 'cached' : `${b.seconds.toFixed(1)} s`})`,
        );
        return EXIT.ok;
      }),
    );
}
