// Drives a component's valid/ready streams (docs/streams.md) in the native simulator: offers the
// input beats with seeded random gaps, applies seeded random back-pressure on the output, and
// collects the output beats. It also records every input port's value per cycle, so the same
// stimulus can be replayed cycle for cycle in Verilator and compared on every output.
import { MxgenError } from '../hdl/index.js';
import type { Simulator } from './simulator.js';

export type StreamBeat = Readonly<Record<string, bigint>>;

export interface StreamRunOptions {
  /** Input field names (ports `in_<name>`) and output field names (ports `out_<name>`). */
  readonly inFields: readonly string[];
  readonly outFields: readonly string[];
  /** Number of output beats to wait for. */
  readonly expectedOutBeats: number;
  /** Probability that the producer idles in a cycle when it has a beat (default 0). */
  readonly idleProbability?: number;
  /** Probability that the consumer deasserts out_ready in a cycle (default 0). */
  readonly stallProbability?: number;
  readonly seed?: number;
  readonly resetCycles?: number;
  /** Give up after this many cycles (default: 64 + 8 × beats × (1 + stalls)). */
  readonly maxCycles?: number;
}

export interface StreamRunResult {
  readonly outBeats: StreamBeat[];
  /** Cycles run after reset. */
  readonly cycles: number;
  /** Input port names in port order, and their value at every cycle (reset cycles included). */
  readonly inputPorts: readonly string[];
  readonly rows: bigint[][];
  readonly resetCycles: number;
}

/** Small deterministic generator for stall decisions (independent of the stimulus generator). */
function stallRng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

export function runStream(
  sim: Simulator,
  inBeats: readonly StreamBeat[],
  opts: StreamRunOptions,
): StreamRunResult {
  const idle = opts.idleProbability ?? 0;
  const stall = opts.stallProbability ?? 0;
  const rand = stallRng(opts.seed ?? 1);
  const resetCycles = opts.resetCycles ?? 2;
  const maxCycles =
    opts.maxCycles ?? 64 + 8 * (inBeats.length + opts.expectedOutBeats) * (1 + Math.ceil(4 * (idle + stall)));
  // `rst` is not a port of the netlist; it is recorded first so a replay applies the same reset.
  const ports = sim.ports.filter((p) => p.dir === 'in').map((p) => p.name);
  const inputPorts = ports.includes('rst') ? ports : ['rst', ...ports];
  const rows: bigint[][] = [];
  const record = (): void => {
    rows.push(inputPorts.map((p) => (p === 'rst' ? BigInt(sim.resetting) : sim.peek(p))));
  };
  const drive = (valid: boolean, beat: StreamBeat | undefined, ready: boolean): void => {
    sim.poke('in_valid', valid ? 1n : 0n);
    for (const f of opts.inFields) sim.poke(`in_${f}`, beat?.[f] ?? 0n);
    sim.poke('out_ready', ready ? 1n : 0n);
  };

  drive(false, undefined, false);
  for (let i = 0; i < resetCycles; i++) {
    sim.poke('rst', 1n);
    record();
    sim.step(1);
  }
  sim.poke('rst', 0n);

  const outBeats: StreamBeat[] = [];
  let next = 0;
  let offering = false;
  let cycle = 0;
  while (outBeats.length < opts.expectedOutBeats) {
    if (cycle >= maxCycles)
      throw new MxgenError(
        'mismatch',
        `${sim.top}: only ${outBeats.length} of ${opts.expectedOutBeats} output beats after ${cycle} cycles (${next} of ${inBeats.length} input beats accepted)`,
        { hint: 'the design deadlocks or drops beats; inspect a VCD of this run' },
      );
    if (!offering && next < inBeats.length && !(idle > 0 && rand() < idle)) offering = true;
    const ready = !(stall > 0 && rand() < stall);
    drive(offering, offering ? inBeats[next] : undefined, ready);
    record();
    if (offering && sim.peek('in_ready') === 1n) {
      next++;
      offering = false;
    }
    if (ready && sim.peek('out_valid') === 1n) {
      const beat: Record<string, bigint> = {};
      for (const f of opts.outFields) beat[f] = sim.peek(`out_${f}`);
      outBeats.push(beat);
    }
    sim.step(1);
    cycle++;
  }
  return { outBeats, cycles: cycle, inputPorts, rows, resetCycles };
}
