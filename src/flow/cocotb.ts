// `mxgen cocotb <design>`: a runnable cocotb test directory next to the RTL
// (rtl-out/<design>/cocotb/): vectors.json, test_<design>.py, run.py and a Makefile, filled from
// templates/cocotb/. The test itself is the generic stream test of mxgen_cocotb (docs/cocotb.md).
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTool, VENV_PYTHON } from '../backends/index.js';
import { intOption } from './options.js';
import { MxgenError } from '../hdl/index.js';
import { buildManifest, checkOutputTarget, mxgenVersion, writeDesignDir } from './output.js';
import { formatVectorFile } from './vectors.js';
import {
  DEFAULT_COUNT,
  DEFAULT_SEED,
  designVectors,
  elaborateDesign,
  resolveVectorDesign,
} from './vector-design.js';

export const COCOTB_TEMPLATE_DIR = fileURLToPath(
  new URL('../../templates/cocotb/', import.meta.url),
);

/** The cocotb version the generated files are written for (cocotb-bridge/requirements.txt). */
export const COCOTB_VERSION = '1.8.1';

export interface CocotbDirSpec {
  readonly design: string;
  readonly top: string;
  /** SystemVerilog files relative to the cocotb directory, in compile order (`../top.sv`). */
  readonly sources: readonly string[];
  /** How run.py is reached from the repository root, for its usage comment. */
  readonly runPath: string;
}

export interface GeneratedFile {
  readonly name: string;
  readonly text: string;
}

/** A Python identifier from a design name: `mac-array 4x4` -> `mac_array_4x4`. */
export function pythonIdent(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(id) ? `_${id}` : id;
}

/** Fills `{{KEY}}` placeholders; a placeholder without a value is a bug in mxgen. */
export function fillTemplate(
  text: string,
  values: Readonly<Record<string, string>>,
  file: string,
): string {
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined)
      throw new MxgenError('io', `template ${file} uses {{${key}}}, which has no value`);
    return v;
  });
}

function pyString(s: string): string {
  return JSON.stringify(s);
}

/** The files of the cocotb directory except vectors.json (see `writeVectorFile`). */
export function cocotbDirFiles(
  spec: CocotbDirSpec,
  templateDir: string = COCOTB_TEMPLATE_DIR,
): GeneratedFile[] {
  for (const [what, name] of [
    ['design', spec.design],
    ['top', spec.top],
  ] as const)
    if (!/^[A-Za-z0-9_.-]+$/.test(name))
      throw new MxgenError(
        'config',
        `${what} name ${JSON.stringify(name)} cannot name a cocotb test`,
        {
          hint: 'use letters, digits, `_`, `.` and `-` only',
        },
      );
  if (spec.sources.length === 0)
    throw new MxgenError('config', `design ${spec.design} has no SystemVerilog sources to test`);
  const module = `test_${pythonIdent(spec.design)}`;
  const values: Record<string, string> = {
    DESIGN: spec.design,
    TOP: spec.top,
    MODULE: module,
    TEST_NAME: module,
    SOURCES: spec.sources.map(pyString).join(', '),
    SOURCES_MAKE: spec.sources.map((s) => `$(abspath ${s})`).join(' '),
    RUN_PATH: spec.runPath,
    COCOTB_VERSION,
  };
  const fill = (template: string): string => {
    const path = `${templateDir}${template}`;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new MxgenError('io', `cannot read template ${path}`, { cause: e });
    }
    return fillTemplate(text, values, path);
  };
  return [
    { name: `${module}.py`, text: fill('test_module.py.tmpl') },
    { name: 'run.py', text: fill('run.py.tmpl') },
    { name: 'Makefile', text: fill('Makefile.tmpl') },
  ];
}

export interface CocotbCliOptions {
  set?: string[];
  count?: string;
  seed?: string;
  out?: string;
  run?: boolean | string;
  force?: boolean;
}

export interface CocotbResult {
  /** rtl-out/<design> */
  readonly dir: string;
  /** rtl-out/<design>/cocotb */
  readonly cocotbDir: string;
  /** The comparison report when --run was given. */
  readonly report?: string;
}

function writeDirAtomic(dir: string, files: readonly GeneratedFile[]): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp, { recursive: true });
    for (const f of files) writeFileSync(join(tmp, f.name), f.text);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw new MxgenError('io', `cannot write ${dir}: ${(e as Error).message}`, { cause: e });
  }
}

/** Writes rtl-out/<design>/ (SV + manifest) and its cocotb/ directory; with `run`, runs it. */
export async function cocotbCommand(
  spec: string,
  opts: CocotbCliOptions = {},
): Promise<CocotbResult> {
  const count = intOption('count', opts.count, DEFAULT_COUNT, 1, 1_000_000);
  const seed = intOption('seed', opts.seed, DEFAULT_SEED, 0, 0xffff_ffff);
  const sim = opts.run === true ? 'icarus' : opts.run || undefined;
  if (sim !== undefined && sim !== 'icarus' && sim !== 'verilator')
    throw new MxgenError('usage', `--run takes icarus or verilator; got ${sim}`);
  const d = await resolveVectorDesign(spec, opts.set);
  checkOutputTarget(opts.out ?? 'rtl-out', d.name, opts.force === true);
  const e = elaborateDesign(d);
  const vectors = formatVectorFile(designVectors(d, count, seed, e));
  const manifest = buildManifest(d.name, e.sv, mxgenVersion());
  const dir = await writeDesignDir(
    opts.out ?? 'rtl-out',
    d.name,
    [...e.sv.files, ...d.dataFiles, manifest],
    { force: opts.force === true },
  );
  const cocotbDir = join(dir, 'cocotb');
  const files = cocotbDirFiles({
    design: d.name,
    top: e.sv.top,
    sources: e.sv.files.map((f) => `../${f.name}`),
    runPath: relative(process.cwd(), join(cocotbDir, 'run.py')),
  });
  writeDirAtomic(cocotbDir, [{ name: 'vectors.json', text: vectors }, ...files]);
  if (sim === undefined) return { dir, cocotbDir };
  // This mxgen's own bridge first on the path (the venv may hold another checkout's).
  const bridge = fileURLToPath(new URL('../../cocotb-bridge', import.meta.url));
  const pyPath = [bridge, process.env.PYTHONPATH].filter(Boolean).join(':');
  const r = await runTool(resolve(VENV_PYTHON), ['run.py', '--sim', sim], {
    cwd: cocotbDir,
    env: { PYTHONPATH: pyPath },
    okCodes: [0, 1, 3],
  });
  if (r.code === 1) {
    const line = r.stderr.trim().split('\n').pop() ?? 'bad input';
    throw new MxgenError('config', line.replace(/^error\[config\]: /, ''), {
      hint: 'regenerate the vector file with mxgen vectors / mxgen cocotb',
    });
  }
  const report = r.stdout.slice(r.stdout.lastIndexOf('mxgen cocotb: ')).trim();
  if (r.code === 3) {
    const [head = 'mismatch', ...rest] = report.split('\n');
    throw new MxgenError('mismatch', head.replace(/^mxgen cocotb: /, ''), {
      notes: [rest.map((l) => l.replace(/^ {2}/, '')).join('\n  ')],
    });
  }
  return { dir, cocotbDir, report };
}
