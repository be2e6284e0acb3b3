// `mxgen vectors <design> --count N --seed S`: seeded random input beats of a component and the
// expected output beats from its golden model (the registry's `reference`), written as a vector
// file (docs/cocotb.md) to rtl-out/<design>/cocotb/vectors.json, where the generated cocotb test
// reads it. A design is a registered component kind, `<kind>` (its first example) or
// `<kind>/<example>`, or a dataflow design (`templates/designs/<name>.yaml`, or a .yaml path),
// whose expected beats come from the IR's golden evaluation.
import { relative } from 'node:path';
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action } from '../action.js';
import { vectorOptions } from '../options.js';

export function register(program: Command): void {
  vectorOptions(
    program
      .command('vectors')
      .description(
        'write random input beats and golden expected output beats of a component (JSON)',
      ),
  )
    .option('--file <path>', 'write here instead of <out>/<design>/cocotb/vectors.json')
    .option('--force', 'overwrite a file or folder that mxgen did not write')
    .action(
      action(async (spec: string, opts: flow.VectorsCliOptions) => {
        const r = await flow.vectorsCommand(spec, opts);
        console.log(
          `wrote ${relative(process.cwd(), r.path) || r.path} (${r.in} input beats, ${r.out} expected output beats)`,
        );
      }),
    );
}
