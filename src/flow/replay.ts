// Replays the native simulator's recorded stimulus in Verilator (one cached build per design) and
// returns every output port's value at every cycle, plus the native simulator's values of the same
// cycles, so the two can be compared every cycle and both against the golden model.
import {
  buildVerilator,
  harnessSource,
  interfaceOf,
  mergeImages,
  mergeSv,
  runHarness,
  WRAPPER_TOP,
  wrapDesigns,
  type CxxOpt,
  type VerilatorBuild,
} from '../backends/index.js';
import type { SvOutput } from '../emit/sv/index.js';
import { packBeat, type MemImages, type Netlist, type PayloadField } from '../hdl/index.js';
import { compile, recordedBeats, type StreamRunResult } from '../sim/index.js';
import { internalError, MxgenError } from '../hdl/index.js';

export interface Replay {
  /** Output port names, in netlist order. */
  readonly outputs: readonly string[];
  /** Input port names (as recorded), and the rows that were applied (reset cycles included). */
  readonly inputPorts: readonly string[];
  readonly rows: readonly (readonly bigint[])[];
  readonly native: bigint[][];
  readonly verilator: bigint[][];
  readonly resetCycles: number;
  readonly build: VerilatorBuild;
}

/**
 * Native outputs of a recorded stimulus under the cycle contract (inputs, evaluation, outputs
 * sampled, edge): the recording's words run through `runWords`, every cycle's outputs kept.
 */
export function nativeOutputs(
  nl: Netlist,
  run: StreamRunResult,
  outputs: readonly string[],
  images?: MemImages,
): bigint[][] {
  const sim = compile(nl, images ? { images, signals: false } : { signals: false });
  const outPorts = sim.ports.filter((p) => p.dir === 'out');
  const per = sim.wordCount('out');
  const cycles = run.words.length / (1 + sim.wordCount('in'));
  const words = new Uint32Array(cycles * per);
  sim.runWords(run.words, cycles, words, true);
  let at = 0;
  const where = new Map<string, { at: number; n: number }>();
  for (const p of outPorts) {
    const n = Math.ceil(p.width / 32);
    where.set(p.name, { at, n });
    at += n;
  }
  const cols = outputs.map((p) => {
    const w = where.get(p);
    if (!w)
      throw new MxgenError('config', `nativeOutputs: ${nl.top} has no output ${p}`, {
        hint: 'the recording names an output port the netlist does not have',
      });
    return w;
  });
  const rows: bigint[][] = [];
  for (let t = 0; t < cycles; t++)
    rows.push(
      cols.map(({ at: a, n }) => {
        const base = t * per + a;
        if (n === 1) return BigInt(words[base] ?? 0);
        let v = 0n;
        for (let j = n - 1; j >= 0; j--) v = (v << 32n) | BigInt(words[base + j] ?? 0);
        return v;
      }),
    );
  return rows;
}

export interface ReplayDesign {
  readonly netlist: Netlist;
  readonly sv: SvOutput;
  readonly run: StreamRunResult;
  /** SRAM init images (native simulator and the Verilator run directory). */
  readonly images?: MemImages;
}

/** One design's replay (one cached Verilator build). */
export async function replayInVerilator(
  nl: Netlist,
  sv: SvOutput,
  run: StreamRunResult,
  images?: MemImages,
): Promise<Replay> {
  const [r] = await replayDesigns([{ netlist: nl, sv, run, ...(images ? { images } : {}) }]);
  if (!r) throw internalError('replayInVerilator: no result');
  return r;
}

/**
 * Replays several designs' recordings in one Verilator build (the wrapper runs them side by side
 * in lock step; a shorter recording idles with its inputs at 0 after its end, and only its own
 * cycles are compared). `opt` is the g++ level of the model: O1 by default; O0 builds a batch of
 * many designs several times faster, for replays of a few thousand cycles where the build is
 * most of the time (the e2e batches of every bundled design).
 */
export async function replayDesigns(
  designs: readonly ReplayDesign[],
  opts: { readonly opt?: CxxOpt } = {},
): Promise<Replay[]> {
  const texts = designs.map((d) => d.sv.files.map((f) => f.text).join('\n'));
  const wrapper = wrapDesigns(
    designs.map((d, i) => interfaceOf(d.netlist, { text: texts[i] ?? '', top: d.sv.top })),
  );
  const build = await buildVerilator(
    { sv: mergeSv([...texts, wrapper.sv]), top: WRAPPER_TOP, harness: harnessSource(wrapper.spec) },
    { opt: opts.opt ?? 'O1' },
  );
  const resets = new Set(designs.map((d) => d.run.resetCycles));
  if (resets.size > 1)
    throw new MxgenError('usage', 'replayDesigns: recordings need equal reset cycles', {
      hint: 'record every design with the same number of reset cycles',
    });
  const len = Math.max(...designs.map((d) => d.run.rows.length));
  const rows = Array.from({ length: len }, () =>
    new Array<bigint>(wrapper.spec.inputs.length).fill(0n),
  );
  designs.forEach((d, i) => {
    const layout = wrapper.designs[i];
    if (!layout) throw internalError('replayDesigns: missing layout');
    const col = layout.inputs.map((p) => d.run.inputPorts.indexOf(p.port));
    const rstCol = d.run.inputPorts.indexOf('rst');
    d.run.rows.forEach((r, t) => {
      const row = rows[t] as bigint[];
      if (wrapper.resetColumn !== null && rstCol >= 0) row[wrapper.resetColumn] = r[rstCol] ?? 0n;
      layout.inputs.forEach((p, k) => (row[p.column] = r[col[k] ?? -1] ?? 0n));
    });
  });
  const [outs] = await runHarness(build.exe, wrapper.spec, [rows], {
    images: mergeImages(designs.map((d) => d.images)),
  });
  return designs.map((d, i) => {
    const layout = wrapper.designs[i];
    if (!layout) throw internalError('replayDesigns: missing layout');
    const outputs = layout.outputs.map((p) => p.port);
    const verilator = (outs ?? [])
      .slice(0, d.run.rows.length)
      .map((r) => layout.outputs.map((p) => r[p.column] ?? 0n));
    return {
      outputs,
      inputPorts: d.run.inputPorts,
      rows: d.run.rows,
      native: nativeOutputs(d.netlist, d.run, outputs, d.images),
      verilator,
      resetCycles: d.run.resetCycles,
      build,
    };
  });
}

/** The transferred output beats of a replay's `values`, each packed by `fields` (packBeat). */
export function beatsOf(
  rep: Replay,
  values: readonly (readonly bigint[])[],
  fields: readonly PayloadField[],
): bigint[] {
  return recordedBeats(
    rep,
    values,
    fields.map((f) => f.name),
  ).beats.map((b) => packBeat(b, fields));
}

/** Cycles where any output differs between the native simulator and Verilator. */
export function cycleMismatches(rep: Replay): {
  compared: number;
  mismatches: number;
  first?: string;
} {
  let compared = 0;
  let mismatches = 0;
  let first: string | undefined;
  for (let t = rep.resetCycles; t < rep.native.length; t++)
    rep.outputs.forEach((p, k) => {
      compared++;
      const a = rep.native[t]?.[k];
      const b = rep.verilator[t]?.[k];
      if (a !== b) {
        mismatches++;
        first ??= `cycle ${t - rep.resetCycles} port ${p}: native 0x${a?.toString(16)} verilator 0x${b?.toString(16)}`;
      }
    });
  return first === undefined ? { compared, mismatches } : { compared, mismatches, first };
}
