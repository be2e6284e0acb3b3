// `mxgen cosim <design>`: the native simulator and Verilator run the same seeded random vectors
// (one Verilator build, all vector sets in one process) and every output is compared every cycle.
// Exit 3 on a mismatch, with the first cycle, port, both values, the inputs and two VCDs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  cosimDesigns,
  designStimulus,
  interfaceOf,
  mismatchError,
  resetStream,
  runNative,
  type CosimReport,
  wrapDesigns,
} from '../../backends/index.js';
import { didYouMean, elaborate, MxgenError } from '../../hdl/index.js';
import { compile, VcdWriter } from '../../sim/index.js';
import { action, EXIT } from '../action.js';
import { cosimComponent, type ComponentCosimReport } from '../../flow/component-cosim.js';
import { resolveDesign } from '../../flow/resolve.js';
import { collect, DESIGN_ARG, SET_HELP } from '../options.js';

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

function intOption(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(v) || v < min)
    throw new MxgenError('usage', `--${name} must be an integer >= ${min}; got ${text}`);
  return v;
}

const OPTS = ['O0', 'O1', 'O2', 'O3'] as const;

export async function cosimCommand(
  spec: string,
  opts: CosimCliOptions = {},
): Promise<{ report: CosimReport; name: string }> {
  const cycles = intOption('cycles', opts.cycles, 1000, 1);
  const seed = intOption('seed', opts.seed, 1, 0);
  const vectors = intOption('vectors', opts.vectors, 4, 1);
  const resetCycles = intOption('reset', opts.reset, 2, 0);
  const opt = (opts.opt ?? 'O2').replace(/^-/, '');
  if (!(OPTS as readonly string[]).includes(opt))
    throw new MxgenError('usage', `--opt must be one of ${OPTS.join(', ')}; got ${opts.opt}`);
  const design = await resolveDesign(spec, opts.set);
  const netlist = elaborate(design.build());
  const vcdDir = opts.vcdDir ?? join('sim', 'cosim', design.name);
  const report = await cosimDesigns([{ name: design.name, netlist }], {
    native: compile,
    cycles,
    seed,
    vectors,
    resetCycles,
    vcdDir,
    build: { opt: opt as (typeof OPTS)[number] },
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

export function register(program: Command): void {
  program
    .command('cosim')
    .description('co-simulate a design: native simulator vs Verilator on seeded random vectors')
    .argument('<design>', DESIGN_ARG)
    .option('--set <key=value>', SET_HELP, collect)
    .option('--cycles <n>', 'compared cycles per vector set, after reset', '1000')
    .option('--seed <s>', 'seed of the random vectors', '1')
    .option('--vectors <n>', 'independent random vector sets (one Verilator process runs all)', '4')
    .option('--reset <n>', 'reset cycles before the compared cycles', '2')
    .option('--opt <level>', 'g++ optimization of the Verilator model: O0, O1, O2 or O3', 'O2')
    .option('--vcd-dir <dir>', 'where mismatch waveforms go (default sim/cosim/<design>)')
    .option(
      '--transactions <n>',
      'components: random input beats checked against the golden reference model',
      '1000',
    )
    .option(
      '--stall <p>',
      'components: probability of an input gap / output stall per cycle',
      '0.3',
    )
    .action(
      action(async (spec: string, opts: CosimCliOptions) => {
        const opt = (opts.opt ?? 'O2').replace(/^-/, '');
        if (!(OPTS as readonly string[]).includes(opt))
          throw new MxgenError(
            'usage',
            `--opt must be one of ${OPTS.join(', ')}; got ${JSON.stringify(opts.opt)}${didYouMean(opt, OPTS)}`,
          );
        const design = await resolveDesign(spec, opts.set);
        if (design.source === 'component') {
          const r = await componentCosimCommand(design.component, opts);
          console.log(
            `cosim ${r.design}: ${r.inBeats} input beats, native ${r.nativeMatched}/${r.expected}, ` +
              `verilator ${r.verilatorMatched}/${r.expected} output beats bit-exact vs golden; ` +
              `${r.valuesCompared} output values equal native vs Verilator over ${r.cycles} cycles`,
          );
          return EXIT.ok;
        }
        const { report, name } = await cosimCommand(spec, opts);
        if (report.mismatches.length > 0) throw mismatchError(report);
        const b = report.build;
        console.log(
          `cosim ${name}: ${report.vectorSets} vector sets x ${report.cycles} cycles, ` +
            `${report.compared} output values equal (Verilator build ${b.hit ? 'cached' : `${b.seconds.toFixed(1)} s`})`,
        );
        return EXIT.ok;
      }),
    );
}

function probability(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!/^(0|1|0?\.\d+)$/.test(text) || !(v >= 0 && v < 1))
    throw new MxgenError('usage', `--${name} must be a probability in [0, 1); got ${text}`);
  return v;
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
