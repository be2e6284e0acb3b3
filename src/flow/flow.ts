// `mxgen run`: design file → passes → SV → native simulation of N random input tensors (with
// seeded gaps and stalls, recorded) → Verilator replay of the same stimulus → both compared with
// the golden model of the graph (and with each other every cycle) → Yosys area → output folder.
import { synthArea, type AreaReport, type YosysChoice } from '../backends/index.js';
import { emitSv, type SvOutput } from '../emit/sv/index.js';
import { elaborate, MxgenError, type Netlist, packBeat } from '../hdl/index.js';
import {
  outPayload,
  type StreamInterface,
  compileGraph,
  type Compiled,
  cycleBudget,
  designVectors,
  formatLabel,
  type Graph,
  pipelineUnits,
  relativeError,
  streamInterface,
  type DesignVectors,
  type DesignMemories,
  type WeightsStorage,
  withOverrides,
} from '../ir/index.js';
import { compile, runStream, type Simulator, type StreamRunResult } from '../sim/index.js';
import { readDesignFile } from './design-file.js';
import { checkLimits, estimateDesign, type Estimate } from './estimate.js';
import { beatsOf, cycleMismatches, type Replay, replayInVerilator } from './replay.js';
import { measureThroughput, type Throughput } from './throughput.js';

export interface FlowOptions {
  /** The design graph, when it does not come from a design file at `path` (ONNX import). */
  readonly graph?: Graph;
  readonly tensors?: number;
  /** Overrides the design's `seed:` (weights, biases, inputs, calibration). */
  readonly seed?: number;
  /** Overrides the design's `weights_storage:` for every layer. */
  readonly weightsStorage?: WeightsStorage;
  /** Clock for tokens/s in the throughput report (MHz, default 500). */
  readonly clockMHz?: number;
  readonly verilator?: boolean;
  readonly area?: boolean;
  readonly yosys?: YosysChoice;
  readonly dump?: (pass: string, json: string) => void;
  /** false: skip the pre-flight limits (`--no-limits`); the estimate is still made. */
  readonly limits?: boolean;
  /** Called with the validated design and its estimate before any work (output checks, notes). */
  readonly preflight?: (g: Graph, e: Estimate) => void;
  /** Notes for the user (e.g. which Yosys `auto` chose when it fell back). */
  readonly onNote?: (text: string) => void;
  /** Called when a step starts (progress bar). */
  readonly onStep?: (step: string, index: number, total: number) => void;
}

export interface SimCheck {
  readonly beatsCompared: number;
  readonly mismatches: number;
  readonly firstMismatch?: string;
}

export interface CosimSummary {
  readonly tensors: number;
  readonly tokensPerTensor: number;
  readonly vectorsCompared: { readonly native: number; readonly verilator: number };
  readonly native: SimCheck;
  readonly verilator: SimCheck | null;
  readonly nativeVsVerilator: {
    readonly cycles: number;
    readonly values: number;
    readonly mismatches: number;
    readonly first?: string;
  } | null;
  readonly cycles: number;
  /** Total mismatches: both simulators against golden, and against each other. */
  readonly mismatches: number;
}

export interface FlowResult {
  readonly graph: Graph;
  readonly memories: DesignMemories;
  readonly throughput: Throughput;
  readonly sv: SvOutput;
  readonly vectors: DesignVectors;
  readonly cosim: CosimSummary;
  readonly area: AreaReport | null;
  readonly error: { readonly relative: number; readonly maxAbs: number };
}

export const FLOW_STEPS = ['compile', 'native simulation', 'verilator', 'yosys area'] as const;

function check(got: readonly bigint[], want: readonly { y: bigint }[]): SimCheck {
  let mismatches = Math.abs(got.length - want.length);
  let first: string | undefined;
  want.forEach((w, i) => {
    if (got[i] !== w.y) {
      if (i < got.length) mismatches++;
      first ??= `beat ${i}: got 0x${got[i]?.toString(16) ?? '(none)'}, golden 0x${w.y.toString(16)}`;
    }
  });
  // An extra beat (the design produced more than the golden model) is named too.
  if (got.length > want.length)
    first ??= `beat ${want.length}: got 0x${got[want.length]?.toString(16) ?? ''}, golden (none)`;
  return first === undefined
    ? { beatsCompared: want.length, mismatches }
    : { beatsCompared: want.length, mismatches, firstMismatch: first };
}

export interface NativeRun {
  readonly graph: Graph;
  readonly memories: DesignMemories;
  readonly netlist: Netlist;
  readonly sv: SvOutput;
  readonly vectors: DesignVectors;
  readonly run: StreamRunResult;
  readonly native: SimCheck;
  /** The compiled model (after the run); `measureThroughput` reuses it (one codegen per run). */
  readonly sim: Simulator;
}

/** The unit handshakes `measureThroughput` peeks (`u<i>_<name>.in|in_a|out_valid|ready`). */
const UNIT_HANDSHAKE = /^u\d+_[^.]*\.(?:in|in_a|out)_(?:valid|ready)$/;

