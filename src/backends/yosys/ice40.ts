// Optional iCE40 counts (`synth_ice40 -noflatten`): LUT4s, carry cells, flip-flops and block RAMs
// per module and for the hierarchy. A second Yosys run beside the area run, cached on its own.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { makeTempDir } from '../cleanup.js';
import { join } from 'node:path';
import { MxgenError } from '../../hdl/index.js';
import { CACHE_CODE, cachedDir, codeHash, contentHash } from '../cache.js';
import { runYosysScript, type SelectedYosys } from './run.js';
import { ice40Script, OUT, type StatFormat } from './script.js';
import { parseStat, type StatModule } from './stat.js';
import type { CellCounts, Ice40Counts, Ice40Module, Ice40Report, SvSource } from './types.js';

/** Bump when the iCE40 report's meaning changes, so old cache entries are not reused. */
const ICE40_VERSION = '1';
const REPORT = 'ice40.json';

/** The iCE40 class of a cell type (SB_DFF, SB_DFFE, SB_DFFESR... are all flip-flops). */
function cellClass(type: string): keyof Omit<Ice40Counts, 'cells'> | 'other' {
  if (type === 'SB_LUT4') return 'luts';
  if (type === 'SB_CARRY') return 'carries';
  if (/^SB_DFF/.test(type)) return 'flipFlops';
  if (/^SB_RAM40_4K/.test(type)) return 'rams';
  return 'other';
}

function counts(byType: CellCounts): Ice40Counts {
  const c = { cells: 0, luts: 0, carries: 0, flipFlops: 0, rams: 0 };
  for (const [t, n] of Object.entries(byType)) {
    c.cells += n;
    const k = cellClass(t);
    if (k !== 'other') c[k] += n;
  }
  return c;
}

function sortedCounts(m: ReadonlyMap<string, number>): CellCounts {
  return Object.fromEntries([...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Builds the report from the `stat` of a `synth_ice40 -noflatten` run: a module's submodule
 * instances are the cell types that are themselves modules of the stat; the others are its own
 * cells. Modules are listed leaves first (post-order, children by name), the top last.
 */
export function buildIce40Report(statText: string, format: StatFormat, top: string): Ice40Report {
  const stat = parseStat(statText, format);
  const get = (name: string): StatModule => {
    const s = stat.get(name);
    if (!s) throw new MxgenError('tool', `Yosys iCE40 statistics have no module ${name}`);
    return s;
  };
  const split = (s: StatModule): { own: CellCounts; subs: CellCounts } => {
    const own = new Map<string, number>();
    const subs = new Map<string, number>();
    for (const [t, n] of s.cellsByType) (stat.has(t) ? subs : own).set(t, n);
    return { own: sortedCounts(own), subs: sortedCounts(subs) };
  };
  const order: string[] = [];
  const visit = (name: string, path: readonly string[]): void => {
    if (order.includes(name)) return;
    if (path.includes(name))
      throw new MxgenError('tool', `Yosys iCE40 hierarchy loops through module ${name}`);
    for (const kid of Object.keys(split(get(name)).subs)) visit(kid, [...path, name]);
    order.push(name);
  };
  visit(top, []);
  const times = new Map<string, number>([[top, 1]]);
  for (const name of [...order].reverse()) {
    const n = times.get(name) ?? 0;
    for (const [kid, k] of Object.entries(split(get(name)).subs))
      times.set(kid, (times.get(kid) ?? 0) + n * k);
  }
  const modules: Ice40Module[] = order.map((name) => {
    const { own, subs } = split(get(name));
    return {
      name,
      instances: times.get(name) ?? 0,
      ...counts(own),
      cellsByType: own,
      submodules: subs,
    };
  });
  const all = new Map<string, number>();
  for (const m of modules)
    for (const [t, n] of Object.entries(m.cellsByType))
      all.set(t, (all.get(t) ?? 0) + n * m.instances);
  const cellsByType = sortedCounts(all);
  return { schema: 1, top, modules, total: { ...counts(cellsByType), cellsByType } };
}

export interface Ice40RunOptions {
  readonly sources: readonly SvSource[];
  readonly top: string;
  readonly yosys: SelectedYosys;
  readonly statFormat: StatFormat;
  readonly timeoutMs: number;
  /** Cache root; null runs in a temp dir and keeps nothing. */
  readonly cacheDir: string | null;
  /** codeHash of the code that makes and reads the report (default: CACHE_CODE.yosys here). */
  readonly code?: string;
}

/** Runs `synth_ice40 -noflatten` on the sources and reads its statistics (cached by content). */
export async function synthIce40(o: Ice40RunOptions): Promise<Ice40Report> {
  const script = ice40Script({
    files: o.sources.map((s) => s.name),
    top: o.top,
    statFormat: o.statFormat,
  });
  const run = async (dir: string): Promise<void> => {
    for (const s of o.sources) writeFileSync(join(dir, s.name), s.text);
    writeFileSync(join(dir, 'ice40.ys'), script);
    await runYosysScript(o.yosys, dir, 'ice40.ys', o.timeoutMs);
    const report = buildIce40Report(
      readFileSync(join(dir, OUT.ice40), 'utf8'),
      o.statFormat,
      o.top,
    );
    writeFileSync(join(dir, REPORT), `${JSON.stringify(report, null, 2)}\n`);
  };
  const read = (dir: string): Ice40Report =>
    JSON.parse(readFileSync(join(dir, REPORT), 'utf8')) as Ice40Report;
  if (o.cacheDir === null) {
    const dir = makeTempDir('ice40');
    try {
      await run(dir);
      return read(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const key = contentHash([
    'ice40',
    ICE40_VERSION,
    o.code ?? codeHash(CACHE_CODE.yosys),
    o.top,
    script,
    o.yosys.info.kind,
    o.yosys.info.detail,
    ...o.sources.flatMap((s) => [s.name, s.text]),
  ]);
  return read((await cachedDir(o.cacheDir, key, run)).dir);
}

/** A terminal table of the iCE40 counts: one row per module (own cells), then the total. */
export function formatIce40Table(r: Ice40Report): string {
  const head = ['module', 'count', 'LUT4', 'carry', 'DFF', 'RAM4K', 'cells'];
  const row = (name: string, count: string, c: Ice40Counts): string[] => [
    name,
    count,
    String(c.luts),
    String(c.carries),
    String(c.flipFlops),
    String(c.rams),
    String(c.cells),
  ];
  const all = [
    head,
    ...r.modules.map((m) => row(m.name, String(m.instances), m)),
    row('total', '', r.total),
  ];
  const widths = head.map((_, i) => Math.max(...all.map((x) => (x[i] ?? '').length)));
  const line = (x: readonly string[]): string =>
    x
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [`${r.top}: iCE40 (synth_ice40 -noflatten)`, ...all.map(line)].join('\n');
}
