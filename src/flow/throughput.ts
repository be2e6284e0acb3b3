// Throughput of a compiled design, measured in the native simulator: tokens offered back to back,
// no stalls. Per unit, the cycles it is busy with the first token (from accepting it to handing
// its result on, plus the handshake cycle: a unit holds one token, so this is its initiation
// interval when nothing downstream holds it up), against the ideal K·N / (lanes · tile) of a
// layer; for the design, the steady-state cycles between output beats (docs/ir.md "Throughput").
import { elaborate } from '../hdl/index.js';
import {
  type Compiled,
  cycleBudget,
  elementBits,
  mxElementName,
  type DesignVectors,
  formatOf,
  type Graph,
  type Node,
  nodeByName,
  streamInterface,
} from '../ir/index.js';
import { compile, runStream, type Simulator } from '../sim/index.js';

export interface UnitThroughput {
  readonly node: string;
  readonly kind: string;
  readonly storage: 'embedded' | 'memory' | 'stream' | null;
  readonly cyclesPerToken: number;
  /** Layers only: K·N / (lanes · tile). */
  readonly idealCyclesPerToken: number | null;
  readonly utilization: number | null;
  /** Layers only: bits of the weight tensor's codes (and block scales). */
  readonly weightBits: number | null;
  /** Bits of the unit's weight, bias and shift SRAMs (the memory map). */
  readonly memoryBits: number;
  /** Bits of the unit's token buffers (input and output SRAMs of real-size units), not in memoryBits. */
  readonly bufferBits: number;
  /** Stream mode: weight bits / port bits, the cycles per token the port allows. */
  readonly bandwidthBoundCyclesPerToken?: number;
}

export interface Throughput {
  readonly clockMHz: number;
  /** Steady-state cycles between output beats (tokens offered back to back, no stalls). */
  readonly cyclesPerToken: number;
  readonly idealCyclesPerToken: number;
  readonly utilization: number;
  readonly tokensPerSecond: number;
  readonly weightBits: number;
  readonly memoryBits: number;
  /** Token buffer SRAM bits of all units (SRAM bits in total: memoryBits + bufferBits). */
  readonly bufferBits: number;
  /** With stream-mode layers: the slowest layer's weight bits / port bits. */
  readonly bandwidthBoundCyclesPerToken?: number;
  readonly units: readonly UnitThroughput[];
}

/** Bits of a layer's weight codes: elements, plus an E8M0 scale per 32 (MX) elements. */
function weightBitsOf(g: Graph, n: Node): number | null {
  if (n.op !== 'linear' && n.op !== 'matmul') return null;
  const w = nodeByName(g, n.op === 'linear' ? n.weight : n.b);
  const shape = w?.type?.shape ?? [];
  const count = (shape[0] ?? 0) * (shape[1] ?? 0);
  const f = w ? formatOf(w) : undefined;
  if (!f) return null;
  if (f.kind === 'mx')
    return count * elementBits(mxElementName(f.name)) + Math.ceil(count / 32) * 8;
  if (f.kind === 'element' || f.kind === 'olive' || f.kind === 'olive-dyn')
    return count * elementBits(f.name);
  return null;
}

/** Handshake signal names of a unit instance's first input and its output. */
function handshake(sim: ReturnType<typeof compile>, inst: string): [string, string] {
  const names = new Set(sim.signals.map((s) => s.name));
  const inPort = names.has(`${inst}.in_valid`) ? 'in' : 'in_a';
  return [inPort, 'out'];
}

/**
 * A model that already ran (the native simulation's, compiled with the unit handshakes kept)
 * back in the state of a new one: registers and memories cleared (SRAM images reloaded), every
 * input 0, cycle 0. Saves a second elaboration and code generation per run.
 */
function fresh(sim: Simulator): Simulator {
  sim.clearState();
  for (const p of sim.ports) if (p.dir === 'in') sim.poke(p.name, 0n);
  sim.cycle = 0;
  return sim;
}

/**
 * `reuse`: a compiled model of `compiled.top` that keeps the unit handshake signals
 * (`simulateNative`'s), cleared and reused instead of compiling another.
 */
