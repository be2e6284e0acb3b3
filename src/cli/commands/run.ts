// `mxgen run <design.yaml>`: the whole verified flow on a dataflow design (docs/ir.md): generate,
// simulate N random input tensors natively and in Verilator, compare both with the golden model,
// measure area with Yosys, and write rtl-out/<design>/ (SV, manifest.json, area.json, cosim.json,
// graph.json, report.html). Exit 3 when anything mismatches.
import type { Command } from 'commander';
import { DEFAULT_CACHE_ROOT, type YosysChoice } from '../../backends/index.js';
import { MxgenError } from '../../hdl/index.js';
import { graphJson, memoryFiles, PASSES, type WeightsStorage } from '../../ir/index.js';
import { action, EXIT } from '../action.js';
import { choiceOption, intOption } from '../options.js';
import {
  buildManifest,
  checkOutputTarget,
  checkWritableFolder,
  mxgenVersion,
  type OutFile,
  writeDesignDir,
} from '../output.js';
import { describeEstimate, isLongRun } from '../report/estimate.js';
import { dataflowPath } from '../resolve.js';
import { basename } from 'node:path';
import { readFileSync } from 'node:fs';
import { designToGraph, type Graph } from '../../ir/index.js';
import { importOnnx } from '../../ir/index.js';
import { readNpy } from '../../ir/index.js';
import {
  checkTargets,
  dataFigures,
  dataSectionHtml,
  type DataFiles,
  outputFeatures,
  withInputs,
  withMix,
} from '../../flow/index.js';
import { parseDesignYaml, withWeightsFile } from '../design-file.js';
import { parseMix } from '../report/sweep.js';
import { mismatchError, runFlow, type FlowResult } from '../report/flow.js';
import { fmt, reportHtml } from '../report/html.js';
import { lineSteps, stepBar } from '../report/progress.js';

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
  mix?: string;
  inputs?: string;
  expect?: string;
  labels?: string;
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

function positiveNumber(what: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new MxgenError('usage', `${what} must be a positive number; got ${v}`);
  return n;
}

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

