// `mxgen search <model|design>` and `mxgen search-merge <shard>...` as library calls: the
// per-tensor precision search of search.ts; the hardware points run in the sweep worker pool with
// its cache; output rtl-out/<design>-search[-shard-i-of-n]/ (docs/onnx.md).
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { DEFAULT_CACHE_ROOT, selectYosys } from '../backends/index.js';
import { MxgenError } from '../hdl/index.js';
import { designToGraph, importOnnx, readNpy, splitWeights } from '../ir/index.js';
import { readDesignObject, withWeightsFile } from './design-file.js';
import { choiceOption, intOption } from './options.js';
import {
  checkOutputTarget,
  checkWritableFolder,
  mxgenVersion,
  type OutFile,
  writeDesignDir,
} from './output.js';
import { checkTargets, outputFeatures, withInputs } from './real-data.js';
import { dataflowPath } from './resolve.js';
import {
  betterThanBaseline,
  planSearch,
  searchCsv,
  searchPareto,
  searchSvg,
  type SearchRow,
} from './search.js';
import { applyMix } from './sweep-point.js';
import { parseShard, runSweep, type SweepRow } from './sweep.js';

export interface SearchOpts {
  formats?: string;
  baseline?: string;
  budget?: string;
  inputs?: string;
  labels?: string;
  output?: string;
  macs?: string;
  seed?: string;
  shard?: string;
  workers?: string;
  yosys?: string;
  out?: string;
  force?: boolean;
}

export interface SearchState {
  readonly name: string;
  readonly accuracy: boolean;
  readonly rows: readonly SweepRow[];
  readonly phases: readonly [number, string][];
  readonly summary: Record<string, unknown>;
  readonly design: Record<string, unknown>;
}

const json = (x: unknown): string => `${JSON.stringify(x, null, 2)}\n`;

/** The output folder's files: pareto.csv, pareto.svg, search.json, points.json, chosen designs. */
function searchFiles(s: SearchState): OutFile[] {
  const phases = new Map(s.phases);
  const front = [...searchPareto(s.rows, s.accuracy)].sort((a, b) => a - b);
  const cmp = betterThanBaseline(s.rows, s.accuracy);
  const chosen = s.rows.filter((r) => front.includes(r.index));
  const weights = splitWeights(s.design, 'weights.safetensors');
  const designs: OutFile[] = chosen.map((r) => {
    const mix = Object.fromEntries(r.mix.split(' ').map((kv) => kv.split('=') as [string, string]));
    const d = applyMix(weights.design, mix, r.macs) as Record<string, unknown>;
    return {
      name: `chosen-${r.index}.yaml`,
      text: `# mxgen search: Pareto point ${r.index} (${r.mix})\n${stringify({ ...d, design: `${String(d.design)}_p${r.index}` }, { lineWidth: 0 })}`,
    };
  });
  const summary = {
    ...s.summary,
    pointsEvaluated: s.rows.length,
    pareto: front,
    betterThanBaseline: cmp.baseline
      ? cmp.better.length > 0
        ? cmp.better.map((r) => r.index)
        : `none: no evaluated point has less logic and no more memory than the uniform baseline at equal or better ${s.accuracy ? 'accuracy' : 'error'}`
      : 'the baseline point is not in this shard or was rejected',
  };
  return [
    { name: 'pareto.csv', text: searchCsv(s.rows, s.accuracy, phases) },
    { name: 'pareto.svg', text: searchSvg(s.rows, s.accuracy) },
    { name: 'search.json', text: json(summary) },
    {
      name: 'points.json',
      text: json({
        name: s.name,
        accuracy: s.accuracy,
        phases: s.phases,
        rows: s.rows.map(({ cached: _c, ...r }) => r),
        summary: s.summary,
      }),
    },
    { name: 'design.json', text: `${JSON.stringify(s.design)}\n` },
    ...(designs.length > 0
      ? [{ name: 'weights.safetensors', text: '', bytes: weights.bytes }]
      : []),
    ...designs,
  ];
}

