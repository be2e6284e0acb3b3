// Start-up check of the external tools: each missing or too-old tool gets one line naming the
// tool, the version found, the version needed and the fix.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { MxgenError } from '../hdl/index.js';

export interface ToolSpec {
  name: string;
  cmd: string;
  args: string[];
  /** Extracts a dotted version from the tool's output. */
  pattern: RegExp;
  min: string;
  purpose: string;
}

export const VENV_PYTHON = '.venv/bin/python';

export const TOOLS: readonly ToolSpec[] = [
  {
    name: 'verilator',
    cmd: 'verilator',
    args: ['--version'],
    pattern: /Verilator (\d+\.\d+)/,
    min: '5.006',
    purpose: 'co-simulation and lint',
  },
  {
    name: 'yosys',
    cmd: 'yosys',
    args: ['-V'],
    pattern: /Yosys (\d+\.\d+)/,
    min: '0.23',
    purpose: 'area (else @yowasp/yosys)',
  },
  {
    name: 'iverilog',
    cmd: 'iverilog',
    args: ['-V'],
    pattern: /version (\d+\.\d+)/,
    min: '11.0',
    purpose: 'cocotb and compile checks',
  },
  {
    name: 'g++',
    cmd: 'g++',
    args: ['--version'],
    pattern: /(\d+\.\d+)\.\d+/,
    min: '10.0',
    purpose: 'Verilator builds',
  },
  {
    name: 'make',
    cmd: 'make',
    args: ['--version'],
    pattern: /Make (\d+\.\d+)/,
    min: '4.0',
    purpose: 'Verilator builds',
  },
  {
    name: 'cocotb (.venv)',
    cmd: VENV_PYTHON,
    args: ['-c', 'import cocotb; print(cocotb.__version__)'],
    pattern: /(\d+\.\d+\.\d+)/,
    min: '1.8.1',
    purpose: 'cocotb bridge',
  },
  {
    name: 'ml_dtypes (.venv)',
    cmd: VENV_PYTHON,
    args: ['-c', 'import ml_dtypes; print(ml_dtypes.__version__)'],
    pattern: /(\d+\.\d+\.\d+)/,
    min: '0.6.0',
    purpose: 'numerics oracle tests',
  },
];

export interface ToolStatus {
  name: string;
  found: string | null;
  min: string;
  ok: boolean;
  purpose: string;
}

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function probeTool(spec: ToolSpec): ToolStatus {
  let found: string | null = null;
  if (spec.cmd !== VENV_PYTHON || existsSync(VENV_PYTHON)) {
    const r = spawnSync(spec.cmd, spec.args, { encoding: 'utf8', timeout: 30_000 });
    if (!r.error && r.status === 0)
      found = spec.pattern.exec(`${r.stdout}${r.stderr}`)?.[1] ?? null;
  }
  const ok = found !== null && compareVersions(found, spec.min) >= 0;
  return { name: spec.name, found, min: spec.min, ok, purpose: spec.purpose };
}

export function describeProblem(s: ToolStatus): string {
  return `${s.name}: found ${s.found ?? 'nothing'}, need ${s.min} or newer (for ${s.purpose}); fix: run scripts/setup.sh`;
}

/** Throws a one-line `tool` error when the named tool is missing or too old. */
export function requireTool(name: string): ToolStatus {
  const spec = TOOLS.find((t) => t.name === name || t.cmd === name);
  if (!spec) throw new Error(`unknown tool ${name}`);
  const s = probeTool(spec);
  if (!s.ok) throw new MxgenError('tool', describeProblem(s));
  return s;
}
