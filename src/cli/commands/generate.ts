// `mxgen generate <design>`: elaborate a design file, emit SystemVerilog and write
// `rtl-out/<design>/` (one `<module>.sv` per module plus manifest.json), atomically.
import { relative } from 'node:path';
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action } from '../action.js';
import { collect, DESIGN_ARG, SET_HELP } from '../options.js';

export function register(program: Command): void {
  program
    .command('generate')
    .description('emit SystemVerilog for a design file into rtl-out/<design>/')
    .argument('<design>', DESIGN_ARG)
    .option('--set <key=value>', SET_HELP, collect)
    .option('--out <dir>', 'output root folder', 'rtl-out')
    .option('--force', 'replace <out>/<design>/ even if mxgen did not write it (no .mxgen-output)')
    .option('--locations <mode>', 'relative: add // file:line comments; none (default)', 'none')
    .option('--seed <n>', "dataflow designs: overrides the design's seed: (weights, inputs)")
    .option(
      '--weights-storage <mode>',
      'dataflow designs: overrides weights_storage: for every layer (embedded or memory)',
    )
    .action(
      action(async (spec: string, opts: flow.GenerateOptions) => {
        const r = await flow.generate(spec, opts);
        const shown = relative(process.cwd(), r.dir) || r.dir;
        const mods = `${r.modules} module${r.modules === 1 ? '' : 's'}`;
        console.log(`wrote ${shown}/ (${mods}, ${r.lines} lines)`);
      }),
    );
}
