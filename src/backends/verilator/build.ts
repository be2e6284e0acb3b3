// Builds a Verilator model plus harness into an executable, cached in `sim/build/<sha256>/` by the
// SV, the harness, the flags and the tool versions. Verilator's design-independent runtime
// (verilated.cpp, verilated_threads.cpp: ~5 s of g++ per build) is compiled once per tool version
// into `sim/build/runtime-<sha256>/libverilated.a` and linked into every model.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_WIDTH, MxgenError } from '../../hdl/index.js';
import { CACHE_CODE, cachedDir, codeHash, contentHash, DEFAULT_CACHE_ROOT } from '../cache.js';
import { runTool } from '../process.js';

export type CxxOpt = 'O0' | 'O1' | 'O2' | 'O3';

export interface VerilatorBuildOptions {
  /** g++ optimization of the model's evaluation code (default O1: fast to build, fine for tests). */
  opt?: CxxOpt;
  /** Cache root (default sim/build, relative to the working directory). */
  cacheRoot?: string;
  timeoutMs?: number;
  /** Extra Verilator arguments (part of the cache key). */
  verilatorArgs?: readonly string[];
  /**
   * Where the project code hashed into the cache key lives (default: this project; tests point it
   * at an edited copy to show that a code change misses the cache).
   */
  codeRoot?: string;
}

export interface VerilatorBuildInput {
  /** All SystemVerilog of the model, top module included. */
  readonly sv: string;
  readonly top: string;
  /** Harness C++ source (from harnessSource). */
  readonly harness: string;
}

export interface VerilatorBuild {
  /** Absolute path of the harness executable. */
  exe: string;
  dir: string;
  key: string;
  /** True when the build came from the cache. */
  hit: boolean;
  /** Wall time spent building (0 on a hit). */
  seconds: number;
}

/** Values up to the builder's MAX_WIDTH (Verilator's default stops at 2^16 bits). */
export const VERILATOR_WIDTH_ARGS: readonly string[] = ['--max-num-width', String(MAX_WIDTH)];

/** Fixed for determinism: X and uninitialized state are 0, like the native simulator's. */
export const VERILATOR_BASE_ARGS: readonly string[] = [
  '--cc',
  '--prefix',
  'Vdut',
  '--x-assign',
  '0',
  '--x-initial',
  '0',
  '-Wno-fatal',
  '-Wno-lint',
  '-Wno-style',
  ...VERILATOR_WIDTH_ARGS,
];

const MAKE_JOBS = '2';
let versions: Promise<string> | undefined;

/** `verilator --version` and `g++ --version` first lines, memoized (part of every cache key). */
export function toolVersions(): Promise<string> {
  versions ??= Promise.all([
    runTool('verilator', ['--version'], { timeoutMs: 60_000 }),
    runTool('g++', ['--version'], { timeoutMs: 60_000 }),
  ]).then(([v, g]) => `${v.stdout.split('\n')[0]}\n${g.stdout.split('\n')[0]}`);
  return versions;
}

const RUNTIME_OPT = '-O2';

/** Builds (once) and returns the absolute path of the cached Verilator runtime library. */
export async function buildRuntime(opts: VerilatorBuildOptions = {}): Promise<string> {
  const root = opts.cacheRoot ?? DEFAULT_CACHE_ROOT;
  const code = codeHash(CACHE_CODE.verilatorRuntime, opts.codeRoot);
  const key = `runtime-${contentHash([await toolVersions(), RUNTIME_OPT, code]).slice(0, 32)}`;
  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const { dir } = await cachedDir(root, key, async (tmp) => {
    // Compile the global objects through Verilator's own makefile so that the defines and
    // warning flags are exactly those the models are compiled with.
    writeFileSync(
      join(tmp, 'tiny.sv'),
      'module tiny(input logic a, output logic y);\n  assign y = a;\nendmodule\n',
    );
    await runTool(
      'verilator',
      [...VERILATOR_BASE_ARGS, 'tiny.sv', '--top-module', 'tiny', '-Mdir', 'obj'],
      { cwd: tmp, timeoutMs },
    );
    const objs = ['verilated.o', 'verilated_threads.o'];
    await runTool(
      'make',
      ['-s', '-j', MAKE_JOBS, '-C', 'obj', '-f', 'Vdut.mk', ...objs, `OPT_GLOBAL=${RUNTIME_OPT}`],
      { cwd: tmp, timeoutMs },
    );
    await runTool('ar', ['rcs', 'libverilated.a', ...objs.map((o) => join('obj', o))], {
      cwd: tmp,
      timeoutMs,
    });
  });
  return join(dir, 'libverilated.a');
}

/** Verilates and compiles `input` (cached); returns the harness executable. */
export async function buildVerilator(
  input: VerilatorBuildInput,
  opts: VerilatorBuildOptions = {},
): Promise<VerilatorBuild> {
  const root = opts.cacheRoot ?? DEFAULT_CACHE_ROOT;
  const opt = opts.opt ?? 'O1';
  const timeoutMs = opts.timeoutMs ?? 20 * 60_000;
  const extra = opts.verilatorArgs ?? [];
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(input.top))
    throw new MxgenError('usage', `top module name '${input.top}' is not an identifier`);
  const runtime = await buildRuntime(opts);
  const vArgs = [
    ...VERILATOR_BASE_ARGS,
    ...extra,
    '--top-module',
    input.top,
    '-Mdir',
    'obj',
    '--exe',
    'harness.cpp',
    'dut.sv',
  ];
  const makeVars = [`OPT_FAST=-${opt}`, 'OPT_SLOW=-O0', 'VK_GLOBAL_OBJS=', `LIBS=${runtime}`];
  const key = contentHash([
    'mxgen-verilator-build-v1',
    codeHash(CACHE_CODE.verilatorModel, opts.codeRoot),
    await toolVersions(),
    runtime,
    input.sv,
    input.harness,
    vArgs.join('\0'),
    makeVars.join('\0'),
  ]);
  const start = performance.now();
  const { dir, hit } = await cachedDir(root, key, async (tmp) => {
    writeFileSync(join(tmp, 'dut.sv'), input.sv);
    writeFileSync(join(tmp, 'harness.cpp'), input.harness);
    await runTool('verilator', vArgs, { cwd: tmp, timeoutMs });
    await runTool(
      'make',
      ['-s', '-j', MAKE_JOBS, '-C', 'obj', '-f', 'Vdut.mk', 'Vdut', ...makeVars],
      {
        cwd: tmp,
        timeoutMs,
      },
    );
  });
  const seconds = hit ? 0 : (performance.now() - start) / 1000;
  return { exe: join(dir, 'obj', 'Vdut'), dir, key, hit, seconds };
}
