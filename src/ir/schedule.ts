// The known schedule of every hardware unit (docs/ir.md "Schedule and cycle budget"): from its
// configuration alone, the cycles from taking a token to offering its result (latency) and the
// cycles between two tokens it takes (interval), both without gaps or stalls. The figures follow
// the generators (hw-*.ts, row-ops/hw.ts) and the registry components' `latencyCycles`; a test
// (test/ir/schedule.test.ts) checks them against the native simulator, unit by unit, on every
// bundled design. The simulators' cycle limit (`cycleBudget`) is built from them.
import { getComponent, parseConfig } from '../components/index.js';
import { MxgenError } from '../hdl/index.js';
import type { Graph } from './graph.js';
import type { CastUnitConfig, LinearUnitConfig, UnitConfig } from './units.js';

export interface UnitSchedule {
  /** Steps of the unit's controller per token (layers: groups × chunks; 0 for one-shot units). */
  readonly steps: number;
  /** Cycles from the input handshake of a token to the first offer of its output beat. */
  readonly latency: number;
  /** Cycles between two input handshakes when nothing downstream holds the unit up. */
  readonly interval: number;
}

/** `latencyCycles` of a registry component for a unit's stored config. */
function componentLatency(kind: string, config: unknown, where: string): number {
  const k = getComponent(kind);
  return k.derive(parseConfig(k, config, where)).latencyCycles;
}

/** `intervalCycles` of a component that takes one token at a time (kv-attention), if any. */
function componentInterval(kind: string, config: unknown, where: string): number | undefined {
  const k = getComponent(kind);
  const i = k.derive(parseConfig(k, config, where)).intervalCycles;
  return typeof i === 'number' ? i : undefined;
}

/**
 * Extra cycles of the shared output stage (hw-out.ts) after the last group's totals: none for an
 * int cast; binary32 register + `mx-quantize` for an MX output; binary32 register + `olive-encoder`
 * (+ `mx-scale` for olive4_dyn) for an OliVe output.
 */
function outputStageCycles(
  node: string,
  c: Pick<LinearUnitConfig, 'outOlive' | 'outFeatures'> & {
    outMxFormat?: string;
    outDialect?: true;
  },
): number {
  if (c.outDialect) return 1 + componentLatency('dialect-quantize', { k: c.outFeatures }, node);
  if (c.outMxFormat !== undefined)
    return 1 + componentLatency('mx-quantize', { format: c.outMxFormat, k: c.outFeatures }, node);
  if (!c.outOlive) return 0;
  const pairs = c.outFeatures / 2;
  const enc = componentLatency(
    'olive-encoder',
    { variant: c.outOlive.variant, pairs, stages: 1 },
    node,
  );
  const dyn = c.outOlive.dynamic;
  const scale = dyn
    ? componentLatency(
        'mx-scale',
        { format: dyn.format, policy: dyn.policy, k: c.outFeatures, stages: 1 },
        node,
      )
    : 0;
  return 1 + scale + enc;
}

/** A token-serial unit (one token at a time): it takes the next token the cycle after its offer. */
function serial(steps: number, latency: number): UnitSchedule {
  return { steps, latency, interval: latency + 1 };
}

function linearSchedule(c: LinearUnitConfig): UnitSchedule {
  const G = c.outFeatures / c.lanes;
  const comp = c.component;
  // SRAM (memory) or the port register (stream): the lanes are fed one cycle after the step.
  const read = c.storage === 'embedded' ? 0 : 1;
  if (!comp) {
    // hw-linear.ts: G·C steps after the accept cycle, each group's results registered as it
    // finishes; the vector is offered the cycle after the last step.
    const steps = G * (c.inFeatures / c.tile);
    return serial(steps, steps + 1);
  }
  if (comp.kind === 'dialect-mac') {
    // hw-dialect-linear.ts: G steps, the MAC's results in order, registered output.
    const mac = componentLatency('dialect-mac', comp.config, `${c.node}.component`);
    return serial(G, G + read + mac + 1);
  }
  if (comp.kind === 'mixed-lane') {
    // hw-mixed-linear.ts: G rows of beatsPerRow beats, the lane's latency, registered output.
    const cfg = parseConfig(getComponent('mixed-lane'), comp.config, `${c.node}.component`);
    const steps = G * Number(getComponent('mixed-lane').derive(cfg).beatsPerRow);
    const lane = componentLatency('mixed-lane', comp.config, `${c.node}.component`);
    return serial(steps, steps + read + lane + 1);
  }
  if (comp.kind === 'mx-dot') {
    const dot = componentLatency('mx-dot', comp.config, `${c.node}.component`);
    const quant = comp.quantize
      ? 1 + componentLatency('mx-quantize', comp.quantize, `${c.node}.quantize`)
      : 0;
    if (comp.blocks === undefined) {
      // hw-mxdot-linear.ts: G steps, the dot's results in order, registered output (+ quantize).
      return serial(G, G + read + dot + 1 + quant);
    }
    // hw-mxblk-linear.ts: G·C steps, the dot, one fp32-acc stage, registered output (+ quantize).
    const steps = G * comp.blocks;
    const acc = componentLatency('fp32-acc', { stages: 1 }, `${c.node}.acc`);
    return serial(steps, steps + read + dot + acc + 1 + quant);
  }
  // hw-lane-linear.ts: G·C steps, the lanes' latency after the last beat, the output stage.
  const steps = G * (c.inFeatures / c.tile);
  const lane =
    comp.kind === 'vector'
      ? 1 // hw-vector-lane.ts: the closing beat's sum is registered (out_valid one cycle later)
      : componentLatency(comp.kind, comp.config, `${c.node}.component`);
  return serial(steps, steps + 1 + read + lane + outputStageCycles(c.node, c));
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
      return linearSchedule(c);
    case 'cast-unit':
      return castSchedule(c);
    case 'relu-unit':
    case 'add-unit':
      // hw-relu.ts / hw-add.ts: one register stage, a token per cycle.
      return { steps: 0, latency: 1, interval: 1 };
    case 'row-unit': {
      // row-ops/hw.ts: the component at full rate, behind a register stage when its γ/β are
      // read from memory with the token.
      const read = c.storage === 'memory' && c.params.length > 0 ? 1 : 0;
      const where = `${c.node}.component`;
      const lat = componentLatency(c.component.kind, c.component.config, where);
      const one = componentInterval(c.component.kind, c.component.config, where);
      // kv-attention: one token at a time, at a fixed schedule.
      if (one !== undefined) return { steps: 0, latency: read + lat, interval: read + one };
      return { steps: 0, latency: read + lat, interval: 1 };
    }
  }
}

/** The stall-free schedule of a lowered graph: the slowest interval and the summed latencies. */
export function graphSchedule(g: Graph): { interval: number; latency: number } {
  const units = g.nodes.flatMap((n) => (n.unit ? [unitSchedule(n.unit)] : []));
  return {
    interval: Math.max(1, ...units.map((s) => s.interval)),
    latency: units.reduce((a, s) => a + s.latency, 0),
  };
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
