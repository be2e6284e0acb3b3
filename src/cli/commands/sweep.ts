// `mxgen sweep <design.yaml> --mix ... --macs ...`: a design-space sweep over precision mixes and
// MAC budgets in a worker pool, cached per point, with a progress bar; writes sweep.csv and
// pareto.svg into <out>/<design>-sweep/ (docs/ir.md, "Sweeps"). Exit 3 when a point mismatches.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { MxgenError } from '../../hdl/index.js';
import { designToGraph } from '../../ir/index.js';
import { action, EXIT } from '../action.js';
import { mxgenVersion, writeDesignDir } from '../output.js';
import { stepBar } from '../report/progress.js';
import {
  type Mix,
  parseMacs,
  parseMix,
  parseShard,
  paretoSvg,
  runSweep,
  sweepCsv,
  sweepPoints,
} from '../report/sweep.js';

export interface SweepCommandOptions {
  mix?: string[];
  macs?: string;
  vectors?: string;
  area?: boolean;
  workers?: string;
  shard?: string;
  out?: string;
}

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
    .action(
      action(async (file: string, opts: SweepCommandOptions) => {
        let raw: unknown;
        try {
          raw = parse(readFileSync(file, 'utf8'));
        } catch (e) {
          throw new MxgenError(
            'config',
            `cannot read design file ${file}: ${(e as Error).message.split('\n')[0]}`,
          );
        }
        const g = designToGraph(raw, file); // validates the file once, up front
        const mixes: Mix[] = (opts.mix ?? []).map(parseMix);
        if (mixes.length === 0) mixes.push({ label: 'design', mix: {} });
        const macs = opts.macs ? parseMacs(opts.macs) : [g.macs];
        const shard = parseShard(opts.shard);
        const tensors = Number(opts.vectors ?? '4');
        if (!Number.isInteger(tensors) || tensors < 1)
          throw new MxgenError(
            'usage',
            `--vectors must be a positive integer; got ${opts.vectors}`,
          );
        const workers = opts.workers ? Number(opts.workers) : Math.max(1, availableParallelism());
        const points = sweepPoints(mixes, macs, shard);
        const bar = stepBar('mxgen sweep');
        let rows;
        try {
          rows = await runSweep({
            design: raw,
            file,
            points,
            tensors,
            area: opts.area !== false,
            workers,
            version: mxgenVersion(),
            onPoint: (d, n) => bar.step(`${d}/${n} points`, d, n),
          });
        } finally {
          bar.stop();
        }
        const suffix = shard.count > 1 ? `-shard-${shard.index}-of-${shard.count}` : '';
        const dir = await writeDesignDir(opts.out ?? 'rtl-out', `${g.name}-sweep${suffix}`, [
          { name: 'sweep.csv', text: sweepCsv(rows) },
          { name: 'pareto.svg', text: paretoSvg(rows) },
        ]);
        const bad = rows.filter((r) => (r.mismatches ?? 0) > 0);
        const failed = rows.filter((r) => r.error !== undefined);
        console.log(
          `${g.name}: ${rows.length} points (${rows.filter((r) => r.cached).length} cached), ${failed.length} rejected, ${bad.length} with mismatches; wrote ${dir}/`,
        );
        for (const r of failed) console.log(`  rejected: ${r.mix} macs=${r.macs}: ${r.error}`);
        if (bad.length > 0)
          throw new MxgenError(
            'mismatch',
            `${bad.length} sweep points disagree with the golden model`,
            {
              hint: `first: ${bad[0]?.mix} macs=${bad[0]?.macs}; run it with mxgen run`,
            },
          );
        return EXIT.ok;
      }),
    );
}