export function summaryLines(r: FlowResult, dir: string): string[] {
  const c = r.cosim;
  const lines = [
    `${r.graph.name}: ${c.tensors} tensors × ${c.tokensPerTensor} tokens, MAC budget ${r.graph.macs}`,
    `  native sim: ${c.native.beatsCompared} output beats vs golden, ${c.native.mismatches} mismatches (${c.cycles} cycles with stalls)`,
  ];
  if (c.verilator && c.nativeVsVerilator)
    lines.push(
      `  verilator:  ${c.verilator.beatsCompared} output beats vs golden, ${c.verilator.mismatches} mismatches; ${c.nativeVsVerilator.values} port values vs native, ${c.nativeVsVerilator.mismatches} mismatches`,
    );
  if (r.area)
    lines.push(
      `  area:       ${fmt(r.area.total.gateEquivalents, 6)} NAND2 GE logic, ${r.area.total.flipFlops} flip-flops; SRAM ${r.area.total.memoryBits} bits ≈ ${fmt(r.area.total.memoryGateEquivalents, 6)} GE (modelled) (${r.area.tool.detail})`,
    );
  const t = r.throughput;
  lines.push(
    `  throughput: ${fmt(t.cyclesPerToken, 6)} cycles/token (ideal ${fmt(t.idealCyclesPerToken, 6)}, utilization ${fmt(t.utilization, 3)}), ${fmt(t.tokensPerSecond, 4)} tokens/s at ${t.clockMHz} MHz; weights ${fmt(t.weightBits, 8)} bits, SRAM ${fmt(t.memoryBits, 8)} bits`,
  );
  lines.push(
    `  error:      ${fmt(r.error.relative)} relative (L2) vs FP64, max abs ${fmt(r.error.maxAbs)}`,
  );
  lines.push(
    `  SQNR (dB):  ${r.vectors.perOp.map((e) => `${e.node} ${Number.isFinite(e.sqnrDb) ? e.sqnrDb.toFixed(1) : 'exact'}`).join(', ')}`,
  );
  lines.push(`  wrote ${dir}/`);
  return lines;
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
function prepareRealData(design: string, opts: RunOptions): RealData | undefined {
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
  for (const n of imported?.notes ?? []) console.error(`mxgen run: ${n}`);
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

function readDesignObject(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new MxgenError(
      'io',
      `cannot read design file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return parseDesignYaml(text, path);
}

export function register(program: Command): void {
  program
    .command('run')
    .description(
      'generate, simulate (native + Verilator) against the golden model, measure area, report',
    )
    .argument(
      '<design>',
      'a dataflow design file (.yaml), a bundled design name (e.g. default) or an ONNX model (.onnx, imported on the fly; docs/onnx.md)',
    )
    .option('--out <dir>', 'output root; the design goes to <dir>/<design>/', 'rtl-out')
    .option(
      '--force',
      'replace <dir>/<design>/ even if mxgen did not write it (no .mxgen-output marker)',
    )
    .option(
      '--no-limits',
      'run even when the pre-flight estimate exceeds the size limits or the free memory',
    )
    .option('--vectors <n>', 'random input tensors to simulate', '20')
    .option('--no-verilator', 'skip the Verilator co-simulation')
    .option('--no-area', 'skip Yosys')
    .option('--yosys <tool>', 'auto, system or yowasp', 'auto')
    .option('--seed <n>', "overrides the design's seed: (weights, biases, inputs)")
    .option('--clock-mhz <f>', 'clock for the tokens/s figure of the throughput report', '500')
    .option(
      '--weights-storage <mode>',
      "overrides the design's weights_storage: for every layer (embedded or memory)",
    )
    .option(
      '--mix <key=format,...>',
      'precision overrides: weights, activations, input, or a tensor/layer name (as precision.tensors)',
    )
    .option('--inputs <x.npy>', 'real input rows (N × features, float); one token per row')
    .option(
      '--expect <y.npy>',
      'expected outputs for --inputs: importCheck.relativeError of the FP64 graph',
    )
    .option(
      '--labels <y.npy>',
      'class labels for --inputs: top-1 accuracy of FP64 and of the hardware',
    )
    .option(
      '--output <tensor>',
      'an .onnx model: the ONNX tensor to compute (default: its first output)',
    )
    .option(
      '--dump-after <pass>',
      `also write graph.<pass>.json after a pass (${PASSES.map((p) => p.name).join(', ')} or all)`,
    )
    .action(
      action(async (design: string, opts: RunOptions) => {
        const real = prepareRealData(design, opts);
        const path = real?.path ?? dataflowPath(design, 'run');
        const tensors = real?.tensors ?? intOption('vectors', opts.vectors, 20, 1, MAX_VECTORS);
        const tool = choiceOption('yosys', opts.yosys, ['auto', 'system', 'yowasp'], 'auto');
        const out = opts.out ?? 'rtl-out';
        const dumpAfter = opts.dumpAfter;
        if (
          dumpAfter !== undefined &&
          dumpAfter !== 'all' &&
          !PASSES.some((p) => p.name === dumpAfter)
        )
          throw new MxgenError(
            'usage',
            `--dump-after must name a pass (${PASSES.map((p) => p.name).join(', ')}) or all; got ${dumpAfter}`,
          );
        const dumps: OutFile[] = [];
        let bar = stepBar('mxgen run');
        let r: FlowResult;
        try {
          r = await runFlow(path, {
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
              if (isLongRun(est)) {
                console.error(`mxgen run: large design; ${describeEstimate(est)}`);
                if (!process.stderr.isTTY) bar = lineSteps('mxgen run');
              }
            },
            onNote: (text) => console.error(`mxgen run: ${text}`),
            onStep: (s, i, n) => bar.step(s, i, n),
            dump: (p, text) => {
              if (dumpAfter === 'all' || dumpAfter === p)
                dumps.push({ name: `graph.${p}.json`, text });
            },
          });
        } finally {
          bar.stop();
        }
        const files = await runFiles(r, dumps);
        const figures = real ? realDataFiles(r, real, files) : undefined;
        const dir = await writeDesignDir(out, r.graph.name, figures?.files ?? files, {
          force: opts.force === true,
        });
        for (const l of summaryLines(r, dir)) console.log(l);
        for (const l of figures?.lines ?? []) console.log(l);
        if (r.cosim.mismatches > 0) throw mismatchError(path, r);
        return EXIT.ok;
      }),
    );
}
