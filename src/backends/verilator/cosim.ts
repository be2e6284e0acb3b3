// Co-simulation: the native simulator and Verilator run the same seeded random stimulus and every
// output is compared every cycle. Many designs share one Verilator build (the wrapper runs them in
// lock step) and all vector sets run in one harness process. The native simulator is passed in
// (`opts.native`) because backends may not import src/sim; the CLI and the tests pass `compile`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitSv } from '../../emit/sv/index.js';
import { MxgenError, type MemImages, type Netlist } from '../../hdl/index.js';
import { mergeImages } from '../images.js';
import { buildVerilator, type VerilatorBuild, type VerilatorBuildOptions } from './build.js';
import { harnessSource } from './harness.js';
import { runHarness } from './run.js';
import { sampleVcd } from './sample-vcd.js';
import { Rng, randomRows } from './stimulus.js';
import { mergeSv } from './sv-merge.js';
import { interfaceOf, WRAPPER_TOP, wrapDesigns, type DesignLayout } from './wrapper.js';

/**
 * The part of the native simulator's API co-simulation uses (src/sim's `compile` result). For a
 * clocked design `poke('rst', 0 | 1)` sets the reset for the current cycle.
 */
export interface NativeModel {
  poke(port: string, value: bigint): void;
  peek(port: string): bigint;
  step(cycles?: number): void;
}

/** `compile` from src/sim fits: the images are the design's SRAM init images (maybe empty). */
export type NativeFactory = (nl: Netlist, opts: { readonly images: MemImages }) => NativeModel;

export interface CosimDesign {
  /** Label used in reports, seeds and VCD file names. */
  readonly name: string;
  readonly netlist: Netlist;
  /** The SystemVerilog of the netlist; default: emitSv(netlist) with default options. */
  readonly sv?: string;
  /**
   * SRAM init images keyed by `init` file name: loaded by the native simulator and written as
   * `.hex` files next to the Verilator run (designs of one batch must agree on shared names).
   */
  readonly images?: MemImages;
}

/** The SV text and SV top name of a design (emitted here unless given). */
function svOf(d: CosimDesign): { text: string; top: string } {
  if (d.sv !== undefined) return { text: d.sv, top: d.netlist.top };
  const out = emitSv(d.netlist);
  return { text: out.files.map((f) => f.text).join('\n'), top: out.top };
}

export interface CosimOptions {
  native: NativeFactory;
  /** Compared cycles per vector set, after reset (default 200). */
  cycles?: number;
  seed?: number;
  /** Independent random vector sets per design (default 1). */
  vectors?: number;
  /** Cycles of rst = 1 (random inputs) before the compared cycles (default 2). */
  resetCycles?: number;
  /** Also assert rst on random compared cycles, about one in 50 (default true). */
  midResets?: boolean;
  build?: VerilatorBuildOptions;
  /** When set, the first mismatch of each design writes `<name>.native.vcd` and `.verilator.vcd`. */
  vcdDir?: string;
}

export interface PortValue {
  readonly port: string;
  readonly value: bigint;
}

export interface CosimMismatch {
  readonly design: string;
  readonly vectorSet: number;
  readonly seed: number;
  /** Cycle index counted from the end of reset (0 = first compared cycle). */
  readonly cycle: number;
  readonly port: string;
  readonly width: number;
  readonly native: bigint;
  readonly verilator: bigint;
  /** Every input of the design at that cycle. */
  readonly inputs: readonly PortValue[];
  readonly vcds: readonly string[];
}

export interface CosimReport {
  readonly designs: number;
  readonly vectorSets: number;
  readonly cycles: number;
  /** Output values compared (ports x cycles x sets x designs). */
  readonly compared: number;
  /** The first mismatch of each design and vector set that had one. */
  readonly mismatches: readonly CosimMismatch[];
  readonly build: VerilatorBuild;
}

function hex(v: bigint, width: number): string {
  return `0x${v.toString(16).padStart(Math.ceil(width / 4), '0')}`;
}

