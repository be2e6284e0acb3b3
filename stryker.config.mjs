// StrykerJS mutation testing (`npm run mutate`, docs/mutation.md). Each profile is a folder of
// src with the mocha specs that test it in-process (tests that only spawn the CLI cannot see a
// mutant: Stryker switches mutants inside the test process). MXGEN_MUTATE=numerics,sim picks
// profiles (default: all); MXGEN_MUTATE_FILES overrides the files to mutate and
// MXGEN_MUTATE_SPECS the specs (the smoke run in test/unit/mutation-smoke.test.ts uses both).
// Per-test coverage: each mutant runs only the tests that execute its code.
// `npm run mutate` (scripts/mutate.mjs) runs each profile as its own Stryker run, so a mutant of
// one folder runs only the specs of its profile (not every spec of every profile that happens to
// execute it), and the specs are the cheap in-process ones: property sweeps, ts-morph
// type-checks and tool runs (Icarus) are left out where a cheaper spec covers the same code.
// Cheapest first, so a run cut short still has the small folders' scores.
import { readdirSync } from 'node:fs';

/**
 * The specs of a test folder in the order a mutant runs them: `first` (cheap tests that kill
 * most mutants), every other `*.test.ts` of the folder but `skip` (alphabetical, so a new spec is
 * never left out), then `last` (tests of seconds). Mocha runs a mutant's covering tests in this
 * order and stops at the first failure; a surviving mutant runs them all anyway.
 */
function ordered(dir, { first = [], last = [], skip = [] }) {
  const named = new Set([...first, ...last, ...skip]);
  const rest = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts') && !named.has(f.slice(0, -'.test.ts'.length)))
    .sort();
  const path = (n) => `${dir}/${n}.test.ts`;
  return [...first.map(path), ...rest.map((f) => `${dir}/${f}`), ...last.map(path)];
}

// The sim profile's specs (see the profile). Listed by name, cheapest first: the glob
// (alphabetical) put chunks (the mlp-int8 model, seconds a run) before ops and optimize, which
// kill most mutants in milliseconds.
const SIM_SPECS = [
  'test/unit/sim/ops.test.ts',
  'test/unit/hdl/ops.test.ts',
  ...ordered('test/unit/sim', {
    first: ['property-small', 'api', 'api-edges', 'forms', 'flatten', 'levelize', 'layout'],
    last: ['builder', 'optimize', 'activity', 'wide-paths', 'sram', 'loose', 'chunks'],
    // cli spawns; emit-ts has its own profile; property is one 9 s random-netlist sweep (its
    // netlists 0..23 are property-small, one test each); ops is first.
    skip: ['cli', 'emit-ts', 'property', 'ops'],
  }),
  'test/property/hdl/ops.prop.test.ts',
];

// The numerics profile's specs, the same way (mocha --reporter json, one run: the exact
// vector tables take 0.1-0.4 ms a test, kv-cache 300 ms, int-rope 1.1 s, int-ops 320 ms).
const NUMERICS_SPECS = [
  ...ordered('test/unit/numerics', {
    first: [
      'spec-vectors',
      'exact-binary',
      'codec-vectors',
      'decode-exhaustive',
      'mx-nvfp4-vectors',
    ],
    last: [
      'olive',
      'int-matmul',
      'blockdialect',
      'int-attention',
      'int-ops',
      'int-rope',
      'kv-cache',
    ],
    // cli spawns processes (no mutant switching there); the ml_dtypes oracle needs .venv, which
    // the sandbox does not copy.
    skip: ['cli', 'ml-dtypes-oracle'],
  }),
  'test/components/spec-vectors.test.ts',
];

