// `mxgen doctor`: checks the external tools' versions.
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action, EXIT } from '../action.js';

export function register(program: Command): void {
  program
    .command('doctor')
    .description('check that Verilator, Yosys, Icarus, g++, make and the Python venv are usable')
    .option('--quiet', 'print only problems')
    .action(
      action((opts: { quiet?: boolean }) => {
        let bad = 0;
        for (const l of flow.toolReport()) {
          if (!l.ok) {
            bad++;
            console.error(l.text);
          } else if (!opts.quiet) console.log(l.text);
        }
        return bad > 0 ? EXIT.tool : EXIT.ok;
      }),
    );
}
