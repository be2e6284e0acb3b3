// `mxgen sweep` as a library call: validate the options, sweep precision mixes × MAC budgets in a
// worker pool (cached per point), write sweep.csv and pareto.svg into <out>/<design>-sweep/, and
// throw when every point was rejected or a point disagrees with the golden model.
import { availableParallelism } from 'node:os';
import { DEFAULT_CACHE_ROOT, selectYosys } from '../backends/index.js';
import { MxgenError } from '../hdl/index.js';
import { designToGraph } from '../ir/index.js';
import { readDesignObject } from './design-file.js';
import { checkLimits, estimateDesign, type Estimate } from './estimate.js';
import { choiceOption, intOption, MAX_WORKERS } from './options.js';
import { checkOutputTarget, checkWritableFolder, mxgenVersion, writeDesignDir } from './output.js';
import { dataflowPath } from './resolve.js';
import {
  type Mix,
  parseMacs,
  parseMix,
  parseShard,
  paretoSvg,
  runSweep,
  sweepCsv,
  sweepPoints,
  type SweepRow,
} from './sweep.js';

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

/** What a caller shows while a sweep goes on (the CLI: a progress bar and notes on stderr). */
export interface SweepHooks {
  /** After the pre-flight estimate (per point, at the smallest budget), before any work. */
  onEstimate?: (est: Estimate, points: number) => void;
  onNote?: (text: string) => void;
  onPoint?: (done: number, total: number) => void;
}

export interface SweepCommandResult {
  readonly name: string;
  readonly file: string;
  readonly rows: readonly SweepRow[];
  /** The written output folder. */
  readonly dir: string;
}

export async function sweepCommand(
  spec: string,
  opts: SweepCommandOptions = {},
  hooks: SweepHooks = {},
): Promise<SweepCommandResult> {
  const file = dataflowPath(spec, 'sweep');
  const raw = readDesignObject(file);
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
    ? (await selectYosys({ tool, ...(hooks.onNote ? { onNote: hooks.onNote } : {}) })).info
    : undefined;
  hooks.onEstimate?.(est, points.length);
  const rows = await runSweep({
    design: raw,
    file,
    points,
    tensors,
    area,
    ...(yosys ? { yosys: { kind: yosys.kind, detail: yosys.detail } } : {}),
    workers,
    version: mxgenVersion(),
    ...(hooks.onPoint ? { onPoint: hooks.onPoint } : {}),
  });
  const dir = await writeDesignDir(
    opts.out ?? 'rtl-out',
    outName,
    [
      { name: 'sweep.csv', text: sweepCsv(rows) },
      { name: 'pareto.svg', text: await paretoSvg(rows) },
    ],
    { force: opts.force === true },
  );
  return { name: g.name, file, rows, dir };
}

/** The error of a finished sweep: every point rejected, or points that mismatch; else undefined. */
export function sweepError(r: SweepCommandResult): MxgenError | undefined {
  const bad = r.rows.filter((x) => (x.mismatches ?? 0) > 0);
  const failed = r.rows.filter((x) => x.error !== undefined);
  if (r.rows.length > 0 && failed.length === r.rows.length)
    return new MxgenError(
      'config',
      `${r.file}: every sweep point was rejected (first: ${failed[0]?.mix} macs=${failed[0]?.macs}: ${failed[0]?.error})`,
      { hint: 'fix the mixes or budgets; rejected points are not cached' },
    );
  if (bad.length > 0)
    return new MxgenError('mismatch', `${bad.length} sweep points disagree with the golden model`, {
      hint: `first: ${bad[0]?.mix} macs=${bad[0]?.macs}; run it with mxgen run`,
    });
  return undefined;
}
