// `synthMemories`: the memory bits of a design without its logic synthesis (docs/area.md
// "Memories only", decision 42). The area flow keeps SRAMs as `$mem_v2` cells and counts their
// bits (WIDTH × SIZE); those cells are final once `synth -run :fine` (the coarse part, which
// includes `memory -nomap`) has run: the later steps of areaScript (techmap, abc) map logic only.
// So this run stops there — seconds instead of the minutes to hours the logic of a divider or an
// exp takes — and reports every memory by name, RAM (write ports) or ROM (a constant table
// Yosys's proc_rom made of a `case`), per module and for the hierarchy.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MxgenError } from '../../hdl/index.js';
import { makeTempDir } from '../cleanup.js';
import { memoryGateEquivalents, SRAM_BIT_GE, SRAM_MODEL } from './area-model.js';
import { hierarchyOrder, instanceCounts, parseNetlistJson } from './netlist-json.js';
import { runYosysScript, selectYosys, type YosysChoice } from './run.js';
import { checkedSources } from './synth.js';
import type { SvSource, YosysToolInfo } from './types.js';

/** One `$mem_v2` cell of a module (counted once per instance of the module). */
export interface MemoryCell {
  readonly module: string;
  /** The memory's name in the SV (Yosys MEMID without the leading backslash). */
  readonly name: string;
  readonly width: number;
  readonly depth: number;
  /** ROM: no write port (a constant table); RAM: written at run time. */
  readonly kind: 'ram' | 'rom';
  readonly bits: number;
}

export interface MemoryModule {
  readonly name: string;
  readonly instances: number;
  readonly memoryBits: number;
}

/** area.json of `mxgen area --memories-only`. */
export interface MemoryReport {
  readonly schema: 1;
  readonly kind: 'memories-only';
  readonly top: string;
  readonly tool: YosysToolInfo;
  readonly areaModel: { readonly sramBitGe: number; readonly sramModel: string };
  /** Leaves first, top last; only modules of the hierarchy. */
  readonly modules: readonly MemoryModule[];
  readonly memories: readonly MemoryCell[];
  readonly total: {
    readonly memoryBits: number;
    readonly ramBits: number;
    readonly romBits: number;
    readonly memoryGateEquivalents: number;
  };
}

export interface MemoryOptions {
  tool?: YosysChoice;
  yosysPath?: string;
  /** Default 10 minutes. */
  timeoutMs?: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Yosys JSON parameters are binary strings (or numbers). */
function param(v: unknown, what: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[01]+$/.test(v)) return parseInt(v, 2);
  throw new MxgenError('tool', `Yosys netlist JSON: ${what} is not a number`);
}

function memoryCells(json: string, mods: ReadonlySet<string>): MemoryCell[] {
  const doc = JSON.parse(json) as { modules?: Record<string, unknown> };
  const out: MemoryCell[] = [];
  for (const [module, m] of Object.entries(doc.modules ?? {})) {
    if (!mods.has(module) || !isRecord(m) || !isRecord(m.cells)) continue;
    for (const [cell, c] of Object.entries(m.cells)) {
      if (!isRecord(c) || (c.type !== '$mem_v2' && c.type !== '$mem')) continue;
      const p = isRecord(c.parameters) ? c.parameters : {};
      const width = param(p.WIDTH, `${module}.${cell} WIDTH`);
      const depth = param(p.SIZE, `${module}.${cell} SIZE`);
      const wr = param(p.WR_PORTS, `${module}.${cell} WR_PORTS`);
      const id = typeof p.MEMID === 'string' ? p.MEMID : cell;
      const name = id.startsWith('\\') ? id.slice(1) : id;
      out.push({ module, name, width, depth, kind: wr > 0 ? 'ram' : 'rom', bits: width * depth });
    }
  }
  return out.sort((a, b) =>
    a.module === b.module ? (a.name < b.name ? -1 : 1) : a.module < b.module ? -1 : 1,
  );
}

/** Memory bits of `top` from the coarse synthesis only (no logic mapping). */
export async function synthMemories(
  svFiles: readonly (string | SvSource)[],
  top: string,
  opts: MemoryOptions = {},
): Promise<MemoryReport> {
  const sources = checkedSources(svFiles, top);
  const yosys = await selectYosys(opts);
  const script = [
    ...sources.map((s) => `read_verilog -sv ${s.name}`),
    `hierarchy -check -top ${top}`,
    // the same first part as areaScript: memories as they reach the area report
    `synth -top ${top} -run :fine`,
    'write_json memories.json',
  ].join('\n');
  const dir = makeTempDir('yosys-mem');
  try {
    for (const s of sources) writeFileSync(join(dir, s.name), s.text);
    writeFileSync(join(dir, 'memories.ys'), `${script}\n`);
    await runYosysScript(yosys, dir, 'memories.ys', opts.timeoutMs ?? 10 * 60_000);
    const json = readFileSync(join(dir, 'memories.json'), 'utf8');
    const mods = parseNetlistJson(json);
    const order = hierarchyOrder(mods, top);
    const counts = instanceCounts(mods, order);
    const memories = memoryCells(json, new Set(order));
    const modules = order.map((name) => ({
      name,
      instances: counts.get(name) ?? 0,
      memoryBits: mods.get(name)?.memoryBits ?? 0,
    }));
    const sum = (kind?: 'ram' | 'rom'): number =>
      memories
        .filter((c) => kind === undefined || c.kind === kind)
        .reduce((a, c) => a + c.bits * (counts.get(c.module) ?? 0), 0);
    const memoryBits = sum();
    return {
      schema: 1,
      kind: 'memories-only',
      top,
      tool: yosys.info,
      areaModel: { sramBitGe: SRAM_BIT_GE, sramModel: SRAM_MODEL },
      modules,
      memories,
      total: {
        memoryBits,
        ramBits: sum('ram'),
        romBits: sum('rom'),
        memoryGateEquivalents: memoryGateEquivalents(memoryBits),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report as a table: one line per memory, then the totals. */
export function formatMemoryTable(r: MemoryReport): string {
  const counts = new Map(r.modules.map((m) => [m.name, m.instances]));
  const rows = r.memories.map(
    (c) =>
      `${c.module}.${c.name}  ${c.kind}  ${c.depth} × ${c.width}  ×${counts.get(c.module) ?? 0}  ${c.bits * (counts.get(c.module) ?? 0)} bits`,
  );
  return [
    `memories of ${r.top} (Yosys ${r.tool.version}, coarse synthesis only: no logic area)`,
    ...rows,
    `total ${r.total.memoryBits} memory bits (RAM ${r.total.ramBits}, ROM ${r.total.romBits}), ${r.total.memoryGateEquivalents} GE modelled`,
  ].join('\n');
}

/** area.csv of a memories-only run: one row per memory. */
export function memoryCsv(r: MemoryReport): string {
  const counts = new Map(r.modules.map((m) => [m.name, m.instances]));
  const rows = r.memories.map(
    (c) => `${c.module},${c.name},${c.kind},${c.depth},${c.width},${counts.get(c.module) ?? 0}`,
  );
  return `module,memory,kind,depth,width,instances\n${rows.join('\n')}\n`;
}
