// `mxgen doctor`: checks the external tools' versions.
import type { Command } from 'commander';
import { TOOLS, describeProblem, neededRange, probeTool } from '../../backends/index.js';
import { action, EXIT } from '../action.js';

export function register(program: Command): void {
  program
    .command('doctor')
    .description('check that Verilator, Yosys, Icarus, g++, make and the Python venv are usable')
    .option('--quiet', 'print only problems')
    .action(
      action((opts: { quiet?: boolean }) => {
        let bad = 0;
        for (const spec of TOOLS) {
          const s = probeTool(spec);
          if (!s.ok) {
            bad++;
            console.error(describeProblem(s));
          } else if (!opts.quiet)
            console.log(`${s.name.padEnd(18)} ${s.found} (need ${neededRange(s)})`);
        }
        return bad > 0 ? EXIT.tool : EXIT.ok;
      }),
    );
}
