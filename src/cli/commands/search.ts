// `mxgen search <model|design> --formats ... --budget ...` and `mxgen search-merge <shard>...`:
// parses the options, calls the flow's search (src/flow/search-command.ts) and prints.
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action, EXIT } from '../action.js';

export function register(program: Command): void {
  program
    .command('search')
    .description(
      'per-tensor precision search: golden-model quality on real data, cycles, Yosys area; Pareto front',
    )
    .argument('<design>', 'an .onnx model, a dataflow design (.yaml) or a bundled design name')
    .option('--formats <list>', 'formats a weight or activation may take', 'int8,int4')
    .option('--baseline <format>', 'the uniform baseline (every searched tensor)', 'int8')
    .option(
      '--budget <x>',
      'largest accuracy drop vs FP64 (with --labels), else largest relative error vs FP64',
      '0.01',
    )
    .option(
      '--inputs <x.npy>',
      'real input rows (N × features); default: the design’s seeded inputs (4 tensors)',
    )
    .option('--labels <y.npy>', 'class labels: quality = top-1 accuracy')
    .option('--output <tensor>', 'an .onnx model: the ONNX tensor to compute')
    .option('--macs <n>', 'the MAC budget of every point (default: the design’s)')
    .option('--seed <n>', 'overrides the design’s seed (seeded weights, inputs, calibration)')
    .option('--shard <i/n>', 'evaluate hardware points i, i+n, …; merge with mxgen search-merge')
    .option('--workers <n>', 'worker threads (default: available cores)')
    .option('--yosys <tool>', 'auto, system or yowasp', 'auto')
    .option('--out <dir>', 'output root', 'rtl-out')
    .option('--force', 'replace the output folder even if mxgen did not write it')
    .action(
      action(async (spec: string, opts: flow.SearchOpts) => {
        const r = await flow.searchCommand(spec, opts, {
          onNote: (t) => console.error(`mxgen search: ${t}`),
        });
        for (const l of r.lines) console.log(l);
        if (r.mismatch) throw r.mismatch;
        return EXIT.ok;
      }),
    );
  program
    .command('search-merge')
    .description('merge the shards of an mxgen search run into one front')
    .argument(
      '<shard-dirs...>',
      'the shards’ output folders (rtl-out/<design>-search-shard-i-of-n)',
    )
    .option('--out <dir>', 'output root', 'rtl-out')
    .option('--force', 'replace the output folder even if mxgen did not write it')
    .action(
      action(async (dirs: string[], opts: { out?: string; force?: boolean }) => {
        const r = await flow.searchMergeCommand(dirs, opts);
        for (const l of r.lines) console.log(l);
        return EXIT.ok;
      }),
    );
}
