// The per-layer figures of report.html: for every op of the graph its output format, its error
// against FP64 (SQNR in dB), and for the ops with a hardware unit its utilization, cycles per
// token, logic area (NAND2 GE of the unit's module with
// everything inside it) and memory bits. Cycles per token and latency come from the unit's
// schedule, which test/ir/schedule.test.ts checks against the native simulator.
import type { AreaReport, ModuleArea } from '../backends/index.js';
import { formatLabel, type Graph, nodeByName, type OpError, unitSchedule } from '../ir/index.js';

/** The measured figures of a unit the table uses (throughput.ts UnitThroughput). */
interface UnitFigures {
  readonly node: string;
  readonly utilization: number | null;
  readonly memoryBits: number;
}

export interface LayerRow {
  readonly node: string;
  readonly op: string;
  /** Output tensor format. */
  readonly format: string;
  /** Layers: the weight tensor's format. */
  readonly weights: string | null;
  /** SQNR of the op's output vs FP64 (dB); Infinity when exact; null when not computed. */
  readonly sqnrDb: number | null;
  /** The hardware unit's module, or null when the op has no unit of its own (fused, free). */
  readonly module: string | null;
  readonly unitKind: string | null;
  readonly lanesTile: string | null;
  readonly storage: string | null;
  /** The unit's interval (cycles between tokens) and latency, from its schedule (src/ir/schedule.ts). */
  readonly cyclesPerToken: number | null;
  readonly latency: number | null;
  readonly utilization: number | null;
  /** NAND2 GE of the unit's module including its submodules (null without Yosys). */
  readonly logicGE: number | null;
  readonly memoryBits: number | null;
}

/** A module's logic GE and memory bits with everything instantiated inside it, once each. */
export function inclusiveArea(
  area: AreaReport,
  module: string,
): { logicGE: number; memoryBits: number } | null {
  const byName = new Map<string, ModuleArea>(area.modules.map((m) => [m.name, m]));
  const memo = new Map<string, { logicGE: number; memoryBits: number }>();
  const walk = (name: string): { logicGE: number; memoryBits: number } => {
    const hit = memo.get(name);
    if (hit) return hit;
    const m = byName.get(name);
    let logicGE = m?.gateEquivalents ?? 0;
    let memoryBits = m?.memoryBits ?? 0;
    for (const [sub, count] of Object.entries(m?.submodules ?? {})) {
      const s = walk(sub);
      logicGE += count * s.logicGE;
      memoryBits += count * s.memoryBits;
    }
    const r = { logicGE, memoryBits };
    memo.set(name, r);
    return r;
  };
  return byName.has(module) ? walk(module) : null;
}

function weightFormat(g: Graph, name: string): string | null {
  const n = nodeByName(g, name);
  if (!n || (n.op !== 'linear' && n.op !== 'matmul')) return null;
  const w = nodeByName(g, n.op === 'linear' ? n.weight : n.b);
  return w?.type?.format ? formatLabel(w.type.format) : null;
}

export function layerRows(
  g: Graph,
  perOp: readonly OpError[],
  throughput: { readonly units: readonly UnitFigures[] } | undefined,
  area: AreaReport | null,
): LayerRow[] {
  const measured = new Map((throughput?.units ?? []).map((u) => [u.node, u]));
  const errors = new Map(perOp.map((e) => [e.node, e]));
  return g.nodes
    .filter((n) => n.op !== 'input' && n.op !== 'const')
    .map((n) => {
      const e = errors.get(n.name);
      const u = n.unit;
      const t = measured.get(n.name);
      const s = u ? unitSchedule(u) : null;
      const a = u && area ? inclusiveArea(area, u.module) : null;
      return {
        node: n.name,
        op: n.op,
        format: e?.format ?? (n.type?.format ? formatLabel(n.type.format) : '?'),
        weights: weightFormat(g, n.name),
        sqnrDb: e ? e.sqnrDb : null,
        module: u?.module ?? null,
        unitKind: u?.kind ?? null,
        lanesTile: u?.kind === 'linear-unit' ? `${u.lanes} × ${u.tile}` : null,
        storage: u?.kind === 'linear-unit' ? u.storage : null,
        cyclesPerToken: s ? s.interval : null,
        latency: s ? s.latency : null,
        utilization: t?.utilization ?? null,
        logicGE: a ? a.logicGE : null,
        memoryBits: a ? a.memoryBits : (t?.memoryBits ?? null),
      };
    });
}
