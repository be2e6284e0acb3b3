// `mxgen sweep <design.yaml> --mix ... --macs ...`: a design-space sweep over precision mixes and
// MAC budgets in a worker pool, cached per point, with a progress bar; writes sweep.csv and
// pareto.svg into <out>/<design>-sweep/ (docs/ir.md, "Sweeps"). Exit 3 when a point mismatches.
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action, EXIT } from '../action.js';
import { lineSteps, stepBar } from '../progress.js';

export function register(program: Command): void {
  program
    .command('sweep')
    .description(
      'sweep precision mixes × MAC budgets (worker pool, cached per point): CSV + Pareto plot',
    )
    .argument('<design>', 'a dataflow design file (.yaml)')
    .option(
      '--mix <mix...>',
      "precision mixes, each key=format pairs: weights, activations, input or a tensor (default: the file's)",
    )
    .option('--macs <list>', "MAC budgets, comma separated (default: the file's)")
    .option('--vectors <n>', 'random input tensors per point', '4')
    .option('--no-area', 'skip Yosys (the plot then uses MACs used as its x axis)')
    .option('--workers <n>', 'worker threads (default: available cores)')
    .option('--shard <i/n>', 'evaluate only points i, i+n, i+2n, ... (0 ≤ i < n), for job arrays')
    .option('--out <dir>', 'output root', 'rtl-out')
    .option('--yosys <tool>', 'auto, system or yowasp (one Yosys for every point)', 'auto')
    .option('--force', 'replace the output folder even if mxgen did not write it')
    .option('--no-limits', 'run even when the pre-flight estimate exceeds the size limits')
    .action(
      action(async (spec: string, opts: flow.SweepCommandOptions) => {
        let bar = stepBar('mxgen sweep');
        let r: flow.SweepCommandResult;
        try {
          r = await flow.sweepCommand(spec, opts, {
            onNote: (t) => console.error(`mxgen sweep: ${t}`),
            onEstimate: (est, points) => {
              if (flow.isLongRun(est) || points > 16) {
                console.error(
                  `mxgen sweep: ${points} points; per point ${flow.describeEstimate(est)}`,
                );
                if (!process.stderr.isTTY) bar = lineSteps('mxgen sweep');
              }
            },
            onPoint: (d, n) => bar.step(`${d}/${n} points`, d, n),
          });
        } finally {
          bar.stop();
        }
        const bad = r.rows.filter((x) => (x.mismatches ?? 0) > 0);
        const failed = r.rows.filter((x) => x.error !== undefined);
        console.log(
          `${r.name}: ${r.rows.length} points (${r.rows.filter((x) => x.cached).length} cached), ${failed.length} rejected, ${bad.length} with mismatches; wrote ${r.dir}/`,
        );
        for (const x of failed) console.log(`  rejected: ${x.mix} macs=${x.macs}: ${x.error}`);
        const err = flow.sweepError(r);
        if (err) throw err;
        return EXIT.ok;
      }),
    );
}
