// `mxgen area <design>`: synthesize with Yosys (hierarchically) and report cells, CMOS
// transistors, NAND2 gate equivalents and logic depth per module and in total. Prints a table and
// writes area.json and area.csv into the design's output folder (rtl-out/<design>/).
import { relative } from 'node:path';
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action } from '../action.js';
import { collect, DESIGN_ARG, SET_HELP } from '../options.js';

export function register(program: Command): void {
  program
    .command('area')
    .description('area (cells, transistors, NAND2 gate equivalents) and logic depth with Yosys')
    .argument('<design>', `${DESIGN_ARG}, or an rtl-out/<design> folder`)
    .option('--set <key=value>', SET_HELP, collect)
    .option('--tool <tool>', 'system (yosys binary), yowasp (@yowasp/yosys) or auto', 'auto')
    .option('--out <dir>', 'output root folder for a design file', 'rtl-out')
    .option('--force', 'replace <out>/<design>/ even if mxgen did not write it (no .mxgen-output)')
    .option('--timeout <seconds>', 'limit for one Yosys run', '600')
    .option('--ice40', 'also count iCE40 LUT4/carry/DFF cells (synth_ice40, a second Yosys run)')
    .option(
      '--memories-only',
      'only the memory bits (SRAMs, ROMs) from the coarse synthesis: no logic area, seconds instead of minutes',
    )
    .action(
      action(async (spec: string, opts: flow.AreaCommandOptions) => {
        const r = await flow.area(spec, opts);
        if (flow.isMemoryReport(r.report)) console.log(flow.formatMemoryTable(r.report));
        else {
          console.log(flow.formatAreaTable(r.report));
          if (r.report.ice40) console.log(flow.formatIce40Table(r.report.ice40));
        }
        const rel = relative(process.cwd(), r.dir);
        const shown = rel === '' ? '.' : rel.startsWith('..') ? r.dir : rel;
        console.log(`wrote ${shown}/area.json and ${shown}/area.csv`);
      }),
    );
}
