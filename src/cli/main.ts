// mxgen command line: one file per command under commands/, each exporting `register`.
import { Command } from 'commander';
import { installInterruptHandlers } from '../flow/index.js';
import { register as area } from './commands/area.js';
import { register as cocotb } from './commands/cocotb.js';
import { register as cosim } from './commands/cosim.js';
import { register as doctor } from './commands/doctor.js';
import { register as equiv } from './commands/equiv.js';
import { register as formats } from './commands/formats.js';
import { register as generate } from './commands/generate.js';
import { register as importModel } from './commands/import.js';
import { register as numerics } from './commands/numerics.js';
import { register as run } from './commands/run.js';
import { register as search } from './commands/search.js';
import { register as sim } from './commands/sim.js';
import { register as sweep } from './commands/sweep.js';
import { register as vectors } from './commands/vectors.js';

installInterruptHandlers();
const program = new Command();
program
  .name('mxgen')
  .description('Generate, simulate, verify and measure RTL for mixed-precision ML accelerators')
  .version('0.1.0')
  .option('--debug', 'print stack traces with errors (also MXGEN_DEBUG=1)')
  .showHelpAfterError('(run with --help for usage)')
  .addHelpText(
    'after',
    `
Exit codes: 0 ok, 1 bad input (design file, options, files, permissions), 2 tool missing or
failed, 3 mismatch, 130/143 interrupted (SIGINT/SIGTERM: tools stopped, temporaries removed).
Output folders: mxgen replaces only folders it wrote (marker file .mxgen-output); another folder
or file with the design's name is an error unless --force.
Limits: run and sweep estimate weights, cycles and host memory before any work and refuse designs
over the limits (docs/reliability.md) or the free memory; --no-limits runs anyway.`,
  );

for (const register of [
  area,
  cocotb,
  cosim,
  doctor,
  equiv,
  formats,
  generate,
  importModel,
  numerics,
  run,
  search,
  sim,
  sweep,
  vectors,
])
  register(program);

await program.parseAsync(process.argv);