/** The lines `mxgen search` prints. */
export function summaryLines(s: SearchState, dir: string): string[] {
  const out: string[] = [];
  const cmp = betterThanBaseline(s.rows, s.accuracy);
  const q = (r: SearchRow): string =>
    s.accuracy
      ? `accuracy ${((r.accuracy ?? 0) * 100).toFixed(2)} %`
      : `error ${r.relativeError?.toPrecision(4)}`;
  out.push(`${s.name}: ${String(s.summary.strategy)}`);
  out.push(
    `  ${String(s.summary.goldenEvaluations)} golden-model evaluations, ${s.rows.length} hardware points (${s.rows.filter((r) => r.cached).length} cached), Pareto front ${searchPareto(s.rows, s.accuracy).size}`,
  );
  if (cmp.baseline) {
    out.push(
      `  baseline ${cmp.baseline.mix}: ${q(cmp.baseline)}, ${cmp.baseline.areaGE} GE, ${cmp.baseline.memoryBits} memory bits`,
    );
    const best = [...cmp.better].sort((a, b) => (a.areaGE ?? 0) - (b.areaGE ?? 0))[0];
    out.push(
      best
        ? `  smaller than the baseline at equal or better quality: ${cmp.better.length} points; smallest ${best.mix}: ${q(best)}, ${best.areaGE} GE, ${best.memoryBits} memory bits`
        : `  no point is smaller than the baseline at equal or better quality`,
    );
  }
  out.push(`  wrote ${dir}/`);
  return out;
}

async function write(out: string, name: string, s: SearchState, force: boolean): Promise<string> {
  return writeDesignDir(out, name, searchFiles(s), { force });
}

export interface SearchHooks {
  onNote?: (text: string) => void;
}

export interface SearchResult {
  readonly state: SearchState;
  readonly dir: string;
  /** The summary `mxgen search` prints. */
  readonly lines: readonly string[];
  /** Set when a point disagrees with the golden model (the folder is written first). */
  readonly mismatch?: MxgenError;
}

/** `mxgen search`: plans, evaluates and writes the search folder. */
export async function searchCommand(
  spec: string,
  opts: SearchOpts,
  hooks: SearchHooks = {},
): Promise<SearchResult> {
  const onnx = /\.onnx$/i.test(spec);
  const file = onnx ? spec : dataflowPath(spec, 'search');
  let design: Record<string, unknown>;
  if (onnx) design = importOnnx(spec, opts.output ? { output: opts.output } : {}).design;
  else design = withWeightsFile(readDesignObject(file), file) as Record<string, unknown>;
  if (opts.seed !== undefined)
    design = { ...design, seed: intOption('seed', opts.seed, 1, 0, 2 ** 31) };
  if (opts.macs !== undefined)
    design = { ...design, macs: intOption('macs', opts.macs, 64, 1, 1 << 20) };
  const formats = (opts.formats ?? 'int8,int4')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  const baseline = opts.baseline ?? 'int8';
  const budget = Number(opts.budget ?? '0.01');
  if (!Number.isFinite(budget) || budget < 0)
    throw new MxgenError('usage', `--budget must be a non-negative number; got ${opts.budget}`);
  const data = {
    ...(opts.inputs ? { inputs: { file: opts.inputs, npy: readNpy(opts.inputs) } } : {}),
    ...(opts.labels ? { labels: { file: opts.labels, npy: readNpy(opts.labels) } } : {}),
  };
  const withIn = withInputs(design, file, data);
  design = withIn.design;
  const g = designToGraph(design, file);
  checkTargets(data, withIn.rows, outputFeatures(g));
  for (const f of formats)
    designToGraph({ ...design, precision: { weights: f, activations: f } }, `--formats ${f}`);
  const labels = data.labels ? Array.from(data.labels.npy.data) : undefined;
  const tensors = withIn.tensors ?? 4;
  const shard = parseShard(opts.shard);
  const workers = intOption('workers', opts.workers, Math.max(1, availableParallelism()), 1, 256);
  const tool = choiceOption('yosys', opts.yosys, ['auto', 'system', 'yowasp'], 'auto');
  const out = opts.out ?? 'rtl-out';
  const outName = `${g.name}-search${shard.count > 1 ? `-shard-${shard.index}-of-${shard.count}` : ''}`;
  checkOutputTarget(out, outName, opts.force === true);
  checkWritableFolder(
    DEFAULT_CACHE_ROOT,
    'build cache folder',
    'run mxgen from a writable working directory',
  );
  const plan = planSearch({
    design,
    file,
    formats,
    baseline,
    budget,
    tensors,
    ...(labels ? { labels } : {}),
  });
  const points = plan.candidates
    .map((c, index) => ({
      mix: { label: c.label, mix: c.mix },
      macs: Number(design.macs ?? 64),
      index,
    }))
    .filter((p) => p.index % shard.count === shard.index);
  const yosys = (await selectYosys({ tool, onNote: (t) => hooks.onNote?.(t) })).info;
  hooks.onNote?.(
    `${points.length} hardware points${shard.count > 1 ? ` (shard ${shard.index}/${shard.count} of ${plan.candidates.length})` : ''}`,
  );
  const rows = await runSweep({
    design,
    file,
    points,
    tensors,
    area: true,
    yosys: { kind: yosys.kind, detail: yosys.detail },
    workers,
    version: mxgenVersion(),
    ...(labels ? { labels } : {}),
  });
  const state: SearchState = {
    name: g.name,
    accuracy: labels !== undefined,
    rows,
    phases: plan.candidates.map((c, i) => [i, c.phase] as [number, string]),
    design,
    summary: {
      strategy: `sensitivity-ordered greedy then local moves: ${plan.keys.length} tensors × formats ${formats.join(', ')}, baseline uniform ${baseline}, budget ${labels ? `accuracy ≥ FP64 − ${budget}` : `relative error ≤ ${budget}`}`,
      keys: plan.keys,
      goldenEvaluations: plan.evaluations,
      greedySteps: plan.greedySteps,
      candidates: plan.candidates.length,
      ...(plan.fp64Accuracy !== undefined ? { fp64Accuracy: plan.fp64Accuracy } : {}),
      shard: `${shard.index}/${shard.count}`,
    },
  };
  const dir = await write(out, outName, state, opts.force === true);
  const bad = rows.filter((r) => (r.mismatches ?? 0) > 0);
  const mismatch =
    bad.length > 0
      ? new MxgenError('mismatch', `${bad.length} search points disagree with the golden model`, {
          hint: `first: ${bad[0]?.mix}; run it with mxgen run --mix`,
        })
      : undefined;
  return { state, dir, lines: summaryLines(state, dir), ...(mismatch ? { mismatch } : {}) };
}

