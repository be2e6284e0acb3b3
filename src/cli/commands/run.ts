// `mxgen run <design.yaml>`: the whole verified flow on a dataflow design (docs/ir.md): generate,
// simulate N random input tensors natively and in Verilator, compare both with the golden model,
// measure area with Yosys, and write rtl-out/<design>/ (SV, manifest.json, area.json, cosim.json,
// graph.json, report.html). Exit 3 when anything mismatches.
import type { Command } from 'commander';
import * as flow from '../../flow/index.js';
import { action, EXIT } from '../action.js';
import { lineSteps, stepBar } from '../progress.js';

/** The lines `mxgen run` prints after a run. */
export function summaryLines(r: flow.FlowResult, dir: string): string[] {
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
      `  area:       ${flow.fmt(r.area.total.gateEquivalents, 6)} NAND2 GE logic, ${r.area.total.flipFlops} flip-flops; SRAM ${r.area.total.memoryBits} bits ≈ ${flow.fmt(r.area.total.memoryGateEquivalents, 6)} GE (modelled) (${r.area.tool.detail})`,
    );
  const t = r.throughput;
  lines.push(
    `  throughput: ${flow.fmt(t.cyclesPerToken, 6)} cycles/token (ideal ${flow.fmt(t.idealCyclesPerToken, 6)}, utilization ${flow.fmt(t.utilization, 3)}), ${flow.fmt(t.tokensPerSecond, 4)} tokens/s at ${t.clockMHz} MHz; weights ${flow.fmt(t.weightBits, 8)} bits, SRAM ${flow.fmt(t.memoryBits, 8)} bits${t.bufferBits > 0 ? ` + token buffers ${flow.fmt(t.bufferBits, 8)} bits` : ''}`,
  );
  lines.push(
    `  error:      ${flow.fmt(r.error.relative)} relative (L2) vs FP64, max abs ${flow.fmt(r.error.maxAbs)}`,
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
    .option(
      '--inputs <x.npy>',
      'real input rows (N × features, float); one token per row, a tensor = tokens consecutive rows (an imported attention: one sequence)',
    )
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
      `also write graph.<pass>.json after a pass (${flow.PASS_NAMES.join(', ')} or all)`,
    )
    .action(
      action(async (design: string, opts: flow.RunOptions) => {
        let bar = stepBar('mxgen run');
        let run: flow.RunCommandResult;
        try {
          run = await flow.runCommand(design, opts, {
            onEstimate: (est) => {
              if (flow.isLongRun(est)) {
                console.error(`mxgen run: large design; ${flow.describeEstimate(est)}`);
                if (!process.stderr.isTTY) bar = lineSteps('mxgen run');
              }
            },
            onNote: (text) => console.error(`mxgen run: ${text}`),
            onStep: (s, i, n) => bar.step(s, i, n),
          });
        } finally {
          bar.stop();
        }
        const r = run.result;
        for (const l of summaryLines(r, run.dir)) console.log(l);
        for (const l of run.dataLines) console.log(l);
        if (r.cosim.mismatches > 0) throw flow.runMismatchError(run.path, r);
        return EXIT.ok;
      }),
    );
}
