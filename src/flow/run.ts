// `mxgen run <design.yaml>`: the whole verified flow on a dataflow design (docs/ir.md): generate,
// simulate N random input tensors natively and in Verilator, compare both with the golden model,
// measure area with Yosys, and write rtl-out/<design>/ (SV, manifest.json, area.json, cosim.json,
// graph.json, report.html). Exit 3 when anything mismatches.
import { DEFAULT_CACHE_ROOT, type YosysChoice } from '../backends/index.js';
import { MxgenError } from '../hdl/index.js';
import { graphJson, memoryFiles, PASSES, type WeightsStorage } from '../ir/index.js';
import { type Estimate } from './estimate.js';
import { runFlow, type FlowResult } from './flow.js';
import { reportHtml } from './html.js';
import { choiceOption, intOption, positiveNumber } from './options.js';
import {
  buildManifest,
  checkOutputTarget,
  checkWritableFolder,
  mxgenVersion,
  type OutFile,
  writeDesignDir,
} from './output.js';
import { dataflowPath } from './resolve.js';

export interface RunOptions {
  out?: string;
  vectors?: string;
  verilator?: boolean;
  area?: boolean;
  yosys?: string;
  dumpAfter?: string;
  force?: boolean;
  limits?: boolean;
  seed?: string;
  weightsStorage?: string;
  clockMhz?: string;
}

/** `--seed` and `--weights-storage`, validated (shared by run and generate). */
export function designOverrides(o: { seed?: string; weightsStorage?: string }): {
  seed?: number;
  weightsStorage?: WeightsStorage;
} {
  const out: { seed?: number; weightsStorage?: WeightsStorage } = {};
  if (o.seed !== undefined) {
    const n = Number(o.seed);
    if (!/^\d+$/.test(o.seed) || !Number.isSafeInteger(n))
      throw new MxgenError('usage', `--seed must be a non-negative integer; got ${o.seed}`);
    out.seed = n;
  }
  if (o.weightsStorage !== undefined) {
    if (o.weightsStorage !== 'embedded' && o.weightsStorage !== 'memory')
      throw new MxgenError(
        'usage',
        `--weights-storage must be embedded or memory; got ${o.weightsStorage}`,
      );
    out.weightsStorage = o.weightsStorage;
  }
  return out;
}

/** At most this many tensors per run (the pre-flight limits bound the total work as well). */
export const MAX_VECTORS = 1_000_000;

const json = (x: unknown): string => `${JSON.stringify(x, null, 2)}\n`;

/** The files of a run's output folder (deterministic: no times, no absolute paths). */
export async function runFiles(r: FlowResult, dumps: readonly OutFile[]): Promise<OutFile[]> {
  const base = JSON.parse(buildManifest(r.graph.name, r.sv, mxgenVersion()).text) as Record<
    string,
    unknown
  >;
  const extra: OutFile[] = [
    ...memoryFiles(r.memories),
    { name: 'graph.json', text: graphJson(r.graph) },
    { name: 'cosim.json', text: json(r.cosim) },
    ...(r.area ? [{ name: 'area.json', text: json(r.area) }] : []),
    {
      name: 'report.html',
      text: await reportHtml({
        ...r,
        golden: r.vectors.golden,
        fp64: r.vectors.fp64,
        perOp: r.vectors.perOp,
      }),
    },
    ...dumps,
  ];
  const manifest = {
    ...base,
    files: [...r.sv.files.map((f) => f.name), ...extra.map((f) => f.name)],
    error: { relative: r.error.relative, maxAbs: r.error.maxAbs },
    // per op output: SQNR in dB (null when the output equals FP64 exactly), relative, max abs
    errorPerOp: r.vectors.perOp,
    throughput: r.throughput,
    memories: r.memories.srams,
  };
  return [...r.sv.files, ...extra, { name: 'manifest.json', text: json(manifest) }];
}

/** What a caller shows while a run goes on (the CLI: a progress bar and notes on stderr). */
export interface RunHooks {
  /** After the pre-flight estimate, before any work. */
  onEstimate?: (est: Estimate) => void;
  onNote?: (text: string) => void;
  onStep?: (step: string, index: number, count: number) => void;
}

export interface RunCommandResult {
  readonly result: FlowResult;
  /** The written output folder. */
  readonly dir: string;
  /** The design file run. */
  readonly path: string;
}

/**
 * `mxgen run` as a library call: validates the options, runs the flow, writes the output folder.
 * Throws the mismatch error (kind 'mismatch') after writing when anything disagrees.
 */
export async function runCommand(
  design: string,
  opts: RunOptions = {},
  hooks: RunHooks = {},
): Promise<RunCommandResult> {
  const path = dataflowPath(design, 'run');
  const tensors = intOption('vectors', opts.vectors, 20, 1, MAX_VECTORS);
  const tool = choiceOption('yosys', opts.yosys, ['auto', 'system', 'yowasp'], 'auto');
  const out = opts.out ?? 'rtl-out';
  const dumpAfter = opts.dumpAfter;
  if (dumpAfter !== undefined && dumpAfter !== 'all' && !PASSES.some((p) => p.name === dumpAfter))
    throw new MxgenError(
      'usage',
      `--dump-after must name a pass (${PASSES.map((p) => p.name).join(', ')}) or all; got ${dumpAfter}`,
    );
  const dumps: OutFile[] = [];
  const r = await runFlow(path, {
    tensors,
    ...designOverrides(opts),
    clockMHz: positiveNumber('--clock-mhz', opts.clockMhz, 500),
    verilator: opts.verilator !== false,
    area: opts.area !== false,
    yosys: tool as YosysChoice,
    limits: opts.limits !== false,
    preflight: (g, est) => {
      checkOutputTarget(out, g.name, opts.force === true);
      if (opts.verilator !== false || opts.area !== false)
        checkWritableFolder(
          DEFAULT_CACHE_ROOT,
          'build cache folder',
          'run mxgen from a writable working directory (the cache is sim/build)',
        );
      hooks.onEstimate?.(est);
    },
    ...(hooks.onNote ? { onNote: hooks.onNote } : {}),
    ...(hooks.onStep ? { onStep: hooks.onStep } : {}),
    dump: (p, text) => {
      if (dumpAfter === 'all' || dumpAfter === p) dumps.push({ name: `graph.${p}.json`, text });
    },
  });
  const dir = await writeDesignDir(out, r.graph.name, await runFiles(r, dumps), {
    force: opts.force === true,
  });
  return { result: r, dir, path };
}

/** The IR passes `--dump-after` can name. */
export const PASS_NAMES: readonly string[] = PASSES.map((p) => p.name);
