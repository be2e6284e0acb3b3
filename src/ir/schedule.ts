// The known schedule of every hardware unit (docs/ir.md "Schedule and cycle budget"): from its
// configuration alone, the cycles from taking a token to offering its result (latency) and the
// cycles between two tokens it takes (interval), both without gaps or stalls. The figures follow
// the generators (hw-*.ts, row-ops/hw.ts) and the registry components' `latencyCycles`; a test
// (test/ir/schedule.test.ts) checks them against the native simulator, unit by unit, on every
// bundled design. The simulators' cycle limit (`cycleBudget`) is built from them.
import { getComponent, parseConfig } from '../components/index.js';
import { MxgenError } from '../hdl/index.js';
import { streamSource, unitPorts } from './dag.js';
import type { Graph } from './graph.js';
import type { CastUnitConfig, UnitConfig } from './units.js';
import { componentLatency, outputStageCycles } from './units/latency.js';
import { linearUnitOf } from './units/registry.js';

export interface UnitSchedule {
  /** Steps of the unit's controller per token (layers: groups × chunks; 0 for one-shot units). */
  readonly steps: number;
  /** Cycles from the input handshake of a token to the first offer of its output beat. */
  readonly latency: number;
  /** Cycles between two input handshakes when nothing downstream holds the unit up. */
  readonly interval: number;
  /**
   * Cycles a unit keeps its producer's offered beat beyond the first (a token filled into SRAM
   * chunk by chunk: C − 1, units/latency.ts `bufferedSerial`); absent: 0.
   */
  readonly hold?: number;
}

/** `intervalCycles` of a component that takes one token at a time (kv-attention), if any. */
function componentInterval(kind: string, config: unknown, where: string): number | undefined {
  const k = getComponent(kind);
  const i = k.derive(parseConfig(k, config, where)).intervalCycles;
  return typeof i === 'number' ? i : undefined;
}

function castSchedule(c: CastUnitConfig): UnitSchedule {
  // hw-cast.ts: an int cast is one register stage at full rate; a binary32 conversion (MX or
  // OliVe output) holds the token until its output is complete.
  const extra = outputStageCycles(c.node, { ...c, outFeatures: c.features });
  return { steps: 0, latency: 1 + extra, interval: extra > 0 ? 1 + extra : 1 };
}

export function unitSchedule(c: UnitConfig): UnitSchedule {
  switch (c.kind) {
    case 'linear-unit':
      return linearUnitOf(c).schedule(c);
    case 'cast-unit':
      return castSchedule(c);
    case 'add-unit': {
      // hw-add.ts: one register stage at full rate; a quantized output (MX, nvfp4, OliVe, blockdialect) holds
      // the token until the quantizer's output is complete, like the cast unit.
      const extra = outputStageCycles(c.node, { ...c, outFeatures: c.features });
      return { steps: 0, latency: 1 + extra, interval: extra > 0 ? 1 + extra : 1 };
    }
    case 'relu-unit':
      // hw-relu.ts: one register stage, a token per cycle.
      return { steps: 0, latency: 1, interval: 1 };
    case 'row-unit': {
      // row-ops/hw.ts: the component at full rate, behind a register stage when its γ/β are
      // read from memory with the token.
      const read = c.storage === 'memory' && c.params.length > 0 ? 1 : 0;
      const where = `${c.node}.component`;
      const lat = componentLatency(c.component.kind, c.component.config, where);
      if (c.chunk !== undefined) return chunkedRowSchedule(c.features, c.chunk, lat, where, c);
      const one = componentInterval(c.component.kind, c.component.config, where);
      // kv-attention: one token at a time, at a fixed schedule.
      if (one !== undefined) return { steps: 0, latency: read + lat, interval: read + one };
      return { steps: 0, latency: read + lat, interval: 1 };
    }
  }
}

/**
 * A row unit that feeds its component R = ceil(features / chunk) beats per token (row-ops/hw.ts
 * `generateChunkedRowUnit`): the token goes into the input register (one cycle), its chunks
 * follow one per cycle, the next token is taken with the last chunk, and the output register is
 * offered the cycle after the last output beat is in. An element-wise component (latency L)
 * streams the chunks: latency R + L + 1, a token every R cycles. A two-pass one (`cyclesPerRow`,
 * row-chunked/machine.ts) offers its first beat L cycles after the last input beat and takes the
 * next row the cycle after its last output beat: latency 2·R + L, interval `cyclesPerRow`
 * (2·R + 2).
 */
function chunkedRowSchedule(
  features: number,
  chunk: number,
  lat: number,
  where: string,
  c: { readonly component: { readonly kind: string; readonly config: unknown } },
): UnitSchedule {
  const R = Math.ceil(features / chunk);
  const k = getComponent(c.component.kind);
  const row = k.derive(parseConfig(k, c.component.config, where)).cyclesPerRow;
  if (typeof row === 'number') return { steps: R, latency: 2 * R + lat, interval: row };
  return { steps: R, latency: R + lat + 1, interval: R };
}

/** The stall-free schedule of a lowered graph: the slowest interval and the summed latencies. */
export function graphSchedule(g: Graph): { interval: number; latency: number } {
  const units = g.nodes.flatMap((n) =>
    n.unit ? [{ s: unitSchedule(n.unit), held: heldCycles(g, n.name) }] : [],
  );
  return {
    interval: Math.max(1, ...units.map((x) => x.s.interval + x.held)),
    latency: units.reduce((a, x) => a + x.s.latency + x.held, 0),
  };
}

/**
 * Cycles the readers of node `name`'s stream keep each of its beats beyond the first (the largest
 * `hold` among the units reading it, through a fork): they add to its interval and latency.
 */
export function heldCycles(g: Graph, name: string): number {
  let held = 0;
  for (const n of g.nodes) {
    const h = n.unit ? (unitSchedule(n.unit).hold ?? 0) : 0;
    if (h > 0 && unitPorts(n).some((p) => streamSource(g, p.tensor).name === name))
      held = Math.max(held, h);
  }
  return held;
}

/** Cycles of slack for reset, the source/sink handshakes and fork/join FIFOs. */
export const BUDGET_SLACK_CYCLES = 64;

/**
 * The cycle limit for streaming `beats` tokens through the pipeline: the stall-free schedule
 * (every unit's latency once, to fill the pipeline, plus `beats` × the slowest interval), times
 * the stall allowance 2 / ((1 − idle)(1 − stall)) — twice the expected stretch when the source
 * leaves a cycle empty with probability `idle` and the sink refuses one with probability `stall` —
 * plus BUDGET_SLACK_CYCLES. A correct design finishes well inside; only a deadlock or a lost beat
 * hits it.
 */
export function cycleBudget(g: Graph, beats: number, idle: number, stall: number): number {
  if (!(idle >= 0 && idle < 1 && stall >= 0 && stall < 1))
    throw new MxgenError(
      'config',
      `cycle budget: idle (${idle}) and stall (${stall}) probabilities must be in [0, 1)`,
    );
  const s = graphSchedule(g);
  const free = s.latency + beats * s.interval;
  return BUDGET_SLACK_CYCLES + Math.ceil((free * 2) / ((1 - idle) * (1 - stall)));
}