/** The `mismatch` error for a report's first mismatch (style.md's format). */
export function mismatchError(report: CosimReport): MxgenError {
  const m = report.mismatches[0];
  if (!m)
    throw new MxgenError('internal', 'mismatchError needs a report with a mismatch', {
      hint: 'call mismatchError only when report.mismatches is not empty',
    });
  const notes = [
    `native sim ${hex(m.native, m.width)}   verilator ${hex(m.verilator, m.width)}`,
    `inputs: ${m.inputs.map((i) => `${i.port}=${hex(i.value, 1)}`).join(' ') || '(none)'}`,
    ...m.vcds.map((v) => `waveform: ${v}`),
  ];
  if (report.mismatches.length > 1)
    notes.push(`${report.mismatches.length - 1} more design/vector sets mismatched`);
  return new MxgenError(
    'mismatch',
    `${m.design}: cycle ${m.cycle} after reset, port ${m.port} (seed ${m.seed}, vector set ${m.vectorSet})`,
    {
      notes,
      hint: 'the native simulator and Verilator disagree: one of simulator, emitter or builder is wrong',
    },
  );
}

/** Random input rows of one design and vector set; independent of the batch it runs in. */
export function designStimulus(
  name: string,
  layout: DesignLayout,
  seed: number,
  set: number,
  cycles: number,
): bigint[][] {
  return randomRows(
    Rng.from(seed, name, set),
    layout.inputs.map((p) => p.width),
    cycles,
  );
}

/**
 * The shared rst column of a vector set: 1 for the first `resetCycles` cycles, then (with
 * `midResets`) 1 on about one cycle in 50, else 0. Shared by every design of a batch.
 */
export function resetStream(
  seed: number,
  set: number,
  resetCycles: number,
  cycles: number,
  midResets: boolean,
): bigint[] {
  const rng = Rng.from(seed, 'rst', set);
  return Array.from({ length: resetCycles + cycles }, (_, t) =>
    t < resetCycles || (midResets && rng.below(50) === 0) ? 1n : 0n,
  );
}

/** Builds one model for all `designs`, runs every vector set, compares with the native simulator. */
export async function cosimDesigns(
  designs: readonly CosimDesign[],
  opts: CosimOptions,
): Promise<CosimReport> {
  const cycles = opts.cycles ?? 200;
  const seed = opts.seed ?? 1;
  const sets = opts.vectors ?? 1;
  const resetCycles = opts.resetCycles ?? 2;
  const total = resetCycles + cycles;
  const svs = designs.map(svOf);
  const wrapper = wrapDesigns(designs.map((d, i) => interfaceOf(d.netlist, svs[i])));
  const build = await buildVerilator(
    {
      sv: mergeSv([...svs.map((x) => x.text), wrapper.sv]),
      top: WRAPPER_TOP,
      harness: harnessSource(wrapper.spec),
    },
    opts.build,
  );
  // stim[set][design] = that design's input rows, reset cycles included; rst[set] is shared.
  const rst = Array.from({ length: sets }, (_, s) =>
    resetStream(seed, s, resetCycles, cycles, opts.midResets ?? true),
  );
  const stim = Array.from({ length: sets }, (_, s) =>
    wrapper.designs.map((l, d) => designStimulus(designs[d]?.name ?? '', l, seed, s, total)),
  );
  const wrapperRows = stim.map((perDesign, s) =>
    Array.from({ length: total }, (_, t) => {
      const row = new Array<bigint>(wrapper.spec.inputs.length).fill(0n);
      if (wrapper.resetColumn !== null) row[wrapper.resetColumn] = rst[s]?.[t] ?? 0n;
      wrapper.designs.forEach((l, d) =>
        l.inputs.forEach((p, k) => (row[p.column] = perDesign[d]?.[t]?.[k] ?? 0n)),
      );
      return row;
    }),
  );
  const outs = await runHarness(build.exe, wrapper.spec, wrapperRows, {
    images: mergeImages(designs.map((d) => d.images)),
  });
  const mismatches: CosimMismatch[] = [];
  let compared = 0;
  designs.forEach((design, d) => {
    const layout = wrapper.designs[d] as DesignLayout;
    for (let s = 0; s < sets; s++) {
      const all = stim[s]?.[d] ?? [];
      const rstAll = rst[s] ?? [];
      const inputs = all.slice(resetCycles);
      const vl = (outs[s] ?? [])
        .slice(resetCycles)
        .map((r) => layout.outputs.map((p) => r[p.column] ?? 0n));
      const model = opts.native(design.netlist, { images: design.images ?? new Map() });
      const native = runNative(model, layout, all, rstAll).slice(resetCycles);
      compared += cycles * layout.outputs.length;
      const m = firstMismatch(layout.outputs, native, vl);
      if (m === null) continue;
      const vcds = opts.vcdDir
        ? writeVcds(opts.vcdDir, design.name, layout, inputs, native, vl)
        : [];
      mismatches.push({
        design: design.name,
        vectorSet: s,
        seed,
        cycle: m.cycle,
        port: m.port,
        width: m.width,
        native: m.native,
        verilator: m.verilator,
        inputs: [
          ...(layout.clocked ? [{ port: 'rst', value: rstAll[resetCycles + m.cycle] ?? 0n }] : []),
          ...layout.inputs.map((p, k) => ({ port: p.port, value: inputs[m.cycle]?.[k] ?? 0n })),
        ],
        vcds,
      });
    }
  });
  return { designs: designs.length, vectorSets: sets, cycles, compared, mismatches, build };
}