export function measureThroughput(
  compiled: Compiled,
  vectors: DesignVectors,
  clockMHz: number,
  tokens = 2,
  reuse?: Simulator,
): Throughput {
  const g = compiled.graph;
  // It observes the units' handshake signals: compiled with every named signal (or reused).
  const sim = reuse
    ? fresh(reuse)
    : compile(elaborate(compiled.top), { images: compiled.memories.images });
  const io = streamInterface(g);
  const units = g.nodes.filter((n) => n.unit);
  // Instance names as assembleTop gives them: u<index among the units>_<node>.
  const insts = units.map((n, i) => `u${i}_${n.name.replace(/\W/g, '_')}`);
  const ports = insts.map((inst) => handshake(sim, inst));
  const firstIn = units.map(() => -1);
  const firstOut = units.map(() => -1);
  const outCycles: number[] = [];
  const beats = vectors.inBeats.slice(0, tokens);
  let seen = -1;
  runStream(sim, beats, {
    inFields: io.inFields,
    outFields: io.outFields,
    expectedOutBeats: beats.length,
    maxCycles: cycleBudget(g, beats.length, 0, 0),
    sources: compiled.memories.streams,
    observe: (cycle) => {
      if (sim.peek('out_valid') === 1n && cycle !== seen) {
        outCycles.push(cycle);
        seen = cycle;
      }
      insts.forEach((inst, u) => {
        const [ip, op] = ports[u] as [string, string];
        if (
          firstIn[u] === -1 &&
          sim.peekSignal(`${inst}.${ip}_valid`) === 1n &&
          sim.peekSignal(`${inst}.${ip}_ready`) === 1n
        )
          firstIn[u] = cycle;
        if (
          firstOut[u] === -1 &&
          sim.peekSignal(`${inst}.${op}_valid`) === 1n &&
          sim.peekSignal(`${inst}.${op}_ready`) === 1n
        )
          firstOut[u] = cycle;
      });
    },
  });
  const memBits = (node: string): number =>
    compiled.memories.srams
      .filter((s) => s.unit === node)
      .reduce((a, s) => a + s.width * s.depth, 0);
  const bufBits = (node: string): number =>
    compiled.memories.buffers
      .filter((s) => s.unit === node)
      .reduce((a, s) => a + s.width * s.depth, 0);
  const rows: UnitThroughput[] = units.map((n, u) => {
    const c = n.unit;
    const cpt =
      firstOut[u] !== undefined && (firstOut[u] ?? -1) >= 0
        ? (firstOut[u] ?? 0) - (firstIn[u] ?? 0) + 1
        : 0;
    const ideal =
      c?.kind === 'linear-unit' ? (c.inFeatures * c.outFeatures) / (c.lanes * c.tile) : null;
    const wbits = weightBitsOf(g, n);
    const bw =
      c?.kind === 'linear-unit' && c.storage === 'stream' && c.portBits && wbits !== null
        ? { bandwidthBoundCyclesPerToken: wbits / c.portBits }
        : {};
    return {
      ...bw,
      node: n.name,
      kind: c?.kind ?? 'unit',
      storage: c?.kind === 'linear-unit' ? c.storage : null,
      cyclesPerToken: cpt,
      idealCyclesPerToken: ideal,
      utilization: ideal !== null && cpt > 0 ? ideal / cpt : null,
      weightBits: wbits,
      memoryBits: memBits(n.name),
      bufferBits: bufBits(n.name),
    };
  });
  const last = outCycles[outCycles.length - 1] ?? 0;
  const first = outCycles[0] ?? 0;
  const cpt =
    outCycles.length > 1
      ? (last - first) / (outCycles.length - 1)
      : Math.max(...rows.map((r) => r.cyclesPerToken));
  const ideal = Math.max(0, ...rows.map((r) => r.idealCyclesPerToken ?? 0));
  const bounds = rows.flatMap((r) =>
    r.bandwidthBoundCyclesPerToken === undefined ? [] : [r.bandwidthBoundCyclesPerToken],
  );
  return {
    ...(bounds.length > 0 ? { bandwidthBoundCyclesPerToken: Math.max(...bounds) } : {}),
    clockMHz,
    cyclesPerToken: cpt,
    idealCyclesPerToken: ideal,
    utilization: cpt > 0 ? ideal / cpt : 0,
    tokensPerSecond: cpt > 0 ? (clockMHz * 1e6) / cpt : 0,
    weightBits: rows.reduce((a, r) => a + (r.weightBits ?? 0), 0),
    memoryBits: rows.reduce((a, r) => a + r.memoryBits, 0),
    bufferBits: rows.reduce((a, r) => a + r.bufferBits, 0),
    units: rows,
  };
}
