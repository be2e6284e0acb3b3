// Help texts, the commander collector and option blocks shared by the commands (parsing only).
import type { Command } from 'commander';
import { COUNT_HELP, DEFAULT_COUNT, DEFAULT_SEED } from '../flow/index.js';

export const DESIGN_ARG =
  'a component (<kind> or <kind>/<example>), a dataflow design (.yaml, or a name in ' +
  'templates/designs), or a .ts/.js file exporting a ModuleBuilder';

export const SET_HELP =
  'override a component config field (repeatable), e.g. --set element=fp8_e4m3 --set k=32';

/** commander collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** The options `mxgen vectors` and `mxgen cocotb` share: the design and its golden vectors. */
export function vectorOptions(cmd: Command): Command {
  return cmd
    .argument('<design>', DESIGN_ARG)
    .option('--set <key=value>', SET_HELP, collect)
    .option('--count <n>', COUNT_HELP, String(DEFAULT_COUNT))
    .option('--seed <s>', 'seed of the input beats and of the cocotb stalls', String(DEFAULT_SEED))
    .option('--out <dir>', 'output root folder', 'rtl-out');
}
