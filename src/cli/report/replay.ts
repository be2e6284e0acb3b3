// Replays the native simulator's recorded stimulus in Verilator (one cached build per design) and
// returns every output port's value at every cycle, plus the native simulator's values of the same
// cycles, so the two can be compared every cycle and both against the golden model.
import {
  buildVerilator,
  harnessSource,
  interfaceOf,
  mergeSv,
  runHarness,
  WRAPPER_TOP,
  wrapDesigns,
  type VerilatorBuild,
} from '../../backends/index.js';
import type { SvOutput } from '../../emit/sv/index.js';
import type { Netlist } from '../../hdl/index.js';
import { compile, type StreamRunResult } from '../../sim/index.js';

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

/** Native outputs of a recorded stimulus under the cycle contract (poke, peek, step). */
export function nativeOutputs(
  nl: Netlist,
  run: StreamRunResult,
  outputs: readonly string[],
): bigint[][] {
  const sim = compile(nl);
  return run.rows.map((row) => {
    run.inputPorts.forEach((p, k) =>
      p === 'rst' ? sim.poke('rst', row[k] ?? 0n) : sim.poke(p, row[k] ?? 0n),
    );
    const o = outputs.map((p) => sim.peek(p));
    sim.step(1);
    return o;
  });
}

export async function replayInVerilator(
  nl: Netlist,
  sv: SvOutput,
  run: StreamRunResult,
): Promise<Replay> {
  const text = sv.files.map((f) => f.text).join('\n');
  const wrapper = wrapDesigns([interfaceOf(nl, { text, top: sv.top })]);
  const build = await buildVerilator(
    { sv: mergeSv([text, wrapper.sv]), top: WRAPPER_TOP, harness: harnessSource(wrapper.spec) },
    { opt: 'O1' },
  );
  const layout = wrapper.designs[0];
  if (!layout) throw new Error('replayInVerilator: no layout');
  const col = layout.inputs.map((p) => run.inputPorts.indexOf(p.port));
  const rstCol = run.inputPorts.indexOf('rst');
  const rows = run.rows.map((r) => {
    const row = new Array<bigint>(wrapper.spec.inputs.length).fill(0n);
    if (wrapper.resetColumn !== null) row[wrapper.resetColumn] = r[rstCol] ?? 0n;
    layout.inputs.forEach((p, k) => (row[p.column] = r[col[k] ?? -1] ?? 0n));
    return row;
  });
  const [outs] = await runHarness(build.exe, wrapper.spec, [rows]);
  const outputs = layout.outputs.map((p) => p.port);
  const verilator = (outs ?? []).map((r) => layout.outputs.map((p) => r[p.column] ?? 0n));
  return {
    outputs,
    inputPorts: run.inputPorts,
    rows: run.rows,
    native: nativeOutputs(nl, run, outputs),
    verilator,
    resetCycles: run.resetCycles,
    build,
  };
}

/** Output beats a simulator produced: the `out_y` of every cycle with out_valid && out_ready. */
export function beatsOf(rep: Replay, values: readonly (readonly bigint[])[]): bigint[] {
  const v = rep.outputs.indexOf('out_valid');
  const y = rep.outputs.indexOf('out_y');
  const r = rep.inputPorts.indexOf('out_ready');
  const beats: bigint[] = [];
  values.forEach((o, t) => {
    if (t < rep.resetCycles) return;
    if (o[v] === 1n && rep.rows[t]?.[r] === 1n) beats.push(o[y] ?? 0n);
  });
  return beats;
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
