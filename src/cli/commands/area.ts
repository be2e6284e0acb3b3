// `mxgen area <design>`: synthesize with Yosys (hierarchically) and report cells, CMOS
// transistors, NAND2 gate equivalents and logic depth per module and in total. Prints a table and
// writes area.json and area.csv into the design's output folder (rtl-out/<design>/).
import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  areaCsv,
  formatAreaTable,
  formatIce40Table,
  synthArea,
  type AreaReport,
  type YosysChoice,
} from '../../backends/index.js';
import { emitSv } from '../../emit/sv/index.js';
import { elaborate, MxgenError } from '../../hdl/index.js';
import { action } from '../action.js';
import { readDesignFolder } from '../../flow/design-folder.js';
import { resolveDesign } from '../../flow/resolve.js';
import { collect, DESIGN_ARG, SET_HELP } from '../options.js';
import {
  buildManifest,
  mxgenVersion,
  writeDesignDir,
  checkOutputTarget,
  checkFileTarget,
  ownedByMxgen,
} from '../../flow/output.js';

export interface AreaCommandOptions {
  set?: string[];
  tool?: string;
  out?: string;
  timeout?: string;
  /** Also count iCE40 LUT4s, carries and flip-flops (a second Yosys run, `synth_ice40`). */
  ice40?: boolean;
  force?: boolean;
}

export interface AreaCommandResult {
  readonly dir: string;
  readonly report: AreaReport;
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

const reportJson = (r: AreaReport): string => `${JSON.stringify(r, null, 2)}\n`;

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
  const path = resolve(spec);
  if (existsSync(path) && statSync(path).isDirectory()) {
    // Only area.json / area.csv are written there: never over files of the same name that
    // mxgen did not write.
    if (!ownedByMxgen(path)) {
      checkFileTarget(join(path, 'area.json'), '"areaModel"', opts.force === true);
      checkFileTarget(join(path, 'area.csv'), 'module,instances,cells', opts.force === true);
    }
    const { files, top } = readDesignFolder(path);
    const report = await synthArea(files, top, synthOpts);
    writeAtomic(join(path, 'area.json'), reportJson(report));
    writeAtomic(join(path, 'area.csv'), areaCsv(report));
    return { dir: path, report };
  }
  const design = await resolveDesign(spec, opts.set);
  checkOutputTarget(opts.out ?? 'rtl-out', design.name, opts.force === true);
  const sv = emitSv(elaborate(design.build()));
  const report = await synthArea(
    sv.files.map((f) => ({ name: f.name, text: f.text })),
    sv.top,
    synthOpts,
  );
  const dir = await writeDesignDir(
    opts.out ?? 'rtl-out',
    design.name,
    [
      ...sv.files,
      buildManifest(design.name, sv, mxgenVersion()),
      { name: 'area.json', text: reportJson(report) },
      { name: 'area.csv', text: areaCsv(report) },
    ],
    { force: opts.force === true },
  );
  return { dir, report };
}

export function register(program: Command): void {
  program
    .command('area')
    .description('area (cells, transistors, NAND2 gate equivalents) and logic depth with Yosys')
    .argument('<design>', `${DESIGN_ARG}, or an rtl-out/<design> folder`)
    .option('--set <key=value>', SET_HELP, collect)
    .option('--tool <tool>', 'system (yosys binary), yowasp (@yowasp/yosys) or auto', 'auto')
    .option('--out <dir>', 'output root folder for a design file', 'rtl-out')
    .option('--force', 'replace <out>/<design>/ even if mxgen did not write it (no .mxgen-output)')
    .option('--timeout <seconds>', 'limit for one Yosys run', '600')
    .option('--ice40', 'also count iCE40 LUT4/carry/DFF cells (synth_ice40, a second Yosys run)')
    .action(
      action(async (spec: string, opts: AreaCommandOptions) => {
        const r = await area(spec, opts);
        console.log(formatAreaTable(r.report));
        if (r.report.ice40) console.log(formatIce40Table(r.report.ice40));
        const rel = relative(process.cwd(), r.dir);
        const shown = rel === '' ? '.' : rel.startsWith('..') ? r.dir : rel;
        console.log(`wrote ${shown}/area.json and ${shown}/area.csv`);
      }),
    );
}
