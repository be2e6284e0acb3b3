// `mxgen cocotb <design>`: a runnable cocotb test directory next to the RTL
// (rtl-out/<design>/cocotb/): vectors.json, test_<design>.py, run.py and a Makefile, filled from
// templates/cocotb/. The test itself is the generic stream test of mxgen_cocotb (docs/cocotb.md).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MxgenError } from '../../hdl/index.js';

export const COCOTB_TEMPLATE_DIR = fileURLToPath(
  new URL('../../../templates/cocotb/', import.meta.url),
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