/** Native outputs per cycle under the contract: poke rst and inputs, peek outputs, step. */
export function runNative(
  model: NativeModel,
  layout: DesignLayout,
  inputs: readonly (readonly bigint[])[],
  rst: readonly bigint[],
): bigint[][] {
  return inputs.map((row, t) => {
    if (layout.clocked) model.poke('rst', rst[t] ?? 0n);
    layout.inputs.forEach((p, k) => model.poke(p.port, row[k] ?? 0n));
    const out = layout.outputs.map((p) => model.peek(p.port));
    model.step(1);
    return out;
  });
}

/**
 * The first (cycle, output port) where the two simulators' sampled outputs differ, scanning cycles
 * in order and, within a cycle, every output port in layout order. A cycle one side lacks (a short
 * output file) is a mismatch too, with -1 standing for the missing value.
 */
export function firstMismatch(
  outputs: readonly { readonly port: string; readonly width: number }[],
  native: readonly (readonly bigint[])[],
  vl: readonly (readonly bigint[])[],
): { cycle: number; port: string; width: number; native: bigint; verilator: bigint } | null {
  const cycles = Math.max(native.length, vl.length);
  for (let t = 0; t < cycles; t++) {
    for (let k = 0; k < outputs.length; k++) {
      const a = native[t]?.[k];
      const b = vl[t]?.[k];
      if (a !== b) {
        const p = outputs[k] as { port: string; width: number };
        return { cycle: t, port: p.port, width: p.width, native: a ?? -1n, verilator: b ?? -1n };
      }
    }
  }
  return null;
}

function writeVcds(
  dir: string,
  name: string,
  layout: DesignLayout,
  inputs: readonly (readonly bigint[])[],
  native: readonly (readonly bigint[])[],
  vl: readonly (readonly bigint[])[],
): string[] {
  mkdirSync(dir, { recursive: true });
  const signals = [...layout.inputs, ...layout.outputs].map((p) => ({
    name: p.port,
    width: p.width,
  }));
  const files: string[] = [];
  for (const [tag, rows] of [
    ['native', native],
    ['verilator', vl],
  ] as const) {
    const file = join(dir, `${name.replace(/[^\w.-]/g, '_')}.${tag}.vcd`);
    const merged = inputs.map((r, t) => [...r, ...(rows[t] ?? [])]);
    writeFileSync(file, sampleVcd(name, signals, merged));
    files.push(file);
  }
  return files;
}
