// Start-up check of the external tools: each missing, too-old or too-new tool gets one line naming
// the tool, the version found, the version range needed and a fix for that problem. The fixes
// differ by problem: scripts/setup.sh installs only what is missing, so a present but too-old
// system tool needs an apt-get upgrade, and a venv package out of range needs the venv rebuilt
// from the pins in cocotb-bridge/requirements.txt.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { MxgenError } from '../hdl/index.js';

/** What is wrong with a tool's version; null when it is in range. */
export type VersionProblem = 'missing' | 'too-old' | 'too-new';

/** The fix printed for each problem (`tooNew` only for tools with a `max`). */
export interface ToolFixes {
  readonly missing: string;
  readonly tooOld: string;
  readonly tooNew?: string;
}

export interface ToolSpec {
  name: string;
  cmd: string;
  args: string[];
  /** Extracts a dotted version from the tool's output. */
  pattern: RegExp;
  min: string;
  /** Exclusive upper bound: versions from `max` on are too new. */
  max?: string;
  purpose: string;
  fix: ToolFixes;
}

export const VENV_PYTHON = '.venv/bin/python';

const SETUP = 'run scripts/setup.sh (installs missing tools with apt-get)';
const REBUILD_VENV = 'rm -rf .venv && scripts/setup.sh';

/** The fix for a present but too-old Debian package. */
const upgrade = (pkg: string, debian12: string): string =>
  `apt-get update && apt-get install --only-upgrade ${pkg} (Debian 12's package is ` +
  `${debian12}; an older release needs a newer Debian or Ubuntu)`;

export const TOOLS: readonly ToolSpec[] = [
  {
    name: 'verilator',
    cmd: 'verilator',
    args: ['--version'],
    pattern: /Verilator (\d+\.\d+)/,
    min: '5.006',
    purpose: 'co-simulation and lint',
    fix: { missing: SETUP, tooOld: upgrade('verilator', '5.006') },
  },
  {
    name: 'yosys',
    cmd: 'yosys',
    args: ['-V'],
    pattern: /Yosys (\d+\.\d+)/,
    min: '0.23',
    purpose: 'area (else @yowasp/yosys)',
    fix: { missing: SETUP, tooOld: upgrade('yosys', '0.23') },
  },
  {
    name: 'iverilog',
    cmd: 'iverilog',
    args: ['-V'],
    pattern: /version (\d+\.\d+)/,
    min: '11.0',
    purpose: 'cocotb and compile checks',
    fix: { missing: SETUP, tooOld: upgrade('iverilog', '11.0') },
  },
  {
    name: 'g++',
    cmd: 'g++',
    args: ['--version'],
    pattern: /(\d+\.\d+)\.\d+/,
    min: '10.0',
    purpose: 'Verilator builds',
    fix: { missing: SETUP, tooOld: upgrade('g++', '12.2') },
  },
  {
    name: 'make',
    cmd: 'make',
    args: ['--version'],
    pattern: /Make (\d+\.\d+)/,
    min: '4.0',
    purpose: 'Verilator builds',
    fix: { missing: SETUP, tooOld: upgrade('make', '4.3') },
  },
  {
    name: 'cocotb (.venv)',
    cmd: VENV_PYTHON,
    args: ['-c', 'import cocotb; print(cocotb.__version__)'],
    pattern: /(\d+\.\d+\.\d+)/,
    min: '1.8.1',
    // Debian 12's Verilator is 5.006: cocotb 1.9 needs 5.022+, 2.x needs 5.036+.
    max: '1.9',
    purpose: 'cocotb bridge',
    fix: {
      missing: REBUILD_VENV,
      tooOld: `${REBUILD_VENV} (reinstalls the pinned cocotb 1.8.1)`,
      tooNew:
        `${REBUILD_VENV} (reinstalls the pinned cocotb 1.8.1; ` +
        'cocotb 1.9 needs Verilator 5.022+ and 2.x needs 5.036+)',
    },
  },
  {
    name: 'ml_dtypes (.venv)',
    cmd: VENV_PYTHON,
    args: ['-c', 'import ml_dtypes; print(ml_dtypes.__version__)'],
    pattern: /(\d+\.\d+\.\d+)/,
    min: '0.6.0',
    purpose: 'numerics oracle tests',
    fix: {
      missing: REBUILD_VENV,
      tooOld: `${REBUILD_VENV} (reinstalls the pinned ml_dtypes 0.6.0)`,
    },
  },
];

export interface ToolStatus {
  name: string;
  found: string | null;
  min: string;
  max?: string;
  ok: boolean;
  problem: VersionProblem | null;
  purpose: string;
  fix: ToolFixes;
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

/** What is wrong with version `found` for the range [min, max); null when it is in range. */
export function versionProblem(
  found: string | null,
  min: string,
  max?: string,
): VersionProblem | null {
  if (found === null) return 'missing';
  if (compareVersions(found, min) < 0) return 'too-old';
  if (max !== undefined && compareVersions(found, max) >= 0) return 'too-new';
  return null;
}

/** The status of `spec` given the version found (pure: no tool is run). */
export function statusOf(spec: ToolSpec, found: string | null): ToolStatus {
  const problem = versionProblem(found, spec.min, spec.max);
  return {
    name: spec.name,
    found,
    min: spec.min,
    ...(spec.max === undefined ? {} : { max: spec.max }),
    ok: problem === null,
    problem,
    purpose: spec.purpose,
    fix: spec.fix,
  };
}

/** Runs the tool for its version. */
export function probeTool(spec: ToolSpec): ToolStatus {
  let found: string | null = null;
  if (spec.cmd !== VENV_PYTHON || existsSync(VENV_PYTHON)) {
    const r = spawnSync(spec.cmd, spec.args, { encoding: 'utf8', timeout: 30_000 });
    if (!r.error && r.status === 0)
      found = spec.pattern.exec(`${r.stdout}${r.stderr}`)?.[1] ?? null;
  }
  return statusOf(spec, found);
}

/** `5.006 or newer`, or `1.8.1 or newer and below 1.9`. */
export function neededRange(s: { min: string; max?: string }): string {
  return `${s.min} or newer${s.max === undefined ? '' : ` and below ${s.max}`}`;
}

/** One line: the tool, the version found, the range needed, what it is for and the fix. */
export function describeProblem(s: ToolStatus): string {
  const fix =
    s.problem === 'too-old'
      ? s.fix.tooOld
      : s.problem === 'too-new'
        ? (s.fix.tooNew ?? s.fix.tooOld)
        : s.fix.missing;
  return `${s.name}: found ${s.found ?? 'nothing'}, need ${neededRange(s)} (for ${s.purpose}); fix: ${fix}`;
}

/** Throws a one-line `tool` error when the named tool is missing or out of range. */
export function requireTool(name: string): ToolStatus {
  const spec = TOOLS.find((t) => t.name === name || t.cmd === name);
  if (!spec)
    throw new MxgenError('internal', `requireTool: no tool named ${name} in TOOLS`, {
      hint: `known tools: ${TOOLS.map((t) => t.name).join(', ')}`,
    });
  const s = probeTool(spec);
  if (!s.ok) throw new MxgenError('tool', describeProblem(s));
  return s;
}
