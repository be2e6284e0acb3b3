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
  /** Outputs every cycle of the replay: the rows, then any idle tail beside a longer recording. */
  readonly native: bigint[][];
  readonly verilator: bigint[][];
  readonly resetCycles: number;
  readonly build: VerilatorBuild;
}

/**
 * Native outputs of a recorded stimulus under the cycle contract (inputs, evaluation, outputs
 * sampled, edge): the recording's words run through `runWords`, every cycle's outputs kept.
 * `cycles` (at least the recording's) runs on past its end with every input 0 and `rst` 0, the
 * idle tail a design sees in a replay beside a longer recording.
 */
export function nativeOutputs(
  nl: Netlist,
  run: StreamRunResult,
  outputs: readonly string[],
  images?: MemImages,
  cycles?: number,
): bigint[][] {
  const sim = compile(nl, images ? { images, signals: false } : { signals: false });
  const outPorts = sim.ports.filter((p) => p.dir === 'out');
  const per = sim.wordCount('out');
  const inPer = 1 + sim.wordCount('in');
  const recorded = run.words.length / inPer;
  const n = Math.max(recorded, cycles ?? 0);
  const stimulus = n === recorded ? run.words : new Uint32Array(n * inPer);
  if (stimulus !== run.words) stimulus.set(run.words);
  const words = new Uint32Array(n * per);
  sim.runWords(stimulus, n, words, true);
  let at = 0;
  const where = new Map<string, { at: number; n: number }>();
  for (const p of outPorts) {
    const w = Math.ceil(p.width / 32);
    where.set(p.name, { at, n: w });
    at += w;
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
  for (let t = 0; t < n; t++)
    rows.push(
      cols.map(({ at: a, n: w }) => {
        const base = t * per + a;
        if (w === 1) return BigInt(words[base] ?? 0);
        let v = 0n;
        for (let j = w - 1; j >= 0; j--) v = (v << 32n) | BigInt(words[base + j] ?? 0);
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
 * in lock step; a shorter recording idles with its inputs and `rst` at 0 after its end, and that
 * idle tail is compared too). `opt` is the g++ level of the model: O1 by default; O0 builds a batch
 * of many designs several times faster, for replays of a few thousand cycles where the build is
 * most of the time (the e2e batches of every bundled design, the component sweeps).
 */
export async function replayDesigns(
  designs: readonly ReplayDesign[],
  opts: { readonly opt?: CxxOpt } = {},
): Promise<Replay[]> {
  const [set] = await replaySets(designs, [designs.map((d) => d.run)], opts);
  return (set ?? []).map((r) => {
    if (!r) throw internalError('replayDesigns: a design has no replay');
    return r;
  });
}

/** A design of a replay, without its recording (replaySets takes one per vector set). */
export type ReplayTarget = Omit<ReplayDesign, 'run'>;

/**
 * The one replay of recorded stimuli in Verilator: ONE build of `designs` (multi-design wrapper),
 * run on every vector set; `sets[s][d]` is design d's recording in set s (undefined: design d
 * idles in that set, and has no replay there). Each replay holds the design's own rows and its
 * outputs over the whole set (its recording, then the idle tail), native and Verilator.
 */
export async function replaySets(
  designs: readonly ReplayTarget[],
  sets: readonly (readonly (StreamRunResult | undefined)[])[],
  opts: { readonly opt?: CxxOpt } = {},
): Promise<(Replay | undefined)[][]> {
  const runs = sets.flatMap((s) => s.filter((r): r is StreamRunResult => r !== undefined));
  const resets = new Set(runs.map((r) => r.resetCycles));
  if (resets.size > 1)
    throw new MxgenError('usage', 'replayDesigns: recordings need equal reset cycles', {
      hint: 'record every design with the same number of reset cycles',
    });
  for (const s of sets)
    if (s.length > designs.length)
      throw new MxgenError(
        'usage',
        `replaySets: a vector set has ${s.length} recordings for ${designs.length} designs`,
        { hint: "sets[s][d] is design d's recording in set s" },
      );
  const texts = designs.map((d) => d.sv.files.map((f) => f.text).join('\n'));
  const wrapper = wrapDesigns(
    designs.map((d, i) => interfaceOf(d.netlist, { text: texts[i] ?? '', top: d.sv.top })),
  );
  const build = await buildVerilator(
    { sv: mergeSv([...texts, wrapper.sv]), top: WRAPPER_TOP, harness: harnessSource(wrapper.spec) },
    { opt: opts.opt ?? 'O1' },
  );
  const stimuli = sets.map((set) => {
    const len = Math.max(0, ...set.map((r) => r?.rows.length ?? 0));
    const rows = Array.from({ length: len }, () =>
      new Array<bigint>(wrapper.spec.inputs.length).fill(0n),
    );
    set.forEach((run, i) => {
      const layout = wrapper.designs[i];
      if (!run) return;
      if (!layout) throw internalError('replaySets: missing layout');
      const col = layout.inputs.map((p) => run.inputPorts.indexOf(p.port));
      const rstCol = run.inputPorts.indexOf('rst');
      run.rows.forEach((r, t) => {
        const row = rows[t] as bigint[];
        if (wrapper.resetColumn !== null && rstCol >= 0) row[wrapper.resetColumn] = r[rstCol] ?? 0n;
        layout.inputs.forEach((p, k) => (row[p.column] = r[col[k] ?? -1] ?? 0n));
      });
    });
    return rows;
  });
  const outs = await runHarness(build.exe, wrapper.spec, stimuli, {
    images: mergeImages(designs.map((d) => d.images)),
  });
  return sets.map((set, s) => {
    const len = stimuli[s]?.length ?? 0;
    return designs.map((d, i): Replay | undefined => {
      const run = set[i];
      const layout = wrapper.designs[i];
      if (!run) return undefined;
      if (!layout) throw internalError('replaySets: missing layout');
      const outputs = layout.outputs.map((p) => p.port);
      const verilator = (outs[s] ?? [])
        .slice(0, len)
        .map((r) => layout.outputs.map((p) => r[p.column] ?? 0n));
      return {
        outputs,
        inputPorts: run.inputPorts,
        rows: run.rows,
        native: nativeOutputs(d.netlist, run, outputs, d.images, len),
        verilator,
        resetCycles: run.resetCycles,
        build,
      };
    });
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
