// Hand-written SystemVerilog fixtures for the area tests and the shared, cached Yosys runs over
// them: one run per Yosys (the yowasp start-up is slow), over a top that instantiates them all.
import { fileURLToPath } from 'node:url';
import { runTool } from '../../src/backends/index.js';
import {
  synthArea,
  type AreaOptions,
  type AreaReport,
  type ModuleArea,
} from '../../src/backends/index.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const SUITE_FILES = ['rca8.sv', 'small.sv', 'mac.sv', 'array.sv', 'suite.sv'].map(
  (f) => `${FIXTURES}${f}`,
);
export const SUITE_TOP = 'area_suite';
export const SUITE_MODULES = [
  'pe_int4',
  'array_2x2',
  'array_4x4',
  'mac_int4',
  'mac_int8',
  'nand_only',
  'full_adder',
  'rca8',
  'reg8',
  'area_suite',
];

const runs = new Map<string, Promise<AreaReport>>();

/** The suite synthesized once per tool and options (and cached on disk in sim/build/yosys). */
export function suiteReport(opts: AreaOptions): Promise<AreaReport> {
  const key = JSON.stringify(opts);
  let r = runs.get(key);
  if (!r) {
    r = synthArea(SUITE_FILES, SUITE_TOP, opts);
    runs.set(key, r);
  }
  return r;
}

export function mod(r: AreaReport, name: string): ModuleArea {
  const m = r.modules.find((x) => x.name === name);
  if (!m) throw new Error(`report has no module ${name}`);
  return m;
}

/** Yosys's own longest path of each module, flattened after the same hierarchical synthesis. */
export async function ltpDepths(modules: readonly string[]): Promise<Map<string, number>> {
  const cmds = [
    `read_verilog -sv ${SUITE_FILES.join(' ')}`,
    `synth -top ${SUITE_TOP}`,
    'design -save syn',
  ];
  for (const m of modules)
    cmds.push('design -load syn', `hierarchy -top ${m}`, 'flatten', 'ltp -noff');
  const r = await runTool('yosys', ['-p', cmds.join('; ')], { timeoutMs: 120_000 });
  const out = new Map<string, number>();
  for (const m of r.stdout.matchAll(/Longest topological path in (\S+) \(length=(\d+)\)/g))
    out.set(m[1] ?? '', Number(m[2]));
  return out;
}
