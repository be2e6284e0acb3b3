// mxgen command line: one file per command under commands/, each exporting `register`.
import { Command } from 'commander';
import { installInterruptHandlers } from '../backends/index.js';
import { register as area } from './commands/area.js';
import { register as cocotb } from './commands/cocotb.js';
import { register as cosim } from './commands/cosim.js';
import { register as doctor } from './commands/doctor.js';
import { register as formats } from './commands/formats.js';
import { register as generate } from './commands/generate.js';
import { register as numerics } from './commands/numerics.js';
import { register as run } from './commands/run.js';
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
  .showHelpAfterError('(run with --help for usage)');

for (const register of [
  area,
  cocotb,
  cosim,
  doctor,
  formats,
  generate,
  numerics,
  run,
  sim,
  sweep,
  vectors,
])
  register(program);

await program.parseAsync(process.argv);
