// Weights loaded through a design's weight-load port in tests: every SRAM word of one compile's
// images as one write per cycle (the stream driver's preamble), and a native run of another
// compile of the same RTL that starts from its own images and loads those first.
import type { Beat, Netlist } from '../../src/hdl/index.js';
import {
  cycleBudget,
  designVectors,
  streamInterface,
  type Compiled,
  type DesignVectors,
} from '../../src/ir/index.js';
import { compile, runStream, type Simulator, type StreamRunResult } from '../../src/sim/index.js';

/** Every SRAM word of `c`'s images, one weight-load write per cycle. */
export function loadPortWrites(c: Compiled): Beat[] {
  return c.memories.srams.flatMap((s) =>
    (c.memories.images.get(s.file)?.words ?? []).map((w, row) => ({
      wl_valid: 1n,
      wl_sel: BigInt(s.sel),
      wl_row: BigInt(row),
      wl_data: w,
    })),
  );
}

export interface LoadedRun {
  readonly sim: Simulator;
  readonly run: StreamRunResult;
  /** `to`'s golden vectors, the ones the run must reproduce. */
  readonly vectors: DesignVectors;
  readonly writes: number;
}

/**
 * `nl` (elaborated from `from`) started from `from`'s images, `to`'s weights written through the
 * load port (then `extra` writes), then `tensors` of `to`'s input tensors under seeded gaps and
 * stalls.
 */
export function runLoaded(
  nl: Netlist,
  from: Compiled,
  to: Compiled,
  o: {
    readonly tensors: number;
    readonly idle: number;
    readonly stall: number;
    readonly seed: number;
    readonly extra?: readonly Beat[];
  },
): LoadedRun {
  const writes = loadPortWrites(to);
  const vectors = designVectors(to.graph, o.tensors);
  const io = streamInterface(to.graph);
  const sim = compile(nl, { images: from.memories.images });
  const run = runStream(sim, vectors.inBeats, {
    inFields: io.inFields,
    outFields: io.outFields,
    expectedOutBeats: vectors.outBeats.length,
    idleProbability: o.idle,
    stallProbability: o.stall,
    seed: o.seed,
    maxCycles: cycleBudget(to.graph, vectors.inBeats.length, o.idle, o.stall),
    preamble: [...writes, ...(o.extra ?? [])],
  });
  return { sim, run, vectors, writes: writes.length };
}
