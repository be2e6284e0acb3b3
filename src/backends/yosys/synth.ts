// `synthArea`: one hierarchical Yosys run over SystemVerilog sources, turned into an AreaReport
// (per module and for the whole hierarchy), cached by content hash under sim/build/yosys/.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { makeTempDir } from '../cleanup.js';
import { basename, join } from 'node:path';
import { MxgenError } from '../../hdl/index.js';
import { CACHE_CODE, cachedDir, codeHash, contentHash, DEFAULT_CACHE_ROOT } from '../cache.js';
import { compareVersions } from '../tools.js';
import { buildReport } from './report.js';
import { runYosysScript, selectYosys, type YosysChoice } from './run.js';
import { areaScript, LIBERTY_NAME, OUT, type StatFormat } from './script.js';
import { libertyText } from './area-model.js';
import { synthIce40 } from './ice40.js';
import type { AreaReport, SvSource } from './types.js';

export interface AreaOptions {
  /** `auto` (default): system Yosys when present, else @yowasp/yosys. */
  tool?: YosysChoice;
  /** Command of the system Yosys (default `yosys`). */
  yosysPath?: string;
  /** Per Yosys run (default 10 minutes). */
  timeoutMs?: number;
  /** Cache root (default `sim/build/yosys`); null runs in a temp dir and keeps nothing. */
  cacheDir?: string | null;
  /** How to read `stat` (default: JSON from Yosys 0.55, text before; see JSON_STAT_FROM). */
  statFormat?: StatFormat | 'auto';
  /** Also run `synth_ice40 -noflatten` and add iCE40 LUT4/carry/DFF counts (`report.ice40`). */
  ice40?: boolean;
  /** Notes for the user (which Yosys `auto` chose when it fell back). */
  onNote?: (text: string) => void;
  /**
   * Where the project code hashed into the cache key lives (default: this project; tests point it
   * at an edited copy to show that a code change misses the cache).
   */
  codeRoot?: string;
}

export const DEFAULT_YOSYS_CACHE = join(DEFAULT_CACHE_ROOT, 'yosys');
const REPORT = 'report.json';
/**
 * First Yosys version whose `stat -json` is trusted: 0.23 has the flag but, for a hierarchy more
 * than one level deep, prints the hierarchy summary as bare text lines inside the JSON. 0.55 is the
 * oldest version tested to be clean; older versions use the text report (same numbers, tested).
 */
export const JSON_STAT_FROM = '0.55';
// Part of every cache key: bump it when the report's analysis (parsing, depth, area model) changes.
const REPORT_VERSION = '4';

/**
 * The text without `initial $readmemh(...)` lines: SRAM init data never changes the area, and the
 * image files need not exist for synthesis (nor change the cache key).
 */
export function stripMemInit(text: string): string {
  return text.replace(/^[ \t]*initial \$readmemh\([^;\n]*\);[^\n]*\n/gm, '');
}

function loadSources(files: readonly (string | SvSource)[]): SvSource[] {
  const out = files.map((f) => {
    if (typeof f !== 'string') return f;
    try {
      return { name: basename(f), text: readFileSync(f, 'utf8') };
    } catch (e) {
      throw new MxgenError('io', `cannot read SystemVerilog file ${f}`, { cause: e });
    }
  });
  const seen = new Set<string>();
  for (const s of out) {
    if (!/^[\w.-]+$/.test(s.name) || s.name === LIBERTY_NAME || s.name.endsWith('.ys'))
      throw new MxgenError(
        'usage',
        `source name ${JSON.stringify(s.name)} is not a plain file name`,
        {
          hint: 'use letters, digits, dot, dash and underscore, e.g. mac_pe.sv',
        },
      );
    if (seen.has(s.name))
      throw new MxgenError('usage', `two sources are both named ${s.name}; names must be unique`);
    seen.add(s.name);
  }
  if (out.length === 0) throw new MxgenError('usage', 'no SystemVerilog sources to synthesize');
  return out.map((x) => ({ name: x.name, text: stripMemInit(x.text) }));
}

/** The sources (checked names, no `$readmemh` lines) of a synthesis of `top` (an identifier). */
export function checkedSources(svFiles: readonly (string | SvSource)[], top: string): SvSource[] {
  if (!/^[A-Za-z_][\w$]*$/.test(top))
    throw new MxgenError('usage', `top module name ${JSON.stringify(top)} is not an identifier`);
  return loadSources(svFiles);
}

/** Synthesizes `top` from the sources (paths or in-memory texts) and reports area and depth. */
export async function synthArea(
  svFiles: readonly (string | SvSource)[],
  top: string,
  opts: AreaOptions = {},
): Promise<AreaReport> {
  const sources = checkedSources(svFiles, top);
  const yosys = await selectYosys(opts);
  const fmtOpt = opts.statFormat ?? 'auto';
  const statFormat: StatFormat =
    fmtOpt !== 'auto'
      ? fmtOpt
      : compareVersions(yosys.info.version, JSON_STAT_FROM) >= 0
        ? 'json'
        : 'text';
  const script = areaScript({ files: sources.map((s) => s.name), top, statFormat });
  const lib = libertyText();
  const run = async (dir: string): Promise<void> => {
    for (const s of sources) writeFileSync(join(dir, s.name), s.text);
    writeFileSync(join(dir, LIBERTY_NAME), lib);
    writeFileSync(join(dir, 'area.ys'), script);
    await runYosysScript(yosys, dir, 'area.ys', opts.timeoutMs ?? 10 * 60_000);
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    const report = buildReport({
      top,
      tool: yosys.info,
      statFormat,
      generic: read(OUT.generic),
      cmos: read(OUT.cmos),
      lib: read(OUT.lib),
      netlist: read(OUT.netlist),
      liberty: lib,
    });
    writeFileSync(join(dir, REPORT), `${JSON.stringify(report, null, 2)}\n`);
  };
  const code = codeHash(CACHE_CODE.yosys, opts.codeRoot);
  const area = await synthGeneric(opts.cacheDir, run, [
    REPORT_VERSION,
    code,
    top,
    script,
    lib,
    yosys.info.kind,
    yosys.info.detail,
    ...sources.flatMap((s) => [s.name, s.text]),
  ]);
  if (!opts.ice40) return area;
  const ice40 = await synthIce40({
    sources,
    top,
    yosys,
    statFormat,
    timeoutMs: opts.timeoutMs ?? 10 * 60_000,
    cacheDir: opts.cacheDir === null ? null : (opts.cacheDir ?? DEFAULT_YOSYS_CACHE),
    code,
  });
  return { ...area, ice40 };
}

/** The area run in a temp dir (cacheDir null) or through the cache keyed by `keyParts`. */
async function synthGeneric(
  cacheDir: string | null | undefined,
  run: (dir: string) => Promise<void>,
  keyParts: readonly string[],
): Promise<AreaReport> {
  if (cacheDir === null) {
    const dir = makeTempDir('yosys');
    try {
      await run(dir);
      return JSON.parse(readFileSync(join(dir, REPORT), 'utf8')) as AreaReport;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const entry = await cachedDir(cacheDir ?? DEFAULT_YOSYS_CACHE, contentHash(keyParts), run);
  return JSON.parse(readFileSync(join(entry.dir, REPORT), 'utf8')) as AreaReport;
}