/** Compiles, emits and simulates a graph natively on `tensors` random input tensors (recorded). */
export function simulateNative(
  compiled: Compiled,
  tensors: number,
  idle = 0.1,
  stall = 0.1,
): NativeRun {
  const g = compiled.graph;
  const netlist = elaborate(compiled.top);
  const sv = emitSv(netlist);
  const vectors = designVectors(g, tensors);
  const io = streamInterface(g);
  // Ports and registers only (faster), plus the unit handshakes for the throughput measurement.
  const sim = compile(netlist, {
    images: compiled.memories.images,
    signals: (name) => UNIT_HANDSHAKE.test(name),
  });
  const run = runStream(sim, vectors.inBeats, {
    inFields: io.inFields,
    outFields: io.outFields,
    expectedOutBeats: vectors.outBeats.length,
    idleProbability: idle,
    stallProbability: stall,
    seed: g.seed,
    maxCycles: cycleBudget(g, vectors.inBeats.length, idle, stall),
    sources: compiled.memories.streams,
  });
  const native = check(
    run.outBeats.map((b) => packBeat(b, outPayload(io))),
    vectors.outBeats.map((b) => ({ y: packBeat(b, outPayload(io)) })),
  );
  return { graph: g, memories: compiled.memories, netlist, sv, vectors, run, native, sim };
}

/** Golden vs Verilator beats, and native vs Verilator every cycle, of one replay. */
export function verilatorChecks(
  rep: Replay,
  vectors: DesignVectors,
  io: StreamInterface,
): { verilator: SimCheck; nativeVsVerilator: NonNullable<CosimSummary['nativeVsVerilator']> } {
  const verilator = check(
    beatsOf(rep, rep.verilator, outPayload(io)),
    vectors.outBeats.map((b) => ({ y: packBeat(b, outPayload(io)) })),
  );
  const cm = cycleMismatches(rep);
  return {
    verilator,
    nativeVsVerilator: {
      cycles: rep.native.length - rep.resetCycles,
      values: cm.compared,
      mismatches: cm.mismatches,
      ...(cm.first ? { first: cm.first } : {}),
    },
  };
}

export async function runFlow(path: string, opts: FlowOptions = {}): Promise<FlowResult> {
  const steps = FLOW_STEPS.length;
  const tensors = opts.tensors ?? 20;
  const parsed = withOverrides(opts.graph ?? readDesignFile(path), opts);
  const est = estimateDesign(parsed, tensors);
  if (opts.limits !== false) checkLimits(est, path);
  opts.preflight?.(parsed, est);
  opts.onStep?.('compile', 0, steps);
  const compiled = compileGraph(parsed, opts.dump);
  opts.onStep?.('native simulation', 1, steps);
  const {
    graph: g,
    memories,
    netlist: nl,
    sv,
    vectors,
    run,
    native,
    sim,
  } = simulateNative(compiled, tensors);
  const throughput = measureThroughput(compiled, vectors, opts.clockMHz ?? 500, 2, sim);

  let verilator: SimCheck | null = null;
  let nvv: CosimSummary['nativeVsVerilator'] = null;
  if (opts.verilator !== false) {
    opts.onStep?.('verilator', 2, steps);
    const rep = await replayInVerilator(nl, sv, run, memories.images);
    const v = verilatorChecks(rep, vectors, streamInterface(g));
    verilator = v.verilator;
    nvv = v.nativeVsVerilator;
  }
  let area: AreaReport | null = null;
  if (opts.area !== false) {
    opts.onStep?.('yosys area', 3, steps);
    area = await synthArea(
      sv.files.map((f) => ({ name: f.name, text: f.text })),
      sv.top,
      { tool: opts.yosys ?? 'auto', ...(opts.onNote ? { onNote: opts.onNote } : {}) },
    );
  }
  const mismatches = native.mismatches + (verilator?.mismatches ?? 0) + (nvv?.mismatches ?? 0);
  const cosim: CosimSummary = {
    tensors,
    tokensPerTensor: vectors.tokens,
    vectorsCompared: { native: native.beatsCompared, verilator: verilator?.beatsCompared ?? 0 },
    native,
    verilator,
    nativeVsVerilator: nvv,
    cycles: run.cycles,
    mismatches,
  };
  const error = relativeError(vectors.golden, vectors.fp64);
  if (!Number.isFinite(error.relative) || !Number.isFinite(error.maxAbs))
    throw new MxgenError(
      'config',
      `${path}: the FP64 reference overflows (relative error ${error.relative}): a weight, bias or input is too large for binary64 arithmetic`,
      { hint: 'keep given weights and biases within ±1e30' },
    );
  return { graph: g, memories, throughput, sv, vectors, cosim, area, error };
}

/** One line per tensor: `name: format`, for summaries. */
export function precisionLines(g: Graph): string[] {
  return g.nodes
    .filter((n) => n.type?.format)
    .map((n) => `${n.name}: ${n.type?.format ? formatLabel(n.type.format) : '?'}`);
}

export function mismatchError(path: string, r: FlowResult): MxgenError {
  const c = r.cosim;
  const first =
    c.native.firstMismatch ?? c.verilator?.firstMismatch ?? c.nativeVsVerilator?.first ?? '';
  return new MxgenError(
    'mismatch',
    `${path}: ${c.mismatches} mismatches against the golden model (${first})`,
    {
      hint: 'see cosim.json in the output folder',
    },
  );
}

export { pipelineUnits };
