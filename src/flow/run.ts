// `mxgen run <design.yaml>`: the whole verified flow on a dataflow design (docs/ir.md): generate,
// simulate N random input tensors natively and in Verilator, compare both with the golden model,
// measure area with Yosys, and write rtl-out/<design>/ (SV, manifest.json, area.json, cosim.json,
// graph.json, report.html). Exit 3 when anything mismatches.
import { DEFAULT_CACHE_ROOT, type YosysChoice } from '../backends/index.js';
import { MxgenError } from '../hdl/index.js';
import {
  designToGraph,
  graphJson,
  type Graph,
  importOnnx,
  memoryFiles,
  PASSES,
  readNpy,
  type WeightsStorage,
} from '../ir/index.js';
import { basename } from 'node:path';
import { readDesignObject, withWeightsFile } from './design-file.js';
import { type Estimate } from './estimate.js';
import { runFlow, type FlowResult } from './flow.js';
import { fmt, reportHtml } from './html.js';
import {
  checkTargets,
  dataFigures,
  dataSectionHtml,
  type DataFiles,
  outputFeatures,
  withInputs,
  withMix,
} from './real-data.js';
import { parseMix } from './sweep.js';
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
  /** Precision overrides `key=format,...` (weights, activations, input, a tensor or layer). */
  mix?: string;
  /** Real data (.npy): input rows, expected outputs, class labels. */
  inputs?: string;
  expect?: string;
  labels?: string;
  /** An .onnx model: the ONNX tensor to compute. */
  output?: string;
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
  /** The real-data figures' lines (import check, accuracy), when the run had real data. */
  readonly dataLines: readonly string[];
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
  const real = prepareRealData(design, opts, hooks);
  const path = real?.path ?? dataflowPath(design, 'run');
  const tensors = real?.tensors ?? intOption('vectors', opts.vectors, 20, 1, MAX_VECTORS);
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
    ...(real ? { graph: real.graph } : {}),
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
  const files = await runFiles(r, dumps);
  const figures = real ? realDataFiles(r, real, files) : undefined;
  const dir = await writeDesignDir(out, r.graph.name, figures?.files ?? files, {
    force: opts.force === true,
  });
  return { result: r, dir, path, dataLines: figures?.lines ?? [] };
}

interface RealData {
  readonly path: string;
  readonly graph: Graph;
  readonly tensors?: number;
  readonly data: DataFiles;
  readonly source?: string;
  readonly names?: Readonly<Record<string, string>>;
  readonly outFeatures: number;
}

/**
 * An .onnx model, --mix, or real data (--inputs/--expect/--labels): the design graph built here
 * (imported, mixed, the input rows in), every file checked before any work; undefined otherwise.
 */
function prepareRealData(design: string, opts: RunOptions, hooks: RunHooks): RealData | undefined {
  const onnx = /\.onnx$/i.test(design);
  if (!onnx && !opts.mix && !opts.inputs && !opts.expect && !opts.labels && !opts.output)
    return undefined;
  if (!onnx && opts.output)
    throw new MxgenError(
      'usage',
      '--output picks a tensor of an .onnx model; name the output in the design file instead',
    );
  const path = onnx ? design : dataflowPath(design, 'run');
  const imported = onnx
    ? importOnnx(design, opts.output ? { output: opts.output } : {})
    : undefined;
  let obj =
    imported?.design ?? (withWeightsFile(readDesignObject(path), path) as Record<string, unknown>);
  if (opts.mix) obj = withMix(obj, parseMix(opts.mix).mix);
  const data: DataFiles = {
    ...(opts.inputs ? { inputs: { file: opts.inputs, npy: readNpy(opts.inputs) } } : {}),
    ...(opts.expect ? { expect: { file: opts.expect, npy: readNpy(opts.expect) } } : {}),
    ...(opts.labels ? { labels: { file: opts.labels, npy: readNpy(opts.labels) } } : {}),
  };
  const withIn = withInputs(obj, path, data);
  const graph = designToGraph(withIn.design, path);
  const outFeatures = outputFeatures(graph);
  checkTargets(data, withIn.rows, outFeatures);
  for (const n of imported?.notes ?? []) hooks.onNote?.(n);
  return {
    path,
    graph,
    ...(withIn.tensors !== undefined ? { tensors: withIn.tensors } : {}),
    data,
    ...(imported
      ? { source: `${basename(design)} (output ${imported.output})`, names: imported.names }
      : {}),
    outFeatures,
  };
}

/** The run's files with the real-data figures: manifest fields, outputs.npy, the report section. */
function realDataFiles(
  r: FlowResult,
  real: RealData,
  files: OutFile[],
): { files: OutFile[]; lines: string[] } {
  const f = dataFigures(r.vectors.golden, r.vectors.fp64, real.outFeatures, real.data);
  const out = files.map((file) => {
    if (file.name === 'manifest.json') {
      const m = JSON.parse(file.text) as Record<string, unknown>;
      const extra = {
        ...(real.source ? { source: { model: real.source, tensors: real.names } } : {}),
        ...(f.importCheck ? { importCheck: f.importCheck } : {}),
        ...(f.accuracy ? { accuracy: f.accuracy } : {}),
        outputSqnrDb: f.outputSqnrDb,
      };
      return {
        name: file.name,
        text: json({
          ...m,
          ...extra,
          files: [...(m.files as string[]), ...(f.outputsNpy ? ['outputs.npy'] : [])],
        }),
      };
    }
    if (file.name === 'report.html')
      return {
        name: file.name,
        text: file.text.replace('</body>', `${dataSectionHtml(f, real.source)}</body>`),
      };
    return file;
  });
  if (f.outputsNpy) out.push({ name: 'outputs.npy', text: '', bytes: f.outputsNpy });
  const lines: string[] = [];
  if (f.importCheck)
    lines.push(
      `  import:     FP64 vs expected outputs ${fmt(f.importCheck.relativeError)} relative (L2), max abs ${fmt(f.importCheck.maxAbs)}`,
    );
  if (f.accuracy)
    lines.push(
      `  accuracy:   top-1 ${(100 * f.accuracy.fp64).toFixed(2)} % FP64, ${(100 * f.accuracy.quantized).toFixed(2)} % quantized (= hardware), ${f.accuracy.rows} rows`,
    );
  return { files: out, lines };
}

/** The IR passes `--dump-after` can name. */
export const PASS_NAMES: readonly string[] = PASSES.map((p) => p.name);
