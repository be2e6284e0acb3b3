// `mxgen area <design>`: synthesize with Yosys (hierarchically) and report cells, CMOS
// transistors, NAND2 gate equivalents and logic depth per module and in total. Prints a table and
// writes area.json and area.csv into the design's output folder (rtl-out/<design>/).
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  areaCsv,
  memoryCsv,
  synthArea,
  synthMemories,
  type AreaReport,
  type MemoryReport,
  type YosysChoice,
} from '../backends/index.js';
import { emitSv } from '../emit/sv/index.js';
import { elaborate, MxgenError } from '../hdl/index.js';
import { readDesignFolder } from './design-folder.js';
import { resolveDesign } from './resolve.js';
import {
  buildManifest,
  mxgenVersion,
  writeDesignDir,
  checkOutputTarget,
  checkFileTarget,
  ownedByMxgen,
} from './output.js';

export interface AreaCommandOptions {
  set?: string[];
  tool?: string;
  out?: string;
  timeout?: string;
  /** Also count iCE40 LUT4s, carries and flip-flops (a second Yosys run, `synth_ice40`). */
  ice40?: boolean;
  force?: boolean;
  /**
   * Only the memories (SRAM and ROM bits) from the coarse synthesis, no logic area: seconds where
   * the logic of a big unit takes hours (docs/area.md "Memories only").
   */
  memoriesOnly?: boolean;
}

export interface AreaCommandResult {
  readonly dir: string;
  readonly report: AreaReport | MemoryReport;
}

const TOOLS: readonly YosysChoice[] = ['auto', 'system', 'yowasp'];

function parseTool(t: string | undefined): YosysChoice {
  const tool = t ?? 'auto';
  if (!(TOOLS as readonly string[]).includes(tool))
    throw new MxgenError('usage', `--tool must be system, yowasp or auto; got ${tool}`, {
      hint: 'system runs the yosys binary, yowasp the @yowasp/yosys package',
    });
  return tool as YosysChoice;
}

function parseTimeout(t: string | undefined): number | undefined {
  if (t === undefined) return undefined;
  const secs = Number(t);
  if (!Number.isFinite(secs) || secs <= 0)
    throw new MxgenError('usage', `--timeout must be a positive number of seconds; got ${t}`);
  return secs * 1000;
}

/** Writes one file by temp file and rename, so readers never see half of it. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const reportJson = (r: AreaReport | MemoryReport): string => `${JSON.stringify(r, null, 2)}\n`;

/** True for the report of `--memories-only`. */
export const isMemoryReport = (r: AreaReport | MemoryReport): r is MemoryReport =>
  'kind' in r && r.kind === 'memories-only';

const csvOf = (r: AreaReport | MemoryReport): string =>
  isMemoryReport(r) ? memoryCsv(r) : areaCsv(r);

/** The whole command without printing. */
export async function area(
  spec: string,
  opts: AreaCommandOptions = {},
): Promise<AreaCommandResult> {
  const tool = parseTool(opts.tool);
  const timeoutMs = parseTimeout(opts.timeout);
  const synthOpts = {
    tool,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(opts.ice40 ? { ice40: true } : {}),
    onNote: (t: string) => console.error(`mxgen area: ${t}`),
  };
  if (opts.memoriesOnly && opts.ice40)
    throw new MxgenError('usage', '--memories-only and --ice40 exclude each other', {
      hint: '--ice40 needs the logic synthesis that --memories-only skips',
    });
  const synthReport = (
    files: Parameters<typeof synthArea>[0],
    top: string,
  ): Promise<AreaReport | MemoryReport> =>
    opts.memoriesOnly ? synthMemories(files, top, synthOpts) : synthArea(files, top, synthOpts);
  const path = resolve(spec);
  if (existsSync(path) && statSync(path).isDirectory()) {
    // Only area.json / area.csv are written there: never over files of the same name that
    // mxgen did not write.
    if (!ownedByMxgen(path)) {
      checkFileTarget(join(path, 'area.json'), '"areaModel"', opts.force === true);
      checkFileTarget(join(path, 'area.csv'), 'module,instances,cells', opts.force === true);
    }
    const { files, top } = readDesignFolder(path);
    const report = await synthReport(files, top);
    writeAtomic(join(path, 'area.json'), reportJson(report));
    writeAtomic(join(path, 'area.csv'), csvOf(report));
    return { dir: path, report };
  }
  const design = await resolveDesign(spec, opts.set);
  checkOutputTarget(opts.out ?? 'rtl-out', design.name, opts.force === true);
  const sv = emitSv(elaborate(design.build()));
  const report = await synthReport(
    sv.files.map((f) => ({ name: f.name, text: f.text })),
    sv.top,
  );
  const dir = await writeDesignDir(
    opts.out ?? 'rtl-out',
    design.name,
    [
      ...sv.files,
      buildManifest(design.name, sv, mxgenVersion()),
      { name: 'area.json', text: reportJson(report) },
      { name: 'area.csv', text: csvOf(report) },
    ],
    { force: opts.force === true },
  );
  return { dir, report };
}
