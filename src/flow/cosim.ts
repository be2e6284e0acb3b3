// `mxgen cosim <design>`: the native simulator and Verilator run the same seeded random vectors
// (one Verilator build, all vector sets in one process) and every output is compared every cycle.
// Exit 3 on a mismatch, with the first cycle, port, both values, the inputs and two VCDs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cosimDesigns,
  designStimulus,
  interfaceOf,
  mismatchError,
  resetStream,
  runNative,
  type CosimReport,
  wrapDesigns,
} from '../backends/index.js';
import { elaborate } from '../hdl/index.js';
import { compile, VcdWriter } from '../sim/index.js';
import { cosimComponent, type ComponentCosimReport } from './component-cosim.js';
import { choiceOption, intOption, probability } from './options.js';
import { resolveDesign, type ResolvedDesign } from './resolve.js';

export interface CosimCliOptions {
  set?: string[];
  cycles?: string;
  seed?: string;
  vectors?: string;
  reset?: string;
  vcdDir?: string;
  opt?: string;
  transactions?: string;
  stall?: string;
}

const OPTS = ['O0', 'O1', 'O2', 'O3'] as const;

/** `--opt`, with or without its leading dash. */
function optLevel(opts: CosimCliOptions): (typeof OPTS)[number] {
  return choiceOption('opt', opts.opt?.replace(/^-/, ''), OPTS, 'O2');
}

export type CosimResult =
  | { readonly source: 'component'; readonly report: ComponentCosimReport }
  | { readonly source: 'design'; readonly report: CosimReport; readonly name: string };

/**
 * `mxgen cosim` as a library call: a registered component runs random transactions against its
 * golden reference (native and Verilator); any other design runs native vs Verilator on seeded
 * random vectors. Throws the mismatch error (kind 'mismatch', with VCDs) on a difference.
 */
export async function cosim(spec: string, opts: CosimCliOptions = {}): Promise<CosimResult> {
  optLevel(opts);
  const design = await resolveDesign(spec, opts.set);
  if (design.source === 'component')
    return { source: 'component', report: await componentCosimCommand(design.component, opts) };
  const { report, name } = await designCosim(design, opts);
  if (report.mismatches.length > 0) throw mismatchError(report);
  return { source: 'design', report, name };
}

async function designCosim(
  design: ResolvedDesign,
  opts: CosimCliOptions,
): Promise<{ report: CosimReport; name: string }> {
  const cycles = intOption('cycles', opts.cycles, 1000, 1);
  const seed = intOption('seed', opts.seed, 1, 0);
  const vectors = intOption('vectors', opts.vectors, 4, 1);
  const resetCycles = intOption('reset', opts.reset, 2, 0);
  const opt = optLevel(opts);
  const netlist = elaborate(design.build());
  const vcdDir = opts.vcdDir ?? join('sim', 'cosim', design.name);
  const report = await cosimDesigns([{ name: design.name, netlist }], {
    native: compile,
    cycles,
    seed,
    vectors,
    resetCycles,
    vcdDir,
    build: { opt },
  });
  const m = report.mismatches[0];
  if (m) {
    // The native side again, now with the simulator's own VCD writer (every named signal).
    const sim = compile(netlist);
    const chunks: string[] = [];
    const vcd = new VcdWriter(sim, (c) => chunks.push(c));
    const layout = wrapDesigns([interfaceOf(netlist)]).designs[0];
    if (layout) {
      const total = resetCycles + cycles;
      const stim = designStimulus(design.name, layout, seed, m.vectorSet, total);
      runNative(sim, layout, stim, resetStream(seed, m.vectorSet, resetCycles, cycles, true));
    }
    vcd.close();
    const file = join(vcdDir, `${design.name}.native-signals.vcd`);
    writeFileSync(file, chunks.join(''));
    (m.vcds as string[]).push(file);
  }
  return { report, name: design.name };
}

/** A registered component: random transactions, native and Verilator against the reference. */
export function componentCosimCommand(
  c: Parameters<typeof cosimComponent>[0],
  opts: CosimCliOptions = {},
): Promise<ComponentCosimReport> {
  const p = probability('stall', opts.stall, 0.3);
  return cosimComponent(c, {
    transactions: intOption('transactions', opts.transactions, 1000, 1),
    seed: intOption('seed', opts.seed, 1, 0),
    idle: p,
    stall: p,
    verilator: true,
  });
}