/** `mxgen search-merge`: one front from the shards' folders. */
export async function searchMergeCommand(
  dirs: readonly string[],
  opts: { out?: string; force?: boolean },
): Promise<SearchResult> {
  const parts = dirs.map((d) => {
    try {
      return JSON.parse(readFileSync(join(d, 'points.json'), 'utf8')) as {
        name: string;
        accuracy: boolean;
        phases: [number, string][];
        rows: SweepRow[];
        summary: Record<string, unknown>;
      };
    } catch (e) {
      throw new MxgenError(
        'io',
        `${d}: not an mxgen search shard folder (points.json: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
  });
  const first = parts[0];
  if (!first) throw new MxgenError('usage', 'search-merge needs at least one shard folder');
  const rows = parts.flatMap((p) => p.rows.map((r) => ({ ...r, cached: false })));
  const seen = new Set(rows.map((r) => r.index));
  if (seen.size !== rows.length)
    throw new MxgenError('usage', 'search-merge: two shards hold the same point');
  const missing = first.phases.filter(([i]) => !seen.has(i));
  if (missing.length > 0)
    throw new MxgenError(
      'usage',
      `search-merge: ${missing.length} points are in no shard given (first: ${missing[0]?.[0]}); pass every shard folder`,
    );
  rows.sort((a, b) => a.index - b.index);
  const state: SearchState = {
    name: first.name,
    accuracy: first.accuracy,
    rows,
    phases: first.phases,
    summary: { ...first.summary, shard: '0/1' },
    design: designOf(dirs),
  };
  const dir = await write(
    opts.out ?? 'rtl-out',
    `${first.name}-search`,
    state,
    opts.force === true,
  );
  return { state, dir, lines: summaryLines(state, dir) };
}

/** The searched design, from a shard's chosen design and weights (any shard holding one). */
function designOf(dirs: readonly string[]): Record<string, unknown> {
  for (const d of dirs) {
    try {
      const text = readFileSync(join(d, 'design.json'), 'utf8');
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      continue;
    }
  }
  throw new MxgenError('io', 'search-merge: no shard folder holds design.json');
}
