// Turns the raw outputs of one area run (three `stat` reports and the generic JSON netlist) into
// the AreaReport: per-module numbers, instance counts, and totals over the hierarchy.
import { MxgenError } from '../../hdl/index.js';
import {
  AREA_UNIT,
  gateEquivalents,
  isMemoryCell,
  isSequentialCell,
  memoryGateEquivalents,
  parseLibertyAreas,
  roundArea,
  SRAM_BIT_GE,
  SRAM_MODEL,
} from './area-model.js';
import { logicDepths } from './depth.js';
import {
  directInstances,
  hierarchyOrder,
  instanceCounts,
  parseNetlistJson,
} from './netlist-json.js';
import { parseStat, type StatModule } from './stat.js';
import type { StatFormat } from './script.js';
import type { AreaReport, AreaTotals, CellCounts, ModuleArea, YosysToolInfo } from './types.js';

export interface RawArea {
  readonly top: string;
  readonly tool: YosysToolInfo;
  readonly statFormat: StatFormat;
  readonly generic: string;
  readonly cmos: string;
  readonly lib: string;
  readonly netlist: string;
  readonly liberty: string;
}

function sorted(m: ReadonlyMap<string, number>, skip: ReadonlySet<string>): CellCounts {
  const keys = [...m.keys()].filter((k) => !skip.has(k)).sort();
  return Object.fromEntries(keys.map((k) => [k, m.get(k) ?? 0]));
}

function addInto(acc: Map<string, number>, counts: CellCounts, times: number): void {
  for (const [k, n] of Object.entries(counts)) acc.set(k, (acc.get(k) ?? 0) + n * times);
}

function statOf(map: ReadonlyMap<string, StatModule>, name: string, what: string): StatModule {
  const s = map.get(name);
  if (!s) throw new MxgenError('tool', `Yosys ${what} statistics have no module ${name}`);
  return s;
}

export function buildReport(raw: RawArea): AreaReport {
  const mods = parseNetlistJson(raw.netlist);
  if (!mods.has(raw.top))
    throw new MxgenError('tool', `the synthesized netlist has no top module ${raw.top}`);
  const order = hierarchyOrder(mods, raw.top);
  const counts = instanceCounts(mods, order);
  const depths = logicDepths(mods, order);
  const generic = parseStat(raw.generic, raw.statFormat);
  const cmos = parseStat(raw.cmos, raw.statFormat);
  const lib = parseStat(raw.lib, raw.statFormat);
  const areas = parseLibertyAreas(raw.liberty);
  const names = new Set(order);
  const warnings: string[] = [];
  const modules: ModuleArea[] = order.map((name) => {
    const jm = mods.get(name);
    const subs = jm ? directInstances(jm, mods) : new Map<string, number>();
    const g = statOf(generic, name, 'generic');
    const cellsByType = sorted(g.cellsByType, names);
    const cells = Object.values(cellsByType).reduce((a, b) => a + b, 0);
    const flipFlops = Object.entries(cellsByType)
      .filter(([t]) => isSequentialCell(t))
      .reduce((a, [, n]) => a + n, 0);
    const c = statOf(cmos, name, 'CMOS');
    const tr = c.transistors ?? { count: 0, partial: false };
    const memoryBits = jm?.memoryBits ?? 0;
    // Memory cells have no transistor count: expected, they are modelled separately.
    if (tr.partial && subs.size === 0 && memoryBits === 0)
      warnings.push(`${name}: Yosys had no transistor count for some cells`);
    const l = statOf(lib, name, 'liberty');
    const memTypes = new Set([...l.cellsByType.keys()].filter(isMemoryCell));
    const { ge, unknown } = gateEquivalents(l.cellsByType, areas, new Set([...names, ...memTypes]));
    // Cross-check with Yosys's own `stat -liberty` area where it printed one (text, or 0.55 JSON).
    if (l.area !== undefined && Math.abs(l.area - ge) > 0.01)
      warnings.push(`${name}: Yosys reports ${l.area} GE, the library sum is ${ge} GE`);
    if (unknown.length > 0)
      warnings.push(`${name}: cells without a library area: ${unknown.join(', ')}`);
    return {
      name,
      instances: counts.get(name) ?? 0,
      cells,
      cellsByType,
      flipFlops,
      submodules: Object.fromEntries(subs),
      transistors: tr.count,
      gateEquivalents: ge,
      memoryBits,
      memoryGateEquivalents: memoryGateEquivalents(memoryBits),
      libCellsByType: sorted(l.cellsByType, names),
      logicDepth: depths.get(name)?.depth ?? 0,
    };
  });
  return {
    schema: 1,
    top: raw.top,
    tool: raw.tool,
    areaModel: {
      library: 'mxgen_ge.lib',
      unit: AREA_UNIT,
      sramBitGe: SRAM_BIT_GE,
      sramModel: SRAM_MODEL,
    },
    modules,
    total: totals(modules, depths.get(raw.top)?.depth ?? 0),
    warnings,
  };
}

/**
 * Totals of the subtree under `name` (the module and everything it instantiates, each instance
 * counted): the whole design for the top, one array or PE for a sweep.
 */
export function subtreeTotals(r: Pick<AreaReport, 'modules'>, name: string): AreaTotals {
  const byName = new Map(r.modules.map((m) => [m.name, m]));
  const times = new Map<string, number>([[name, 1]]);
  // Modules are listed children first, so a reverse walk sees every parent before its children.
  for (const m of [...r.modules].reverse()) {
    const n = times.get(m.name);
    if (n === undefined) continue;
    for (const [kid, k] of Object.entries(m.submodules))
      times.set(kid, (times.get(kid) ?? 0) + n * k);
  }
  const top = byName.get(name);
  if (!top) throw new MxgenError('usage', `the area report has no module ${name}`);
  const counted = r.modules
    .filter((m) => times.has(m.name))
    .map((m) => ({ ...m, instances: times.get(m.name) ?? 0 }));
  return totals(counted, top.logicDepth);
}

function totals(modules: readonly ModuleArea[], logicDepth: number): AreaTotals {
  const byType = new Map<string, number>();
  const libByType = new Map<string, number>();
  let cells = 0;
  let flipFlops = 0;
  let transistors = 0;
  let ge = 0;
  let memoryBits = 0;
  for (const m of modules) {
    memoryBits += (m.memoryBits ?? 0) * m.instances;
    cells += m.cells * m.instances;
    flipFlops += m.flipFlops * m.instances;
    transistors += m.transistors * m.instances;
    ge += m.gateEquivalents * m.instances;
    addInto(byType, m.cellsByType, m.instances);
    addInto(libByType, m.libCellsByType, m.instances);
  }
  return {
    cells,
    cellsByType: sorted(byType, new Set()),
    flipFlops,
    transistors,
    gateEquivalents: roundArea(ge),
    memoryBits,
    memoryGateEquivalents: memoryGateEquivalents(memoryBits),
    libCellsByType: sorted(libByType, new Set()),
    logicDepth,
  };
}