const PROFILES = {
  cosim: {
    folder: 'src/backends/verilator/cosim.ts',
    mutate: ['src/backends/verilator/cosim.ts'],
    spec: [
      'test/unit/backends/verilator/cosim.test.ts',
      'test/unit/backends/verilator/comparators.test.ts',
    ],
  },
  components: {
    folder: 'src/components (config/width/mode tables)',
    mutate: [
      'src/components/*/config.ts',
      'src/components/olive/pe-config.ts',
      'src/components/arith/formats.ts',
    ],
    spec: [
      // config-spec: every kind's defaults, derive() values, names and errors (no simulation);
      // the component specs proper are Verilator sweeps (a mutant would need a new build).
      'test/components/config-spec.test.ts',
      'test/components/spec-vectors.test.ts',
      'test/components/mac-array-unit.test.ts',
      'test/components/mac-array-arith.test.ts',
    ],
  },
  emit: {
    folder: 'src/emit/sv',
    mutate: ['src/emit/sv/**/*.ts'],
    // Not icarus-equiv: the golden specs compare the emitted text byte for byte, so a mutant
    // that changes the SV fails there without an Icarus run. The golden specs (golden-components:
    // every component kind, 4 s in all) come first, before the specs whose lint tests run
    // Verilator/Icarus/Yosys: mocha runs a mutant's tests in this order, stopping at the first
    // failure.
    spec: [
      'test/unit/emit/golden.test.ts',
      'test/unit/emit/golden-components.test.ts',
      'test/unit/emit/options.test.ts',
      'test/unit/emit/namer.test.ts',
      'test/unit/emit/emit.test.ts',
      'test/unit/emit/catalogue.test.ts',
      'test/unit/emit/names.test.ts',
      'test/unit/emit/tables.test.ts',
    ],
    // Not the tests that run Verilator, Icarus, Yosys or a second node process (lint sweeps,
    // equivalence proofs), nor names.test.ts's sweep over every bundled design (it compiles each
    // through the IR: 594 of the 620 s of these specs at load 45, where the golden specs took 20 s
    // in all). A mutant's timeout is twice the time of the tests that cover it: with that sweep in,
    // the run stalled for minutes at one mutant. The emitted text they check is pinned byte for
    // byte by the golden specs; what only they would see is listed with the survivors
    // (docs/mutation.md).
    grep: '/^(?!.*(verilator|Verilator|iverilog|Icarus|Yosys|yosys|separate node process|proven equal|every bundled design)).*$/',
  },
  'sim-ts': {
    folder: 'src/sim',
    // index.ts: its only code is emitTypedModelSource (a dynamic import of emit-ts.ts), which
    // only the typed-model specs call; in `sim` its body had no coverage.
    mutate: ['src/sim/emit-ts.ts', 'src/sim/index.ts'],
    // sram: its typed-model test (loadMem of a 33-bit SRAM); its other tests never load
    // emit-ts.ts, so they cover no mutant here.
    spec: ['test/unit/sim/emit-ts.test.ts', 'test/unit/sim/sram.test.ts'],
  },
  sim: {
    folder: 'src/sim',
    // emit-ts.ts has its own profile: its spec type-checks with ts-morph (15 s) and would
    // otherwise run for every mutant of the code generator it also executes.
    mutate: ['src/sim/**/*.ts', '!src/sim/emit-ts.ts', '!src/sim/index.ts'],
    // Not cli (spawns), emit-ts (own profile), property (one 9 s random-netlist sweep; its
    // netlists 0..23 are property-small, one test each). Cheapest first, listed by name: mocha
    // runs a mutant's covering tests in this order and stops at the first failure, and the glob
    // (alphabetical) put chunks (the mlp-int8 model, seconds a run) before ops and optimize,
    // which kill most mutants in milliseconds. The specs named last each take seconds; a
    // surviving mutant still runs every test that covers it. test/unit/mutation-config.test.ts
    // checks this list names every spec of test/unit/sim but the three above.
    spec: SIM_SPECS,
    // Not sram's typed-model test (it runs in the sim-ts profile): it loads emit-ts.ts by a
    // dynamic import(), which evaluates a second (ESM) copy of src/sim beside the one the specs
    // loaded, so every module-level mutant of src/sim it reaches (constant tables, the lowering
    // table of repr.ts) counted as covered by that test: not ignored as static, but run with
    // that test alone, each in a restarted worker (twice: before and after), and unable to take
    // effect at run time. Without it they are static, ignored like in every other profile.
    // Nor chunks' V8 test (two `node --print-bytecode` runs, ~4 CPU s with the mlp-int8
    // compile, for every code-generator mutant that survives the cheaper tests: 40 % of such a
    // mutant's run); its cuts are checked in-process by chunks' "cuts the plain form" test.
    grep: "/^(?!.*(the typed model runs the SRAM|below V8's optimizing limit)).*$/",
  },
  numerics: {
    folder: 'src/numerics',
    mutate: ['src/numerics/**/*.ts'],
    // src/numerics imports nothing outside itself: the checker type-checks only that folder.
    tsconfig: 'tsconfig.mutate-numerics.json',
    // The property specs (mx.prop 11 s, int-ops.prop 7 s per run) are left out: every surviving
    // mutant would re-run them. Cheapest first (NUMERICS_SPECS).
    spec: NUMERICS_SPECS,
  },
};

