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
} from '../../flow/output.js';
import { describeEstimate, isLongRun } from '../../flow/estimate.js';
import { dataflowPath } from '../../flow/resolve.js';
import { mismatchError, runFlow, type FlowResult } from '../../flow/flow.js';
import { fmt, reportHtml } from '../../flow/html.js';
import { lineSteps, stepBar } from '../progress.js';

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

function positiveNumber(what: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new MxgenError('usage', `${what} must be a positive number; got ${v}`);
  return n;
}

const json = (x: unknown): string => `${JSON.stringify(x, null, 2)}\n`;

/** The files of a run's output folder (deterministic: no times, no absolute paths). */
export function runFiles(r: FlowResult, dumps: readonly OutFile[]): OutFile[] {
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
      text: reportHtml({
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

export function register(program: Command): void {
  program
    .command('run')
    .description(
      'generate, simulate (native + Verilator) against the golden model, measure area, report',
    )
    .argument(
      '<design>',
      'a dataflow design file (.yaml) or a bundled design name, e.g. templates/designs/default.yaml or default',
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
      '--dump-after <pass>',
      `also write graph.<pass>.json after a pass (${PASSES.map((p) => p.name).join(', ')} or all)`,
    )
    .action(
      action(async (design: string, opts: RunOptions) => {
        const path = dataflowPath(design, 'run');
        const tensors = intOption('vectors', opts.vectors, 20, 1, MAX_VECTORS);
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
        const dir = await writeDesignDir(out, r.graph.name, runFiles(r, dumps), {
          force: opts.force === true,
        });
        for (const l of summaryLines(r, dir)) console.log(l);
        if (r.cosim.mismatches > 0) throw mismatchError(path, r);
        return EXIT.ok;
      }),
    );
}
