// `mxgen sweep <design.yaml> --mix ... --macs ...`: a design-space sweep over precision mixes and
// MAC budgets in a worker pool, cached per point, with a progress bar; writes sweep.csv and
// pareto.svg into <out>/<design>-sweep/ (docs/ir.md, "Sweeps"). Exit 3 when a point mismatches.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { DEFAULT_CACHE_ROOT, selectYosys } from '../../backends/index.js';
import { MxgenError } from '../../hdl/index.js';
import { designToGraph } from '../../ir/index.js';
import { action, EXIT } from '../action.js';
import { parseDesignYaml } from '../../flow/design-file.js';
import { choiceOption, intOption, MAX_WORKERS } from '../options.js';
import {
  checkOutputTarget,
  checkWritableFolder,
  mxgenVersion,
  writeDesignDir,
} from '../../flow/output.js';
import { checkLimits, describeEstimate, estimateDesign, isLongRun } from '../../flow/estimate.js';
import { lineSteps, stepBar } from '../progress.js';
import { dataflowPath } from '../../flow/resolve.js';
import {
  type Mix,
  parseMacs,
  parseMix,
  parseShard,
  paretoSvg,
  runSweep,
  sweepCsv,
  sweepPoints,
} from '../../flow/sweep.js';

export interface SweepCommandOptions {
  mix?: string[];
  macs?: string;
  vectors?: string;
  area?: boolean;
  workers?: string;
  shard?: string;
  out?: string;
  yosys?: string;
  force?: boolean;
  limits?: boolean;
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
    .option('--yosys <tool>', 'auto, system or yowasp (one Yosys for every point)', 'auto')
    .option('--force', 'replace the output folder even if mxgen did not write it')
    .option('--no-limits', 'run even when the pre-flight estimate exceeds the size limits')
    .action(
      action(async (spec: string, opts: SweepCommandOptions) => {
        const file = dataflowPath(spec, 'sweep');
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw new MxgenError(
            'io',
            `cannot read design file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
            { hint: 'pass the path of a design .yaml file, e.g. templates/designs/default.yaml' },
          );
        }
        const raw = parseDesignYaml(text, file);
        const g = designToGraph(raw, file); // validates the file once, up front
        const mixes: Mix[] = (opts.mix ?? []).map(parseMix);
        if (mixes.length === 0) mixes.push({ label: 'design', mix: {} });
        const macs = opts.macs ? parseMacs(opts.macs) : [g.macs];
        const shard = parseShard(opts.shard);
        const tensors = intOption('vectors', opts.vectors, 4, 1, 1_000_000);
        const workers = intOption(
          'workers',
          opts.workers,
          Math.max(1, availableParallelism()),
          1,
          MAX_WORKERS,
        );
        const tool = choiceOption('yosys', opts.yosys, ['auto', 'system', 'yowasp'], 'auto');
        const points = sweepPoints(mixes, macs, shard);
        // Pre-flight: the smallest budget gives the most cycles per token.
        const est = estimateDesign({ ...g, macs: Math.min(...macs) }, tensors);
        if (opts.limits !== false) checkLimits(est, file);
        const suffix = shard.count > 1 ? `-shard-${shard.index}-of-${shard.count}` : '';
        const outName = `${g.name}-sweep${suffix}`;
        checkOutputTarget(opts.out ?? 'rtl-out', outName, opts.force === true);
        checkWritableFolder(
          DEFAULT_CACHE_ROOT,
          'build cache folder',
          'run mxgen from a writable working directory (the sweep cache is sim/build/sweep)',
        );
        const area = opts.area !== false;
        const yosys = area
          ? (
              await selectYosys({
                tool,
                onNote: (t) => console.error(`mxgen sweep: ${t}`),
              })
            ).info
          : undefined;
        let bar = stepBar('mxgen sweep');
        if (isLongRun(est) || points.length > 16) {
          console.error(`mxgen sweep: ${points.length} points; per point ${describeEstimate(est)}`);
          if (!process.stderr.isTTY) bar = lineSteps('mxgen sweep');
        }
        let rows;
        try {
          rows = await runSweep({
            design: raw,
            file,
            points,
            tensors,
            area,
            ...(yosys ? { yosys: { kind: yosys.kind, detail: yosys.detail } } : {}),
            workers,
            version: mxgenVersion(),
            onPoint: (d, n) => bar.step(`${d}/${n} points`, d, n),
          });
        } finally {
          bar.stop();
        }
        const dir = await writeDesignDir(
          opts.out ?? 'rtl-out',
          outName,
          [
            { name: 'sweep.csv', text: sweepCsv(rows) },
            { name: 'pareto.svg', text: paretoSvg(rows) },
          ],
          { force: opts.force === true },
        );
        const bad = rows.filter((r) => (r.mismatches ?? 0) > 0);
        const failed = rows.filter((r) => r.error !== undefined);
        console.log(
          `${g.name}: ${rows.length} points (${rows.filter((r) => r.cached).length} cached), ${failed.length} rejected, ${bad.length} with mismatches; wrote ${dir}/`,
        );
        for (const r of failed) console.log(`  rejected: ${r.mix} macs=${r.macs}: ${r.error}`);
        if (rows.length > 0 && failed.length === rows.length)
          throw new MxgenError(
            'config',
            `${file}: every sweep point was rejected (first: ${failed[0]?.mix} macs=${failed[0]?.macs}: ${failed[0]?.error})`,
            { hint: 'fix the mixes or budgets; rejected points are not cached' },
          );
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