const list = (v) => (v ? v.split(',').filter((x) => x !== '') : undefined);
const names = list(process.env.MXGEN_MUTATE) ?? Object.keys(PROFILES);
for (const n of names)
  if (!PROFILES[n])
    throw new Error(`MXGEN_MUTATE: unknown profile ${n}; one of ${Object.keys(PROFILES)}`);
const picked = names.map((n) => PROFILES[n]);
const mutate = list(process.env.MXGEN_MUTATE_FILES) ?? picked.flatMap((p) => p.mutate);
const spec = list(process.env.MXGEN_MUTATE_SPECS) ?? [...new Set(picked.flatMap((p) => p.spec))];
const reportDir = process.env.MXGEN_MUTATE_REPORTS ?? 'reports/mutation';
const tag = process.env.MXGEN_MUTATE_FILES ? 'custom' : names.join('+');

export const profiles = PROFILES;

export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  testRunnerNodeArgs: ['--import', 'tsx'],
  // A profile's `grep` (MXGEN_MUTATE_GREP) keeps only the tests whose full title matches: it
  // decides which tests the initial run sees, and so which tests can cover a mutant.
  mochaOptions: {
    spec,
    config: '.mocharc.json',
    ...((process.env.MXGEN_MUTATE_GREP ?? (picked.length === 1 ? picked[0].grep : undefined))
      ? { grep: process.env.MXGEN_MUTATE_GREP ?? picked[0].grep }
      : {}),
  },
  // The TypeScript checker is opt-in (MXGEN_MUTATE_CHECKER=1): it re-checks every dependent file
  // of each mutant (1-2 s a mutant, hours over all profiles). Without it a mutant that does not
  // type-check runs anyway (tsx strips types) and is almost always killed by a test.
  checkers: process.env.MXGEN_MUTATE_CHECKER ? ['typescript'] : [],
  // The checker type-checks src only (the tests are not mutated), or one self-contained folder:
  // it re-checks every dependent file of a mutant, the main cost of a run.
  tsconfigFile:
    picked.length === 1 && picked[0].tsconfig ? picked[0].tsconfig : 'tsconfig.mutate.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // Static mutants (module-level code: constant tables run once at import) need a fresh process and
  // the whole spec list each: in src/numerics 12 % of the mutants took ~2 h of a 2-core run. They
  // are left out (reported as Ignored); the tables they touch have spec vectors instead
  // (docs/mutation.md). MXGEN_MUTATE_STATIC=1 includes them.
  ignoreStatic: !process.env.MXGEN_MUTATE_STATIC,
  mutate,
  // Two test processes: the target machine has 2 cores (MXGEN_MUTATE_CONCURRENCY to change).
  concurrency: Number(process.env.MXGEN_MUTATE_CONCURRENCY ?? 2),
  timeoutMS: Number(process.env.MXGEN_MUTATE_TIMEOUT_MS ?? 5000),
  timeoutFactor: 2,
  // The initial (coverage) run of the emit profile took 17 s on a quiet machine and over
  // Stryker's default 5 minutes at load 25, which aborted the profile.
  dryRunTimeoutMinutes: Number(process.env.MXGEN_MUTATE_DRY_RUN_MIN ?? 30),
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${reportDir}/${tag}.html` },
  jsonReporter: { fileName: `${reportDir}/${tag}.json` },
  tempDirName: process.env.MXGEN_MUTATE_TMP ?? '.stryker-tmp',
  cleanTempDir: 'always',
  // Not copied into the sandbox: build caches, outputs, reports, the Python venv (a symlink).
  ignorePatterns: ['/sim', '/rtl-out', '/reports', '/.venv', '/.stryker-tmp*', '/cocotb-bridge'],
  thresholds: { high: 85, low: 75, break: null },
};
