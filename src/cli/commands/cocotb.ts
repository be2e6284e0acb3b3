// `mxgen cocotb <design>`: a runnable cocotb test directory next to the RTL
// (rtl-out/<design>/cocotb/): vectors.json, test_<design>.py, run.py and a Makefile, filled from
// templates/cocotb/. The test itself is the generic stream test of mxgen_cocotb (docs/cocotb.md).
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action } from '../action.js';
import { vectorOptions } from '../options.js';

export function register(program: Command): void {
  vectorOptions(
    program
      .command('cocotb')
      .description('write rtl-out/<design>/ with a runnable cocotb test directory (cocotb/)'),
  )
    .option('--force', 'replace <out>/<design>/ even if mxgen did not write it (no .mxgen-output)')
    .option('--run [sim]', 'also run the test: icarus (default) or verilator; exit 3 on a mismatch')
    .action(
      action(async (spec: string, opts: flow.CocotbCliOptions) => {
        const r = await flow.cocotbCommand(spec, opts);
        const shown = relative(process.cwd(), r.cocotbDir) || r.cocotbDir;
        console.log(`wrote ${shown}/ (run: .venv/bin/python ${join(shown, 'run.py')})`);
        if (r.report) console.log(r.report);
      }),
    );
}
